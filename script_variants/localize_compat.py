"""The private parts of wagtail-localize that the variant sync's fast path relies on, and only here.

Each function names the wagtail-localize code it mirrors. After upgrading wagtail-localize
past ``TESTED_VERSIONS`` (the system check ``sunshine.W001`` says so), compare each one with
that code, then run ``tests/script_variants`` (its parity tests run the sync with
``SUNSHINE_FRAMEWORK_FAST_PATHS`` on and off, the official path being
``TranslationSource.update_or_create_from_instance`` and ``create_or_update_translation``).
"""

import uuid

from wagtail_localize.models import String, Template, TranslationContext

from disclosure_pages.pages_compat import tested_versions_check

TESTED_VERSIONS = {"wagtail-localize": "1.14.5"}

check_tested_versions = tested_versions_check(__name__, TESTED_VERSIONS)


def context_path_id(path):
    """The key of a ``TranslationContext`` (``TranslationContext._get_path_id``)."""
    return TranslationContext._get_path_id(path)


def string_data_hash(data):
    """The key of a source ``String`` (``String._get_data_hash``)."""
    return String._get_data_hash(data)


def template_uuid(template_format, template):
    """The key of a ``Template`` (``Template.from_value`` computes it inline)."""
    return uuid.uuid5(uuid.uuid5(Template.BASE_UUID_NAMESPACE, template_format), template)

