"""Reusable behaviours of disclosed content, in the manner of Plone's behaviours.

Each is an abstract model a page type mixes in: a validity period, an audience scope
enforced through Wagtail view restrictions, and an index number (索引号).
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.models import BaseViewRestriction, PageViewRestriction

from ..choices import Scope, Validity
from ..membership import all_members_group


class ValidityMixin(models.Model):
    """有效性: valid, expired or repealed, with effective and expiry dates."""

    validity = models.CharField(_("有效性"), max_length=10, choices=Validity.choices, default=Validity.VALID)
    effective_date = models.DateField(_("生效日期"), null=True, blank=True)
    expiry_date = models.DateField(_("失效日期"), null=True, blank=True)

    class Meta:
        abstract = True

    def clean_validity(self):
        errors = {}
        if self.effective_date and self.expiry_date and self.expiry_date < self.effective_date:
            errors["expiry_date"] = _("失效日期不能早于生效日期。")
        if self.validity == Validity.EXPIRED and not self.expiry_date:
            errors["expiry_date"] = _("标记为“已失效”时须填写失效日期。")
        return errors

    @property
    def current_validity(self):
        """The validity as of today: a valid item past its expiry date has expired."""
        if self.validity == Validity.VALID and self.expiry_date and self.expiry_date < timezone.localdate():
            return Validity.EXPIRED
        return Validity(self.validity)

    def get_current_validity_display(self):
        return self.current_validity.label


class AudienceScopeMixin(models.Model):
    """公开范围, enforced with a Wagtail view restriction bound to the audience's groups.

    The restriction is rewritten from the published content on every full save (which is
    what publishing does), in the same transaction as the live row, so a members-only item
    is never live without its restriction. Drafts only change it when they are published.
    """

    scope = models.CharField(_("公开范围"), max_length=10, choices=Scope.choices, default=Scope.PUBLIC)
    named_units = ParentalManyToManyField(
        "disclosure_pages.UnitPage", blank=True, related_name="+", verbose_name=_("指定组织（其党员可见）")
    )
    named_groups = ParentalManyToManyField(Group, blank=True, related_name="+", verbose_name=_("指定用户组"))
    named_people = ParentalManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("指定人员")
    )
    # Holds the named people of this item: Wagtail restrictions are bound to groups only.
    audience_group = models.OneToOneField(
        Group, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )

    # The scope field is the only way to restrict an item; Wagtail's privacy dialog is off.
    private_page_options = []

    class Meta:
        abstract = True

    @property
    def is_public(self):
        return self.scope == Scope.PUBLIC

    def clean_scope(self):
        if self.scope != Scope.NAMED:
            return {}
        if not (self._m2m_ids("named_units") or self._m2m_ids("named_groups") or self._m2m_ids("named_people")):
            return {"scope": _("公开范围为“向指定组织或人员公开”时，须至少指定一个组织、用户组或人员。")}
        return {}

    def _m2m_ids(self, name):
        return [obj.pk for obj in getattr(self, name).all()]

    def audience_groups(self):
        """The groups whose members may view this item; None means everyone."""
        from .units import UnitPage

        if self.scope == Scope.PUBLIC:
            return None
        if self.scope == Scope.ALL_MEMBERS:
            return Group.objects.filter(pk=all_members_group().pk)
        if self.scope == Scope.UNIT_MEMBERS:
            unit = self.get_owning_unit()
            if unit is None:
                return Group.objects.none()
            # The unit's tree in every script: a variant's tree may not have all sub-units yet.
            paths = UnitPage.objects.filter(translation_key=unit.translation_key).values_list("path", flat=True)
            tree = models.Q()
            for path in paths:
                tree |= models.Q(path__startswith=path)
            return Group.objects.filter(pk__in=UnitPage.objects.filter(tree).values("members_group"))
        group_ids = set(self._m2m_ids("named_groups"))
        group_ids.update(
            UnitPage.objects.filter(pk__in=self._m2m_ids("named_units"))
            .exclude(members_group=None)
            .values_list("members_group", flat=True)
        )
        people = self._m2m_ids("named_people")
        if people:
            group = self._named_people_group()
            group.user_set.set(people)
            group_ids.add(group.pk)
        elif self.audience_group_id:
            self.audience_group.user_set.clear()
        return Group.objects.filter(pk__in=group_ids)

    def _named_people_group(self):
        if self.audience_group_id is None:
            name = f"事项{self.pk}指定人员"
            self.audience_group, _ = Group.objects.get_or_create(name=name)
            type(self).objects.filter(pk=self.pk).update(audience_group=self.audience_group)
        return self.audience_group

    def apply_scope(self):
        """Make the view restriction of this page match its scope (idempotent)."""
        groups = self.audience_groups()
        restrictions = PageViewRestriction.objects.filter(page=self)
        if groups is None:
            restrictions.delete()
            return
        restriction = restrictions.filter(restriction_type=BaseViewRestriction.GROUPS).first()
        # Any other kind of restriction (password, login) is not ours: replace it.
        restrictions.exclude(pk=getattr(restriction, "pk", None)).delete()
        if restriction is None:
            restriction = PageViewRestriction.objects.create(page=self, restriction_type=BaseViewRestriction.GROUPS)
        restriction.groups.set(groups)

    def get_owning_unit(self):
        raise NotImplementedError


class IndexNumberSequence(models.Model):
    """The last index number handed out for a unit code and year; numbers are never reused."""

    unit_code = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit_code", "year"], name="unique_index_sequence")]

    @classmethod
    def allocate(cls, unit_code, year):
        """Return the next index number, e.g. ``CGZ/2024-00017``; safe under concurrency.

        The UPDATE takes the row's write lock (PostgreSQL row lock, SQLite database lock),
        so two transactions allocating at once queue and each gets its own value.
        """
        sequence = cls.objects.filter(unit_code=unit_code, year=year)
        with transaction.atomic():
            if not sequence.update(last_value=F("last_value") + 1):
                try:
                    with transaction.atomic():
                        cls.objects.create(unit_code=unit_code, year=year, last_value=1)
                    return f"{unit_code}/{year}-{1:05d}"
                except IntegrityError:
                    # Created by a concurrent transaction since our UPDATE found nothing.
                    sequence.update(last_value=F("last_value") + 1)
            value = sequence.values_list("last_value", flat=True).get()
        return f"{unit_code}/{year}-{value:05d}"


class IndexNumberMixin(models.Model):
    """索引号: ``<unit code>/<year>-<5-digit sequence>``, given once and never changed."""

    index_number = models.CharField(_("索引号"), max_length=64, blank=True, editable=False)

    exclude_fields_in_copy = ["index_number"]

    class Meta:
        abstract = True

    def ensure_index_number(self, unit_code, on_date=None):
        """Give the item its number once; returns whether the item has translations (known
        from the same query, so a new item's save need not ask again)."""
        if self.index_number:
            return None
        # A translation of an item shares the index number of its source.
        numbers = list(
            type(self).objects.filter(translation_key=self.translation_key)
            .exclude(pk=self.pk)
            .values_list("index_number", flat=True)
        )
        existing = next((number for number in numbers if number), None)
        if existing:
            self.index_number = existing
            return True
        year = (on_date or timezone.localdate()).year
        self.index_number = IndexNumberSequence.allocate(unit_code, year)
        self.index_number_allocated = True  # a new document (not a translation): see index_slug
        return bool(numbers)

    # Set on the instance whose save has just drawn its index number from the sequence.
    index_number_allocated = False

    @property
    def index_slug(self):
        """The short URL slug of the index number: ``CGZ/2026-00001`` → ``2026-00001`` (the
        unit's code is already in the URL, as its page's slug); empty without a number."""
        return index_number_slug(self.index_number)


def index_number_slug(index_number):
    return (index_number or "").rsplit("/", 1)[-1].lower()
