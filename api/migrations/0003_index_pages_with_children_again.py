"""Remade the index of pages with children after Wagtail's migrations; that index is the
domain's now, made by ``disclosure_pages`` 0008."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("disclosure_api", "0002_index_pages_with_children"), ("wagtailcore", "0098_apitoken")]

    operations = []
