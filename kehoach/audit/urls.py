from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.latest, name="latest"),
    path("doi-tuong/<int:content_type_id>/<str:object_id>/", views.for_object, name="object"),
    path("nguoi-dung/<int:user_id>/", views.for_user, name="user"),
]
