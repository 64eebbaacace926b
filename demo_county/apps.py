from django.apps import AppConfig


class DemoCountyConfig(AppConfig):
    """The fictional 云溪县 for development, screenshots, tests and benchmarks (``manage.py seed_demo``); production leaves it out."""

    name = "demo_county"
    verbose_name = "演示县"
    default_auto_field = "django.db.models.BigAutoField"
