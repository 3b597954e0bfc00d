"""The home page and the message log pages."""

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from patterns.ledger import query
from patterns.ledger.export import csv_rows, json_chunks
from patterns.ledger.models import Message

from . import health
from .styles import IDEA

PAGE_SIZE = 100


@require_GET
def home(request):
    return render(request, "site/home.html", {"idea": IDEA, "total": query.visible().count()})


def _filters(request):
    """The log page's filters from the query string; unknown or bad ones are reported, not applied."""
    wanted = {k: v for k, v in request.GET.items() if k in query.FILTERS}
    try:
        return query.clean_filters(wanted), None
    except query.BadFilter as exc:
        return {}, exc.detail


@require_GET
def health_page(request):
    return render(request, "site/health.html", {"health": health.check()})


@require_GET
def message_log(request):
    filters, problem = _filters(request)
    rows = list(query.messages(filters).order_by("-id")[:PAGE_SIZE])
    context = {
        "messages": rows,
        "filters": filters,
        "problem": problem,
        "cursor": query.last_id(),
        "statuses": Message.Status.choices,
        "kinds": query.visible().order_by().values_list("kind", flat=True).distinct()[:200],
        "page_size": PAGE_SIZE,
        "query": request.GET.urlencode(),
    }
    return render(request, "site/messages.html", context, status=400 if problem else 200)


@require_GET
def message_detail(request, message_id):
    message = get_object_or_404(query.visible(), id=message_id)
    exchange = list(query.visible().filter(correlation_id=message.correlation_id))
    return render(request, "site/message_detail.html", {"message": message, "exchange": exchange})


@require_GET
def export(request, fmt):
    filters, problem = _filters(request)
    if problem:
        raise Http404(problem)
    rows = query.messages(filters).order_by("id")
    if fmt == "csv":
        response = StreamingHttpResponse(csv_rows(rows), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(json_chunks(rows), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="playground-messages.{fmt}"'
    return response
