from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:plan_id>/", views.dashboard, name="dashboard"),
    path("<int:plan_id>/cai-dat/", views.plan_settings, name="settings"),
    path("<int:plan_id>/don-doc/", views.reminders, name="reminders"),
    path("<int:plan_id>/don-doc/gui/", views.reminder_send, name="reminder_send"),
    path("<int:plan_id>/don-doc/cong-van.docx", views.reminder_letter, name="reminder_letter"),
    path("<int:plan_id>/kiem-tra/", views.inspection_list, name="inspections"),
    path("<int:plan_id>/kiem-tra/moi/", views.inspection_new, name="inspection_new"),
    path("kiem-tra/<int:inspection_id>/", views.inspection_detail, name="inspection"),
    path(
        "kiem-tra/<int:inspection_id>/tra-loi/",
        views.inspection_respond,
        name="inspection_respond",
    ),
    path("kiem-tra/<int:inspection_id>/ket-thuc/", views.inspection_close, name="inspection_close"),
    path("kiem-tra/tep/<int:attachment_id>/", views.inspection_file, name="inspection_file"),
    path("kho-khan/", views.difficulty_list, name="difficulties"),
    path("kho-khan/moi/", views.difficulty_new, name="difficulty_new"),
    path("kho-khan/<int:difficulty_id>/", views.difficulty_detail, name="difficulty"),
    path(
        "kho-khan/<int:difficulty_id>/<str:action>/",
        views.difficulty_action,
        name="difficulty_action",
    ),
    path("bieu-do/<str:kind>.svg", views.chart, name="chart"),
]
