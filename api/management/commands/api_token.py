"""``manage.py api_token``: issue, list and revoke party members' API tokens."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from api.models import MemberToken


class Command(BaseCommand):
    help = "管理党员应用的开放接口访问令牌：issue 签发（令牌只显示一次）、list 列出、revoke 吊销。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        issue = actions.add_parser("issue", help="为用户签发令牌")
        issue.add_argument("username")
        issue.add_argument("--name", default="", help="令牌名称，例如“手机应用”")
        issue.add_argument("--days", type=int, default=365, help="有效天数（默认 365；0 为永不过期）")
        listing = actions.add_parser("list", help="列出令牌（不含令牌本身）")
        listing.add_argument("username", nargs="?")
        revoke = actions.add_parser("revoke", help="按前缀吊销令牌")
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        getattr(self, action)(**options)

    def issue(self, username, name, days, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户“{username}”。")
        expires_at = timezone.now() + timedelta(days=days) if days > 0 else None
        try:
            token, key = MemberToken.issue(user, name=name, expires_at=expires_at)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        self.stdout.write(key)
        self.stderr.write(f"已为 {username} 签发令牌 {token.prefix}…，" + (f"{expires_at:%Y-%m-%d} 过期。" if expires_at else "永不过期。")
                          + "令牌只显示这一次。")

    def list(self, username=None, **options):
        tokens = MemberToken.objects.select_related("user").order_by("user__username", "created_at")
        if username:
            tokens = tokens.filter(user__username=username)
        for token in tokens:
            expires = f"{token.expires_at:%Y-%m-%d}" if token.expires_at else "永不"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "未使用"
            self.stdout.write(f"{token.prefix}…  {token.user.username}  {token.name or '-'}  过期：{expires}  最近使用：{used}")

    def revoke(self, prefix, **options):
        deleted, _ = MemberToken.objects.filter(prefix=prefix).delete()
        if not deleted:
            raise CommandError(f"没有前缀为“{prefix}”的令牌。")
        self.stdout.write(f"已吊销 {deleted} 个令牌。")
