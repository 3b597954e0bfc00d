from django.urls import path

from . import receiver, views

urlpatterns = [
    path("", views.page, name="webhooks"),
    path("receiver/", receiver.receive, name="webhooks-receiver"),
]
