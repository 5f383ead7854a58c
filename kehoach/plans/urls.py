from django.urls import path

from . import views, views_import

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<int:plan_id>/", views.plan_detail, name="detail"),
    path("nhiem-vu/<int:task_id>/", views.task_detail, name="task"),
    path("viec-cua-don-vi/", views.my_work, name="my_work"),
    path("nhap/", views_import.import_upload, name="import"),
    path("nhap/<int:session_id>/", views_import.import_review, name="import_review"),
    path(
        "nhap/<int:session_id>/xac-dinh-don-vi/",
        views_import.import_resolve,
        name="import_resolve",
    ),
    path("nhap/<int:session_id>/huy/", views_import.import_discard, name="import_discard"),
    path("<int:plan_id>/sao-chep/", views_import.plan_clone, name="clone"),
]
