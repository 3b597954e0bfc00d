from django.urls import path

from . import views

urlpatterns = [
    path("", views.page, name="api-page"),
    path("baseline/orders/<int:order_id>", views.baseline_order, name="api-baseline-order"),
]
