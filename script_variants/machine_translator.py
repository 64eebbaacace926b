"""The machine translator for wagtail-localize: Simplified ⇄ Traditional through the conversion layer.

``chinese.conversion``: OpenCC with the project's phrase dictionary, the names the system
knows and the county's conversion phrases (``ConversionOverride``). The translator's name carries the dictionary's version; wagtail-localize stores it with
each converted string, so ``refresh_machine_translations`` finds what an older version made.
"""

from wagtail_localize.machine_translators.base import BaseMachineTranslator
from wagtail_localize.models import StringTranslation
from wagtail_localize.strings import StringValue

from chinese import conversion
from chinese.conversion import NO_NAMES, convert, convert_all, to_traditional_profile
from chinese.dictionary import project_dictionary
from disclosure_pages.conf import app_settings

from .names import known_names
from .overrides import overrides_for

SIMPLIFIED, TRADITIONAL = "zh-hans", "zh-hant"
TOOL_PREFIX = "OpenCC"


def profile_for(target_language):
    """The OpenCC profile producing ``target_language``, as ``SUNSHINE_SCRIPT_PROFILES`` chooses."""
    return conversion.profile_for(target_language, app_settings.SUNSHINE_SCRIPT_PROFILES)


def _names_and_overrides(profile):
    to_traditional = to_traditional_profile(profile)
    return known_names() if to_traditional else NO_NAMES, overrides_for(to_traditional)


def convert_for(text, target_language, profile=None):
    """``text`` converted into ``target_language`` as variants are: with the names the system
    knows and the county's conversion phrases."""
    profile = profile or profile_for(target_language)
    return convert(text, profile, *_names_and_overrides(profile))


class OpenCCTranslator(BaseMachineTranslator):
    """Converts phrase by phrase; markup, Latin text, numbers and URLs pass through.

    wagtail-localize's own translators compare only the language part of a locale code and
    so refuse zh-hans → zh-hant; this one decides for itself.
    """

    display_name = f"{TOOL_PREFIX} + 阳光党务词典 {project_dictionary().version}"

    def can_translate(self, source_locale, target_locale):
        codes = {source_locale.language_code.lower(), target_locale.language_code.lower()}
        return codes == {SIMPLIFIED, TRADITIONAL}

    def translate(self, source_locale, target_locale, strings):
        """The strings of one page or snippet, converted together (a name found in one is known in all)."""
        language = target_locale.language_code.lower()
        profile = self.options.get("PROFILE") or profile_for(language)
        strings = list(strings)
        converted = convert_all([string.data for string in strings], profile, *_names_and_overrides(profile))
        return {string: StringValue(text) for string, text in zip(strings, converted)}


def refresh_machine_translations(**filters):
    """Convert the machine-converted strings (those ``filters`` select) again, after the
    dictionary, a known name or a county phrase changed.

    A conversion that comes out the same is relabelled with the current dictionary; one that
    differs is deleted, so that the next sync of the variants using it converts it again and
    saves them (segment overrides made in wagtail-localize's editor are not machine
    conversions and stay). Returns the ids of the source strings whose conversion changed.
    """
    changed, relabelled = {}, []
    machine = StringTranslation.objects.filter(
        translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE, tool_name__startswith=TOOL_PREFIX, **filters
    ).select_related("translation_of", "locale")
    for translation in machine.iterator():
        if convert_for(translation.translation_of.data, translation.locale.language_code.lower()) != translation.data:
            changed[translation.pk] = translation.translation_of_id
        elif translation.tool_name != OpenCCTranslator.display_name:
            relabelled.append(translation.pk)
    StringTranslation.objects.filter(pk__in=relabelled).update(tool_name=OpenCCTranslator.display_name)
    StringTranslation.objects.filter(pk__in=changed).delete()
    return set(changed.values())
