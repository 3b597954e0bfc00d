from django.urls import path

from . import views

urlpatterns = [
    path("tours/", views.index, name="tours"),
    path("tours/<slug:style>/", views.tour, name="tour"),
    path("compare/", views.compare, name="compare"),
]
