from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("giao-viec/<int:assignment_id>/", views.assignment_detail, name="assignment"),
    path("giao-viec/<int:assignment_id>/bao-cao-moi/", views.report_new, name="report_new"),
    path(
        "giao-viec/<int:assignment_id>/xac-nhan-hoan-thanh/",
        views.assignment_complete,
        name="assignment_complete",
    ),
    path("<int:report_id>/", views.report_detail, name="report"),
    path("<int:report_id>/sua/", views.report_edit, name="report_edit"),
    path("<int:report_id>/tai-lieu/<str:kind>/", views.evidence_add, name="evidence_add"),
    path("<int:report_id>/<str:action>/", views.report_action, name="report_action"),
    path("tai-lieu/<int:evidence_id>/", views.evidence_file, name="evidence_file"),
    path(
        "tai-lieu/<int:evidence_id>/anh-nho/",
        views.evidence_file,
        {"variant": "thumbnail"},
        name="evidence_thumbnail",
    ),
    path("tai-lieu/<int:evidence_id>/go/", views.evidence_remove, name="evidence_remove"),
    path("duyet/", views.review_queue, name="queue"),
    path("duyet/chap-nhan/", views.accept_many, name="accept_many"),
]
