"""The password policy (密码策略): length, character classes and weak bases, said in Chinese.

Django's validators (settings' AUTH_PASSWORD_VALIDATORS) apply wherever a password is set
through a form: Wagtail's user create and edit forms, the password change and reset pages.
Django's common-password list knows English passwords; county defaults are built from a
pinyin word and digits (``dangwu123``, ``Dangwu@123``, ``Zuzhi2024!``), which
``WeakBaseValidator`` refuses whatever digits and symbols surround the word.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .conf import app_settings

# Words (lower case, letters only) a county's passwords are made of: the party's and the
# portal's vocabulary in pinyin, admin words, keyboard runs. A password whose letters are one
# of these (or one repeated) is refused, whatever digits or symbols it adds.
WEAK_BASES = frozenset(
    """
    dangwu dangjian dangyuan dangwei dangzu dangzhibu zhibu zongzhi zuzhi zuzhibu gongkai dangwugongkai
    wugongkai yangguang yangguangdangwu sunshine xianwei zhenwei cunwei shequ zhengfu renmin zhongguo china
    gongchandang gcd beijing huawei jiandang qiyi admin administrator root system sys manager guanli
    guanliyuan user test guest demo welcome password passwd pass mima woaini iloveyou qwerty qwe qweasd
    qwer asdf asd zxc zxcv qaz qazwsx wsx abc abcd abcdef aaa
    """.split()
)


class MinimumLengthValidator:
    """At least ``SUNSHINE_PASSWORD_MIN_LENGTH`` characters."""

    def validate(self, password, user=None):
        length = app_settings.SUNSHINE_PASSWORD_MIN_LENGTH
        if len(password) < length:
            raise ValidationError(
                _("密码太短，至少需要 %(min_length)d 个字符。"),
                code="password_too_short",
                params={"min_length": length},
            )

    def get_help_text(self):
        length = app_settings.SUNSHINE_PASSWORD_MIN_LENGTH
        return _("密码至少 %(min_length)d 个字符。") % {"min_length": length}


CLASSES = (re.compile(r"[a-z]"), re.compile(r"[A-Z]"), re.compile(r"[0-9]"), re.compile(r"[^a-zA-Z0-9]"))


class CharacterClassesValidator:
    """At least three of: lower-case letters, upper-case letters, digits, symbols."""

    needed = 3

    def validate(self, password, user=None):
        if sum(1 for pattern in CLASSES if pattern.search(password)) < self.needed:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _("密码须包含小写字母、大写字母、数字、符号中的至少三类。")


class WeakBaseValidator:
    """Not a common word of the county's (``WEAK_BASES``) dressed up with digits and symbols."""

    def validate(self, password, user=None):
        letters = re.sub(r"[^a-z]", "", password.lower())
        if not letters or len(set(letters)) <= 2 or any(
            letters == base * (len(letters) // len(base)) for base in WEAK_BASES
        ):
            raise ValidationError(
                _("密码过于常见：由“党务”“组织”“admin”等常用词或键盘顺序加数字、符号组成的密码容易被猜中，请换一个。"),
                code="password_too_common",
            )

    def get_help_text(self):
        return _("密码不能是常用词（如 dangwu、zuzhi、admin）加数字或符号。")
