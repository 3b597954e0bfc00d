"""A webhook delivery can never fire an event, whatever address it was sent to.

Every delivery carries the Standard Webhooks headers (webhook-id, -timestamp, -signature). A
request that carries one may reach only a view marked @receives_webhooks; anywhere else (every
trigger of the API, every page) it is refused before anything runs. So no endpoint address, and
no relay that passes a delivery on, can turn one event into a stream of new ones.
"""

from django.http import JsonResponse
from django.urls import Resolver404, resolve

MARKERS = ("webhook-id", "webhook-timestamp", "webhook-signature")


def receives_webhooks(view):
    """Mark a view as a webhook receiver: the one kind of view a delivery may reach."""
    view.receives_webhooks = True
    return view


def _reaches_a_receiver(request):
    try:
        return getattr(resolve(request.path_info).func, "receives_webhooks", False)
    except Resolver404:
        return False


class DeliveriesOnlyReachReceivers:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(marker in request.headers for marker in MARKERS) and not _reaches_a_receiver(
            request
        ):
            return JsonResponse(
                {
                    "error": "webhook_delivery_refused",
                    "detail": "this request is a webhook delivery (it carries webhook-* headers); "
                    "only a webhook receiver takes those, so a delivery never fires an event",
                },
                status=403,
            )
        return self.get_response(request)
