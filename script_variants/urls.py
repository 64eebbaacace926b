"""Include once in a site's urls: ``path("", include("script_variants.urls"))``."""

from django.urls import path

from .views import switch_script

urlpatterns = [path("script/<str:language>/", switch_script, name="switch_script")]
