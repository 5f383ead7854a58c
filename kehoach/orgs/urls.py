from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("", views.unit_list, name="list"),
    path("<int:unit_id>/", views.unit_detail, name="detail"),
]
