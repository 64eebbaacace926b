"""What the API keeps of its own: members' tokens, the content version, tombstones, images in use."""

from django.utils.translation import gettext_lazy as _
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone
from wagtail.images import get_image_model_string

TOKEN_BYTES = 32


def digest(key):
    return hashlib.sha256(key.encode()).hexdigest()


class MemberToken(models.Model):
    """A party member's app token (访问令牌). Only its SHA-256 is stored; the key is shown once.

    A token reads as its user: the members-only items of the units whose members group the
    user belongs to, and items naming the user. Superusers get no token: the API never
    shows everything to anyone.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_tokens", verbose_name=_("用户"))
    name = models.CharField(_("名称"), max_length=100, blank=True, help_text=_("例如：手机应用、服务中心一体机"))
    prefix = models.CharField(_("前缀"), max_length=8, editable=False, help_text=_("用于辨认令牌，不是令牌本身"))
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("访问令牌")
        verbose_name_plural = _("访问令牌")

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    def clean(self):
        if self.user_id and self.user.is_superuser:
            raise ValidationError({"user": "超级管理员不能使用开放接口令牌。"})

    @classmethod
    def issue(cls, user, name="", expires_at=None):
        """Create a token for ``user``; returns ``(token, key)``. The key is not stored."""
        key = secrets.token_urlsafe(TOKEN_BYTES)
        token = cls(user=user, name=name, prefix=key[:8], key_digest=digest(key), expires_at=expires_at)
        token.full_clean(exclude=["key_digest", "prefix"])
        token.save()
        return token, key

    @classmethod
    def find(cls, key):
        """The usable token with this key, or None (unknown, expired, or its user may not use one)."""
        token = cls.objects.select_related("user").filter(key_digest=digest(key)).first()
        if token is None or not token.user.is_active or token.user.is_superuser:
            return None
        if token.expires_at is not None and token.expires_at <= timezone.now():
            return None
        return token


class ContentVersion(models.Model):
    """One row counting changes to anything the API shows; ETags and cached responses use it.

    Bumped inside the writing transaction (``api.signals``), so a reader that sees new
    content also sees the new number once that transaction commits.
    """

    number = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    SINGLETON = 1

    @classmethod
    def current(cls):
        version = cls.objects.filter(pk=cls.SINGLETON).first()
        return version or cls.objects.get_or_create(pk=cls.SINGLETON)[0]

    @classmethod
    def bump(cls):
        if not cls.objects.filter(pk=cls.SINGLETON).update(number=F("number") + 1, changed_at=timezone.now()):
            cls.objects.get_or_create(pk=cls.SINGLETON)


def person_key(user_id):
    """A named person's own key in ``Tombstone.audience``: an item's named-people group is
    deleted with the item, so its tombstone names the people themselves."""
    return f"user{user_id}"


class Tombstone(models.Model):
    """An item that readers who had it must drop: deleted, unpublished, removed (撤除), or no
    longer shown to some audience (its scope narrowed). ``updated_since`` syncs report them.

    Only the id and the reason are kept: nothing of the item's content. One row per page,
    the latest reason: a reader only needs to know that, and when.
    """

    DELETED = "deleted"
    UNPUBLISHED = "unpublished"
    REMOVED = "removed"
    RESTRICTED = "restricted"
    REASONS = [(DELETED, "已删除"), (UNPUBLISHED, "已取消发布"), (REMOVED, "已撤除"), (RESTRICTED, "公开范围已收窄")]

    page_id = models.BigIntegerField(unique=True)
    translation_key = models.UUIDField()
    language_code = models.CharField(max_length=20)
    reason = models.CharField(max_length=12, choices=REASONS)
    # Whether the public could read the item just before (kept for older readers of the table;
    # ``audience`` says it too).
    was_public = models.BooleanField(default=False)
    # Who could read it just before: the audience keys of ``disclosure_pages.visibility``
    # ("public", "login", "group<id>"), space-separated with a space at each end. A sync
    # hands a tombstone only to readers holding one of them: nobody learns even the id of
    # an item he could never read.
    audience = models.TextField(default="", blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("删除记录")

    @staticmethod
    def audience_text(keys):
        return f" {' '.join(sorted(keys))} " if keys else ""

    @classmethod
    def for_reader(cls, reader):
        """Tombstones of items ``reader`` could read when they left (all of them for a
        superuser, who reads everything live; the API gives superusers no token)."""
        from disclosure_pages.visibility import user_audience_keys

        keys = user_audience_keys(reader)
        if keys is None:
            return cls.objects.all()
        if reader.is_authenticated:
            keys = [*keys, person_key(reader.pk)]
        held = models.Q(pk__in=[])
        for key in keys:
            held |= models.Q(audience__contains=f" {key} ")
        return cls.objects.filter(held)


class PublishedImage(models.Model):
    """An image that the live version of a page shows: the images endpoint lists only these,
    of pages the reader may view (like ``disclosure_pages.PublishedAttachment`` for files)."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    image = models.ForeignKey(get_image_model_string(), on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["page", "image"], name="unique_published_image")]
