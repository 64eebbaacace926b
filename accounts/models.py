"""The sign-in log (登录日志): sign-ins, sign-outs and failed sign-ins, admin and portal, and the
admin's second factor (codes accepted and refused, enrolment, new recovery codes, removal), in one table."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SignInEvent(models.Model):
    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", _("登录成功")
        SIGNED_OUT = "signed_out", _("退出登录")
        TIMED_OUT = "timed_out", _("超时退出")
        FAILED = "failed", _("登录失败")
        LOCKED_OUT = "locked_out", _("锁定中被拒")
        # The admin's second factor (两步验证).
        OTP_PASSED = "otp_passed", _("两步验证通过")
        OTP_FAILED = "otp_failed", _("验证码错误")
        OTP_ENROLLED = "otp_enrolled", _("启用两步验证")
        OTP_CODES = "otp_codes", _("重新生成恢复码")
        OTP_REMOVED = "otp_removed", _("关闭两步验证")

    class Area(models.TextChoices):
        ADMIN = "admin", _("管理后台")
        PORTAL = "portal", _("门户网站")

    time = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    kind = models.CharField(_("结果"), max_length=16, choices=Kind.choices)
    area = models.CharField(_("入口"), max_length=8, choices=Area.choices)
    # As typed at the sign-in (a failure may name an account that does not exist).
    username = models.CharField(_("用户名"), max_length=150, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("账号"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    address = models.CharField(_("IP 地址"), max_length=45, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("登录日志")
        verbose_name_plural = _("登录日志")
        ordering = ["-time", "-pk"]

    def __str__(self):
        return f"{self.time:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"
