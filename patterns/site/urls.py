from django.urls import path, re_path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("health", views.health_page, name="health"),
    path("messages/", views.message_log, name="messages"),
    path("messages/<int:message_id>/", views.message_detail, name="message-detail"),
    re_path(r"^messages/export\.(?P<fmt>csv|json)$", views.export, name="messages-export"),
]
