from django.urls import path

from . import views

app_name = "budgets"

urlpatterns = [
    path("", views.index, name="index"),
    path("ke-hoach/<int:plan_id>/", views.plan_budget, name="plan"),
    path("ke-hoach/<int:plan_id>/bieu-do/<str:by>.svg", views.plan_chart, name="plan_chart"),
    path("ke-hoach/<int:plan_id>/xuat-excel/", views.plan_export, name="plan_export"),
    path("ke-hoach/<int:plan_id>/du-toan-moi/", views.estimate_new, name="estimate_new"),
    path("du-toan/<int:estimate_id>/", views.estimate_detail, name="estimate"),
    path("du-toan/<int:estimate_id>/sua/", views.estimate_edit, name="estimate_edit"),
    path("du-toan/<int:estimate_id>/tham-dinh/", views.appraise, name="appraise"),
    path("du-toan/<int:estimate_id>/bo-tri/", views.allocate, name="allocate"),
    path("du-toan/<int:estimate_id>/quyet-toan/", views.settlement, name="settlement"),
    path("du-toan/<int:estimate_id>/dieu-chinh/", views.correct, name="correct"),
    path("du-toan/<int:estimate_id>/ho-so/", views.attachment_add, name="attachment_add"),
    path(
        "du-toan/<int:estimate_id>/thao-tac/<str:action>/",
        views.estimate_action,
        name="estimate_action",
    ),
    path("ho-so/<int:attachment_id>/", views.attachment_file, name="attachment_file"),
    path("ho-so/<int:attachment_id>/go/", views.attachment_remove, name="attachment_remove"),
]
