from django.urls import path

from . import views

urlpatterns = [
    path("rooms/", views.instructor, name="rooms"),
    path("owner/", views.owner_page, name="owner"),
    path("rooms/<str:code>/qr.svg", views.qr, name="room-qr"),
    path("r/<str:code>", views.join, name="room-join"),
    path("api/rooms", views.api_without_slash),
]
