"""Public pages under /cong-khai/ (no login); officers' pages under /doi-thoai/ and /chi-so/."""

from django.urls import path

from .views import conferences, indicators, public

app_name = "engagement"

urlpatterns = [
    # public (anonymous 200)
    path("cong-khai/", public.index, name="public_index"),
    path("cong-khai/<int:plan_id>/", public.plan_page, name="public_plan"),
    path("cong-khai/<int:plan_id>/hoi-dap/", public.questions, name="public_questions"),
    path(
        "cong-khai/<int:plan_id>/chi-so/<slug:kind_code>.svg",
        public.indicator_chart,
        name="public_chart",
    ),
    path("cong-khai/hoi-nghi/<int:conference_id>/", public.conference, name="public_conference"),
    path("cong-khai/hoi-nghi/<int:conference_id>/da-gui/", public.sent, name="public_sent"),
    # officers
    path("doi-thoai/", conferences.conference_list, name="conferences"),
    path(
        "doi-thoai/giao-viec/<int:assignment_id>/hoi-nghi-moi/",
        conferences.conference_new,
        name="conference_new",
    ),
    path("doi-thoai/<int:conference_id>/", conferences.conference_detail, name="conference"),
    path("doi-thoai/<int:conference_id>/sua/", conferences.conference_edit, name="conference_edit"),
    path(
        "doi-thoai/<int:conference_id>/ket-qua/",
        conferences.conference_result,
        name="conference_result",
    ),
    path(
        "doi-thoai/<int:conference_id>/ke-hoach-to-chuc/",
        conferences.conference_document,
        name="conference_document",
    ),
    path(
        "doi-thoai/<int:conference_id>/thao-tac/<str:action>/",
        conferences.conference_action,
        name="conference_action",
    ),
    path("doi-thoai/cau-hoi/<int:question_id>/", conferences.question_detail, name="question"),
    path(
        "doi-thoai/cau-hoi/<int:question_id>/<str:action>/",
        conferences.question_action,
        name="question_action",
    ),
    path("doi-thoai/cau-hoi-duoc-giao/", conferences.my_questions, name="my_questions"),
    path(
        "doi-thoai/ke-hoach/<int:plan_id>/cong-khai/",
        conferences.public_settings,
        name="public_settings",
    ),
    path("chi-so/", indicators.indicators, name="indicators"),
    path("chi-so/nhap/", indicators.indicator_import, name="indicator_import"),
    path("chi-so/cong-dich-vu-cong/", indicators.portal_stats, name="portal_stats"),
    path("chi-so/cong-dich-vu-cong/nhap/", indicators.portal_import, name="portal_import"),
]
