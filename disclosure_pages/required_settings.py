"""The Wagtail and Django settings the plugin relies on; a site star-imports them at the end of its settings.

Settings of the plugin's own (``SUNSHINE_*``) have their defaults in each app's ``conf.py``
and are listed in the README; these are other packages' settings the plugin needs set so.
"""

# ---------------------------------------------------------------------------
# Languages: Simplified is the default; Traditional is the other script.
# https://docs.wagtail.org/en/stable/advanced_topics/i18n.html
# ---------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Every page and catalogue snippet gets a variant in the other script (script_variants).
# https://wagtail-localize.org/stable/how-to/integrations/machine-translation/
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {"CLASS": "script_variants.machine_translator.OpenCCTranslator", "OPTIONS": {}}
WAGTAIL_ALLOW_UNICODE_SLUGS = True

# ---------------------------------------------------------------------------
# Sign-in: members sign in on the portal (disclosure_pages/accounts.py), in the script they
# are reading; restricted pages and documents send readers there. Officers sign in at /admin/.
# ---------------------------------------------------------------------------
LOGIN_URL = "portal_login"
WAGTAIL_FRONTEND_LOGIN_URL = "portal_login"

# ---------------------------------------------------------------------------
# Files: documents are always served through Wagtail's view, so that the scope of the item
# they are attached to is checked (disclosure_pages.attachments), never by the web server.
# Images likewise: set STORAGES["default"] to disclosure_pages.files.CheckedImagesFileSystemStorage.
# ---------------------------------------------------------------------------
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "txt", "csv", "zip", "ofd", "wps"]

# ---------------------------------------------------------------------------
# Search: the search app's database backend (engines: see the README's Search section).
# ---------------------------------------------------------------------------
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database"}}

# ---------------------------------------------------------------------------
# Review workflow (workflows/): 本单位审核 → 县级审核, then publication.
# https://docs.wagtail.org/en/stable/reference/settings.html#workflow
# ---------------------------------------------------------------------------
# The last approval publishes through the workflow: nobody below the superusers holds the
# publish permission, so the completed review is the permission (workflows/publishing.py).
WAGTAIL_FINISH_WORKFLOW_ACTION = "workflows.publishing.publish_approved_revision"
# Every required tier approves the very revision that is published: a change made after a
# tier approved sends the item back through that tier.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# Submissions are announced to the tier's approvers (the unit's leading group), not to
# every superuser of the county.
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False

# ---------------------------------------------------------------------------
# Headless API (api/): /api/v2/, the OpenAPI schema at /api/schema/, docs at /api/docs/.
# https://www.django-rest-framework.org/ · https://drf-spectacular.readthedocs.io/
# ---------------------------------------------------------------------------
REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}
SPECTACULAR_SETTINGS = {
    "TITLE": "阳光党务开放接口",
    "VERSION": "2",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "persistAuthorization": True, "displayRequestDuration": True},
    "PREPROCESSING_HOOKS": ["api.schema.only_api_endpoints"],
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.add_guide"],
    # One name for a choice set used in several places (else drf-spectacular invents a second).
    "ENUM_NAME_OVERRIDES": {"ValidityEnum": "disclosure_pages.choices.Validity"},
}
# Wagtail's own page, image and document endpoints page as the API's lists do (SUNSHINE_API_MAX_PAGE_SIZE).
WAGTAILAPI_LIMIT_MAX = 100
# Browser calls to the API from other origins (a kiosk front end): the site lists the
# origins in CORS_ALLOWED_ORIGINS; only /api/ answers them, read-only.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_HEADERS = ["accept", "authorization", "content-type", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
