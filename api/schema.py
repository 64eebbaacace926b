"""The OpenAPI 3 schema (drf-spectacular): only the API's endpoints, its token scheme, and
the guide for app developers (``guide.md``) as the schema's description."""

from pathlib import Path

from drf_spectacular.extensions import OpenApiAuthenticationExtension

GUIDE = Path(__file__).with_name("guide.md")


class MemberTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.MemberTokenAuthentication"
    name = "memberToken"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "党员的访问令牌：`Authorization: Bearer <令牌>`。不带令牌即为公众，只能看到向社会公开的内容。",
        }


def only_api_endpoints(endpoints, **kwargs):
    """The site also runs DRF views of its own (Wagtail's admin API): the schema is the API's."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v2/")]


def add_guide(result, generator, request, public):
    result["info"]["description"] = GUIDE.read_text(encoding="utf-8")
    return result
