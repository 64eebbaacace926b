"""Units (党组织/单位): the county committee, townships, departments, villages and communities."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Collection, GroupPagePermission, Page
from wagtail.search import index

from ..choices import UnitType
from ..permissions import PolicyCheckedPermissionsMixin

unit_code_validator = RegexValidator(r"^[A-Za-z0-9-]{2,32}$", "单位编码只能包含字母、数字和连字符，长度 2–32 位。")


class UnitPage(PolicyCheckedPermissionsMixin, RoutablePageMixin, Page):
    """A party organisation that publishes disclosure items; units nest as the county's tree."""

    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    unit_type = models.CharField(_("单位类型"), max_length=20, choices=UnitType.choices)
    code = models.CharField(
        _("单位编码"), max_length=32, validators=[unit_code_validator], help_text=_("稳定不变的编码，用于索引号，例如 CGZ 或 CGZ-DQC。")
    )
    introduction = RichTextField("单位简介", blank=True, features=["bold", "italic", "ol", "ul", "link"])
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=40, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=100, blank=True)
    catalogue = models.ForeignKey(
        "disclosure_pages.Catalogue", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("采用的公开目录")
    )
    officers_group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("公开专员组"))
    leading_group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("领导小组（审核人）"))
    members_group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("本单位党员"))
    supervisors_group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("监督员"))
    # The unit's documents and images (``files.py``), created with the unit; a county also has
    # the collection it shares with all its units. Collections are never deleted with a unit:
    # deleting a collection deletes its files.
    files_collection = models.ForeignKey(
        Collection, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+", verbose_name=_("本单位文件库")
    )
    shared_files_collection = models.ForeignKey(
        Collection, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+", verbose_name=_("县级共享文件库")
    )

    parent_page_types = ["disclosure_pages.PortalPage", "disclosure_pages.UnitPage"]
    subpage_types = ["disclosure_pages.UnitPage", "disclosure_pages.DisclosureItemPage", "disclosure_pages.PowerListPage"]
    template = "disclosure_pages/unit_page.html"

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("short_name"), FieldPanel("unit_type"), FieldPanel("code")]),
        FieldPanel("catalogue"),
        FieldPanel("introduction"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("contact_person"), FieldPanel("phone")]),
                FieldRowPanel([FieldPanel("email"), FieldPanel("office_hours")]),
                FieldPanel("address"),
            ],
            heading=_("联系方式"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("officers_group", read_only=True),
                FieldPanel("leading_group", read_only=True),
                FieldPanel("members_group", read_only=True),
                FieldPanel("supervisors_group", read_only=True),
            ],
            heading=_("用户组（创建单位时自动生成）"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("short_name"), index.FilterField("code")]

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")

    @property
    def display_name(self):
        return self.short_name or self.title

    def clean(self):
        super().clean()
        clash = UnitPage.objects.filter(code=self.code, locale_id=self.locale_id).exclude(pk=self.pk)
        if self.code and clash.exists():
            raise ValidationError({"code": _("单位编码“%(code)s”已被“%(unit)s”使用。") % {"code": self.code, "unit": clash.first().title}})

    def save(self, *args, **kwargs):
        with transaction.atomic():
            if not self.officers_group_id:
                self._create_groups()
            super().save(*args, **kwargs)
            if getattr(self, "_grant_permissions", False):
                self._grant_page_permissions()
                self._grant_permissions = False

    # -- groups -------------------------------------------------------------------------

    GROUP_ROLES = (
        ("officers_group", "公开专员"),
        ("leading_group", "领导小组"),
        ("members_group", "党员"),
        ("supervisors_group", "监督员"),
    )

    def _create_groups(self):
        from ..files import create_unit_collections

        for field, role in self.GROUP_ROLES:
            group, _ = Group.objects.get_or_create(name=f"{self.display_name}（{self.code}）{role}")
            setattr(self, field, group)
        if not self.files_collection_id:
            create_unit_collections(self)
        self._grant_permissions = True

    def _grant_page_permissions(self):
        """Officers and the leading group draft in their own unit; nobody publishes directly.

        Publishing goes through the review workflow, which publishes on the last approval.
        Their files are their unit's collection (``files.py``), not the root collection.
        """
        from ..files import grant_unit_files

        grants = {
            self.officers_group: ["add_page", "change_page"],
            self.leading_group: ["add_page", "change_page"],
        }
        admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        for group, codenames in grants.items():
            group.permissions.add(admin_access)
            for codename in codenames:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=self, permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
                )
        grant_unit_files(self)

        if self.unit_type == UnitType.COUNTY:
            self._grant_catalogue_permissions()

    def _grant_catalogue_permissions(self):
        """The county office (the county unit's officers and leading group) edits the catalogue
        and the county's conversion phrases (简繁转换词语)."""
        catalogue_permissions = Permission.objects.filter(
            models.Q(content_type__app_label="disclosure_pages", content_type__model__in=["catalogue", "catalogueentry"])
            | models.Q(content_type__app_label="script_variants", content_type__model="conversionoverride"),
            codename__regex=r"^(add|change|delete|view)_",
        )
        for group in (self.officers_group, self.leading_group):
            group.permissions.add(*catalogue_permissions)

    def groups(self):
        return [getattr(self, field) for field, _ in self.GROUP_ROLES if getattr(self, field) is not None]

    # -- tree ---------------------------------------------------------------------------

    def sub_units(self):
        return UnitPage.objects.child_of(self).live().order_by("path")

    def catalogue_entries(self):
        """Entries this unit discloses under: its catalogue's county entries and its own."""
        from .catalogue import CatalogueEntry

        entries = CatalogueEntry.objects.select_related("area")
        if self.catalogue_id:
            return entries.filter(area__catalogue_id=self.catalogue_id).filter(
                # By translation key: a variant's local entries still point at the source unit.
                models.Q(unit__isnull=True) | models.Q(unit__translation_key=self.translation_key)
            )
        return entries.filter(unit__translation_key=self.translation_key)

    # -- public views -------------------------------------------------------------------

    def get_context(self, request, *args, **kwargs):
        from ..conf import app_settings
        from ..fragments import fragment_key
        from ..listings import items_by_area
        from .power import PowerListPage

        context = super().get_context(request, *args, **kwargs)
        # Read only when the template's cached fragments are not at hand.
        context["areas"] = SimpleLazyObject(lambda: items_by_area(self, request.user))
        context["sub_units"] = self.sub_units()
        context["power_lists"] = self.get_children().live().type(PowerListPage).specific()
        context["fragment_key"] = key = fragment_key(request)
        context["fragment_seconds"] = app_settings.SUNSHINE_PORTAL_FRAGMENT_CACHE_SECONDS if key else 0
        return context

    @path("feed/rss/", name="rss")
    def rss_feed(self, request):
        from ..feeds import ItemsRssFeed

        return ItemsRssFeed()(request, scope_object=self)

    @path("feed/atom/", name="atom")
    def atom_feed(self, request):
        from ..feeds import ItemsAtomFeed

        return ItemsAtomFeed()(request, scope_object=self)

