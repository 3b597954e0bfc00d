from django.urls import path, resolve

from . import views


def api_without_slash(request):
    """`GET /api/questions` without the slash, as people type it (ninja's route is /api/questions/)."""
    match = resolve("/api/questions/")
    return match.func(request, *match.args, **match.kwargs)


urlpatterns = [
    path("questions/", views.page, name="questions"),
    path("api/questions", api_without_slash),
]
