"""Remove a user's second factor when the phone and the recovery codes are lost (an operator's task)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.models import SignInEvent
from accounts.two_factor import remove_devices, required_for


class Command(BaseCommand):
    help = "删除一个用户的两步验证设备和恢复码（手机和恢复码都丢失时），其下次登录时重新启用。"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        removed = remove_devices(user)
        if not removed:
            self.stdout.write(f"{username} has no second-factor device: nothing removed.")
            return
        # In the sign-in log beside the user's own steps: who lost their second factor, and how.
        SignInEvent.objects.create(
            kind=SignInEvent.Kind.OTP_REMOVED, area=SignInEvent.Area.ADMIN, username=user.get_username(), user=user,
            user_agent="manage.py reset_two_factor",
        )
        self.stdout.write(f"Removed {removed} second-factor device(s) of {username}, with their recovery codes.")
        if required_for(user):
            self.stdout.write(f"{username} must enrol again at the next admin sign-in.")
        else:
            self.stdout.write(f"{username} signs in with the password alone until enrolling again.")
