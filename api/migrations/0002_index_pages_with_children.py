"""Made the index of pages with children; that index is the domain's now, made by
``disclosure_pages`` 0008 (a no-op on databases where this migration made it)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("disclosure_api", "0001_initial"), ("wagtailcore", "0001_initial")]

    operations = []
