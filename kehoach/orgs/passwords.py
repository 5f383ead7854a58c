"""Django's password validators with kehoach's own Vietnamese wording.

Django's Vietnamese catalogue is partial and literal ("Nó phải chứa…"); these subclasses keep
Django's checks and give messages an officer understands at a glance. The English catalogue
translates them back for the English UI.
"""

from __future__ import annotations

from django.contrib.auth import password_validation as base
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(base.MinimumLengthValidator):
    def __init__(self, min_length: int = 10):
        super().__init__(min_length=min_length)

    def get_error_message(self):
        return (
            ngettext(
                "Mật khẩu quá ngắn: cần ít nhất %d ký tự.",
                "Mật khẩu quá ngắn: cần ít nhất %d ký tự.",
                self.min_length,
            )
            % self.min_length
        )

    def get_help_text(self):
        return ngettext(
            "Mật khẩu có ít nhất %(min_length)d ký tự.",
            "Mật khẩu có ít nhất %(min_length)d ký tự.",
            self.min_length,
        ) % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(base.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("Mật khẩu quá giống %(verbose_name)s của bạn.")

    def get_help_text(self):
        return _("Mật khẩu không được giống tên đăng nhập, họ tên hay e-mail của bạn.")


class CommonPasswordValidator(base.CommonPasswordValidator):
    def get_error_message(self):
        return _("Mật khẩu này quá phổ biến, dễ bị đoán.")

    def get_help_text(self):
        return _("Không dùng mật khẩu phổ biến (như 12345678, password).")


class NumericPasswordValidator(base.NumericPasswordValidator):
    def get_error_message(self):
        return _("Mật khẩu không được chỉ gồm chữ số.")

    def get_help_text(self):
        return _("Mật khẩu không chỉ gồm chữ số.")
