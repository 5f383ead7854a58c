"""Account pages: second factor, recovery codes, sessions, invitations."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import access, services, twofactor
from .models import OrgUnit, Role


def _next(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse(default)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Mã xác thực"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=gettext_lazy("6 chữ số trong ứng dụng xác thực, hoặc một mã khôi phục."),
    )


@login_required
def twofactor_verify(request):
    if request.user.is_verified() or not twofactor.has_2fa(request.user):
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.verify(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if device.name == twofactor.RECOVERY_NAME:
                messages.warning(
                    request, _("Bạn vừa dùng một mã khôi phục; mã đó không dùng lại được.")
                )
            return redirect(_next(request))
        form.add_error("code", _("Mã không đúng hoặc đã hết hạn. Hãy thử lại."))
    return render(request, "orgs/twofactor_verify.html", {"form": form, "next": _next(request)})


@login_required
def twofactor_setup(request):
    """Set up (or replace) the authenticator app; shows the QR code and, once, recovery codes."""
    if twofactor.has_2fa(request.user) and not request.user.is_verified():
        return redirect(f"{reverse('twofactor_verify')}?next={request.get_full_path()}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None or request.method == "GET":
        device = twofactor.totp_start(user=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.totp_confirm(device=device, token=form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            return render(
                request, "orgs/recovery_codes.html", {"codes": codes, "next": _next(request)}
            )
        form.add_error("code", _("Mã không đúng. Hãy nhập mã đang hiện trong ứng dụng."))
    context = {
        "form": form,
        "qr": twofactor.qr_data_uri(device),
        "secret": twofactor.secret_b32(device),
        "required": twofactor.requires_2fa(request.user),
        "next": _next(request),
    }
    return render(request, "orgs/twofactor_setup.html", context)


@login_required
def account(request):
    context = {
        "session_minutes": settings.SESSION_IDLE_MINUTES,
        "has_2fa": twofactor.has_2fa(request.user),
        "requires_2fa": twofactor.requires_2fa(request.user),
        "memberships": request.user.memberships.select_related("unit"),
    }
    return render(request, "orgs/account.html", context)


@login_required
@require_POST
def recovery_codes_renew(request):
    if not twofactor.has_2fa(request.user):
        raise Http404
    codes = twofactor.recovery_codes_new(user=request.user)
    return render(request, "orgs/recovery_codes.html", {"codes": codes, "next": reverse("account")})


@login_required
@require_POST
def twofactor_off(request):
    if twofactor.requires_2fa(request.user):
        messages.error(request, _("Vai trò của bạn bắt buộc xác thực hai lớp; không tắt được."))
    else:
        twofactor.twofactor_disable(user=request.user)
        messages.success(request, _("Đã tắt xác thực hai lớp."))
    return redirect("account")


@login_required
@require_POST
def logout_everywhere(request):
    services.user_logout_everywhere(user=request.user)
    logout(request)
    messages.success(request, _("Đã đăng xuất khỏi mọi thiết bị."))
    return redirect("login")


class InviteForm(forms.Form):
    username = forms.SlugField(label=gettext_lazy("Tên đăng nhập"), max_length=150)
    full_name = forms.CharField(label=gettext_lazy("Họ và tên"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("E-mail"))
    unit = forms.ModelChoiceField(label=gettext_lazy("Đơn vị"), queryset=OrgUnit.objects.none())
    role = forms.ChoiceField(label=gettext_lazy("Vai trò"), choices=Role.choices)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


@login_required
def invite_create(request):
    """Admins invite a person by e-mail; the link expires after KEHOACH_INVITE_DAYS days."""
    if not access.get_scope(request.user).is_admin:
        raise Http404
    form = InviteForm(
        request.POST or None, units=access.visible_units(request.user).order_by("name")
    )
    if request.method == "POST" and form.is_valid():
        try:
            user, token = services.user_invite(invited_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            link = request.build_absolute_uri(reverse("invite_accept", args=[token]))
            send_mail(
                _("Lời mời sử dụng kehoach"),
                _(
                    "Chào %(name)s,\n\nBạn được mời sử dụng hệ thống kehoach. Mở liên kết sau để đặt mật khẩu (hết hạn sau %(days)s ngày):\n%(link)s\n"
                )
                % {"name": user.full_name, "days": settings.INVITE_DAYS, "link": link},
                None,
                [user.email],
            )
            messages.success(request, _("Đã gửi lời mời đến %(email)s.") % {"email": user.email})
            return redirect("invite_create")
    return render(request, "orgs/invite.html", {"form": form})


def invite_accept(request, token: str):
    user = services.invite_user_for(token)
    if user is None:
        return render(request, "orgs/invite_invalid.html", status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.invite_accept(user=user, password=form.cleaned_data["new_password1"])
        messages.success(request, _("Đã đặt mật khẩu. Mời bạn đăng nhập."))
        return redirect("login")
    return render(request, "orgs/invite_accept.html", {"form": form, "invited": user})
