"""/questions/: predict, vote, then fire — for an instructor in a room, a student in a room, or a
learner alone (the page asks the API which it is)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def page(request):
    return render(request, "questions/page.html")
