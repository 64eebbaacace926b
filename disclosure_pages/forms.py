"""Admin forms of the disclosure page types."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.admin.forms.pages import CopyForm

MINOR, SUBSTANTIVE = "minor", "substantive"


class DisclosureItemForm(WagtailAdminPageForm):
    """The item editor: binds a new item to its unit and records public change notes.

    As on GOV.UK, an editor says whether a change is substantive; a substantive change must
    be explained, and the note is published with the new version, dated today.
    """

    change_kind = forms.ChoiceField(
        label=_("本次修改"),
        choices=[(MINOR, _("一般修改（错别字、格式等），不对外说明")), (SUBSTANTIVE, _("实质性修改，发布时向公众说明"))],
        initial=MINOR,
        required=False,
        widget=forms.RadioSelect,
    )
    change_note = forms.CharField(
        label=_("更新说明"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("例如：更正第三季度党费收缴金额。首次发布无需填写。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parent = getattr(self, "parent_page", None)
        if self.instance.unit_id is None and parent is not None:
            from .models import UnitPage

            parent = parent.specific
            if isinstance(parent, UnitPage):
                # The model validates the 文号 and stage link against the unit.
                self.instance.unit = parent
        if self.instance.pk is None and "slug" in self.fields:
            # A new item's URL comes from its index number, given as it is first saved.
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _("新事项留空即可：保存时按索引号生成网址（如 2026-00001），简体、繁体版本相同。")
        if self.instance.unit_id and "catalogue_entry" in self.fields:
            unit = self.instance.unit
            entry = self.fields["catalogue_entry"]
            entry.queryset = unit.catalogue_entries()
            entry.error_messages["invalid_choice"] = _("所选目录条目不在本单位的公开目录中，请从本单位的目录中选择。")
            # The chooser opens on this unit's entries, in the editor's script.
            entry.widget.unit = unit
        if getattr(self.instance, "locale_id", None) and "named_units" in self.fields:
            # The unit search offers units in the item's script (each unit has one per script).
            self.fields["named_units"].widget.locale = self.instance.locale
        self._withhold_unseen_choices()

    def _withhold_unseen_choices(self):
        """A posted id of another unit's item or entry is refused, and not shown back: its chooser would name it."""
        from workflows.boundary import may_read, visible_catalogue_entries

        from .models import CatalogueEntry

        self.unseen_choices = []
        user = getattr(self, "for_user", None)
        if not self.is_bound or user is None:
            return
        checks = {
            "previous_stage": lambda pk: may_read(user, int(pk)),
            "catalogue_entry": lambda pk: visible_catalogue_entries(user, CatalogueEntry.objects.filter(pk=pk)).exists(),
        }
        for name, visible in checks.items():
            value = self.data.get(self.add_prefix(name))
            if name in self.fields and value and str(value).isdigit() and not visible(value):
                self.unseen_choices.append(name)
        if self.unseen_choices:
            self.data = self.data.copy()
            for name in self.unseen_choices:
                self.data[self.add_prefix(name)] = ""

    def _post_clean(self):
        # modelcluster assigns ParentalManyToMany values only on save, after the model's
        # validation; the scope check (a named scope needs someone named) must see them.
        for name in ("named_units", "named_groups", "named_people"):
            if name in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[name])
        super()._post_clean()

    def clean(self):
        cleaned_data = super().clean()
        for name in self.unseen_choices:
            self.add_error(name, _("所选内容不存在，或不属于您所在的单位。"))
        if cleaned_data.get("change_kind") == SUBSTANTIVE and not cleaned_data.get("change_note", "").strip():
            self.add_error("change_note", _("实质性修改须填写更新说明，发布后将显示在事项页面上。"))
        # The model refuses other units' files (files.py); the form shown again must not name them.
        from .files import scrub_forbidden_files

        scrub_forbidden_files(self, self.instance.unit if self.instance.unit_id else None)
        return cleaned_data

    def save(self, commit=True):
        page = super().save(commit=False)
        note = self.cleaned_data.get("change_note", "").strip()
        if self.cleaned_data.get("change_kind") == SUBSTANTIVE and note:
            from .models import ItemChangeNote

            page.change_notes.add(ItemChangeNote(date=timezone.localdate(), note=note))
        if commit:
            page.save()
        return page


class DisclosureItemCopyForm(CopyForm):
    """Copying an item to another unit: its files must be ones that unit may use (``files.py``)."""

    def clean(self):
        cleaned_data = super().clean()
        parent = cleaned_data.get("new_parent_page")
        if parent is not None:
            from .files import clean_page_files
            from .models import UnitPage

            unit = parent.specific
            if isinstance(unit, UnitPage) and clean_page_files(self.page.specific, unit, "body"):
                self.add_error(
                    "new_parent_page",
                    _("该事项使用了只属于本单位的附件或图片，不能复制到其他单位。请复制到本单位，或在目标单位中新建事项并使用该单位的文件。"),
                )
        return cleaned_data


class PowerListForm(WagtailAdminPageForm):
    """The power list editor: a new list is validated against the unit it is added to."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parent = getattr(self, "parent_page", None)
        if parent is not None and not self.instance.pk:
            from .models import UnitPage

            parent = parent.specific
            if isinstance(parent, UnitPage):
                self.instance.unit_for_validation = parent

    def clean(self):
        cleaned_data = super().clean()
        from .files import scrub_forbidden_files
        from .models import UnitPage

        unit = getattr(self.instance, "unit_for_validation", None)
        if unit is None and self.instance.pk:
            unit = UnitPage.objects.parent_of(self.instance).first()
        scrub_forbidden_files(self, unit, "powers")
        return cleaned_data


class CatalogueEntryForm(WagtailAdminModelForm):
    """A unit's officers add local entries for their own unit, under their catalogue's areas."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import CatalogueArea
        from .permissions import units_managed_by

        user = self.for_user
        if user is None or user.has_perm("disclosure_pages.change_catalogueentry"):
            return
        units = units_managed_by(user)
        self.fields["unit"].queryset = units
        self.fields["unit"].required = True
        self.fields["unit"].empty_label = None
        self.fields["area"].queryset = CatalogueArea.objects.filter(catalogue__in=units.values("catalogue"))
