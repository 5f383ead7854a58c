from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kehoach.plans import views as plan_views

urlpatterns = [
    path("", plan_views.home, name="home"),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("ke-hoach/", include("kehoach.plans.urls")),
    path("don-vi/", include("kehoach.orgs.urls")),
    path("bao-cao/", include("kehoach.reporting.urls")),
    path("thong-bao/", include("kehoach.notifications.urls")),
    path("quan-tri/", admin.site.urls),
]
