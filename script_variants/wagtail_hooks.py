"""The county's conversion phrases in the admin (设置 → 简繁转换词语), and wagtail-localize's
buttons on the rows of page listings read once per listing."""

from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.widgets.button import Button
from wagtail.models import Locale, Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail_localize import wagtail_hooks as localize_hooks
from wagtail_localize.models import TranslationSource

from disclosure_pages.pages_compat import replace_hook

from .models import ConversionOverride


class ConversionOverrideViewSet(SnippetViewSet):
    model = ConversionOverride
    icon = "doc-full"
    menu_label = "简繁转换词语"
    add_to_settings_menu = True
    list_display = ["source", "converted", "direction", "note", "updated_at"]
    list_filter = ["direction"]


register_snippet(ConversionOverrideViewSet)


# -- wagtail-localize's listing buttons ------------------------------------------------------


def _translation_facts(page, user):
    """What the buttons of ``page``'s row need, read for all its siblings at once and kept on the
    request's user: {translation key: locale ids it has a page in (aliases aside)} and
    {(translation key, locale id): id of a translation source with enabled translations}."""
    parent_path = page.path[: -page.steplen]
    cache = user.__dict__.setdefault("_sunshine_translation_facts", {})
    if parent_path not in cache:
        keys = Page.objects.filter(path__startswith=parent_path, depth=page.depth).values("translation_key")
        locales = {}
        for key, locale_id in Page.objects.filter(translation_key__in=keys, alias_of__isnull=True).values_list("translation_key", "locale_id"):
            locales.setdefault(key, set()).add(locale_id)
        sources = {
            (key, locale_id): source_id
            for key, locale_id, source_id in TranslationSource.objects.filter(
                object__translation_key__in=keys,
                object__content_type=ContentType.objects.get_for_model(Page),
                translations__enabled=True,
            ).values_list("object__translation_key", "locale_id", "pk")
        }
        cache[parent_path] = (locales, sources)
    return cache[parent_path]


def translation_listing_buttons(page, user, next_url=None, **kwargs):
    """wagtail-localize's 翻译此页 and 同步翻译页面 on a listing's row (its
    ``page_listing_more_buttons``, the same buttons), without its two or three queries a row."""
    if page.is_root() or not user.has_perm("wagtail_localize.submit_translation"):
        return
    locales, sources = _translation_facts(page, user)
    if "_sunshine_locale_ids" not in user.__dict__:
        user.__dict__["_sunshine_locale_ids"] = set(Locale.objects.values_list("pk", flat=True))
    if user.__dict__["_sunshine_locale_ids"] - locales.get(page.translation_key, set()):
        url = reverse("wagtail_localize:submit_page_translation", args=[page.alias_of_id or page.id])
        yield Button(_("Translate this page"), url, priority=60, icon_name="wagtail-localize-language")
    source_id = sources.get((page.translation_key, page.locale_id))
    if source_id is not None:
        url = reverse("wagtail_localize:update_translations", args=[source_id])
        if next_url is not None:
            url += "?" + urlencode({"next": next_url})
        yield Button(_("Sync translated pages"), url, priority=60, icon_name="resubmit")


replace_hook("register_page_listing_more_buttons", localize_hooks.page_listing_more_buttons, translation_listing_buttons)
