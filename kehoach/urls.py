from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kehoach.orgs import views_account as account
from kehoach.plans import views as plan_views

urlpatterns = [
    path("", plan_views.home, name="home"),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("dang-nhap/xac-thuc/", account.twofactor_verify, name="twofactor_verify"),
    path("tai-khoan/", account.account, name="account"),
    path("tai-khoan/xac-thuc-hai-lop/", account.twofactor_setup, name="twofactor_setup"),
    path("tai-khoan/ma-khoi-phuc/", account.recovery_codes_renew, name="recovery_codes_renew"),
    path("tai-khoan/tat-xac-thuc/", account.twofactor_off, name="twofactor_off"),
    path("tai-khoan/dang-xuat-moi-noi/", account.logout_everywhere, name="logout_everywhere"),
    path(
        "tai-khoan/doi-mat-khau/",
        auth_views.PasswordChangeView.as_view(success_url="/tai-khoan/doi-mat-khau/xong/"),
        name="password_change",
    ),
    path(
        "tai-khoan/doi-mat-khau/xong/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("moi/", account.invite_create, name="invite_create"),
    path("moi/<str:token>/", account.invite_accept, name="invite_accept"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("ke-hoach/", include("kehoach.plans.urls")),
    path("don-vi/", include("kehoach.orgs.urls")),
    path("bao-cao/", include("kehoach.reporting.urls")),
    path("thong-bao/", include("kehoach.notifications.urls")),
    path("theo-doi/", include("kehoach.monitoring.urls")),
    path("kinh-phi/", include("kehoach.budgets.urls")),
    path("van-ban/", include("kehoach.documents.urls")),
    path("", include("kehoach.engagement.urls")),
    path("nhat-ky/", include("kehoach.audit.urls")),
    path("quan-tri/", admin.site.urls),
]
