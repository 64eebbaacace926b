"""An OpenCC machine translator for wagtail-localize: Simplified ⇄ Traditional Chinese."""

from wagtail_localize.machine_translators.base import BaseMachineTranslator
from wagtail_localize.strings import StringValue

from chinese import conversion
from chinese.conversion import convert
from disclosure_pages.conf import app_settings

SIMPLIFIED, TRADITIONAL = "zh-hans", "zh-hant"


def profile_for(target_language):
    """The OpenCC profile producing ``target_language``, as ``SUNSHINE_SCRIPT_PROFILES`` chooses."""
    return conversion.profile_for(target_language, app_settings.SUNSHINE_SCRIPT_PROFILES)


class OpenCCTranslator(BaseMachineTranslator):
    """Converts phrase by phrase; markup, Latin text, numbers and URLs pass through.

    wagtail-localize's own translators compare only the language part of a locale code and
    so refuse zh-hans → zh-hant; this one decides for itself.
    """

    display_name = "OpenCC"

    def can_translate(self, source_locale, target_locale):
        codes = {source_locale.language_code.lower(), target_locale.language_code.lower()}
        return codes == {SIMPLIFIED, TRADITIONAL}

    def translate(self, source_locale, target_locale, strings):
        profile = self.options.get("PROFILE") or profile_for(target_locale.language_code.lower())
        return {string: StringValue(convert(string.data, profile)) for string in strings}
