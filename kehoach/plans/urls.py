from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<int:plan_id>/", views.plan_detail, name="detail"),
    path("nhiem-vu/<int:task_id>/", views.task_detail, name="task"),
    path("viec-cua-don-vi/", views.my_work, name="my_work"),
]
