"""``manage.py sync_variants``: create or update the other-script variant of every live page.

``--reconvert`` first converts every machine-converted string again with the current phrase
dictionary and known names (after ``chinese/phrases.tsv`` changed, or a person or unit whose
name was converted as words was added): the variants whose text changed are then saved.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale, Page

from disclosure_pages.bulk import index_updates_paused, rebuild_indexes
from disclosure_pages.models import CatalogueEntry

from ...machine_translator import refresh_machine_translations
from ...sync import is_variant, other_locale, sync_variant


class Command(BaseCommand):
    help = "为所有已发布页面和公开目录生成或更新另一种字形（简/繁）的版本。"

    def add_arguments(self, parser):
        parser.add_argument("--locale", default="zh-hans", help="源版本的语言（默认 zh-hans）")
        parser.add_argument("--missing-only", action="store_true", help="只为还没有另一字形版本的对象生成（供 make run 使用）")
        parser.add_argument("--reconvert", action="store_true", help="先按当前词典和已知人名、单位名重新转换机器转换的文字，再更新受影响的版本")
        parser.add_argument("--skip-index", action="store_true", help="最后不重建搜索索引和引用索引")

    def handle(self, *args, **options):
        locale = Locale.objects.filter(language_code=options["locale"]).first()
        if locale is None:
            raise CommandError(f"没有语言“{options['locale']}”。")
        target = other_locale(locale)
        if options["reconvert"]:
            changed = refresh_machine_translations()
            self.stdout.write(f"重新转换后有 {len(changed)} 条文字不同，含有这些文字的版本将更新。")
        objects = list(CatalogueEntry.objects.filter(locale=locale).order_by("pk"))
        objects += [
            page
            for page in Page.objects.filter(locale=locale, depth__gt=1).live().order_by("path").specific()
            if not is_variant(page)
        ]
        if options["missing_only"]:
            objects = [obj for obj in objects if not type(obj).objects.filter(translation_key=obj.translation_key, locale=target).exists()]
        if not objects:
            self.stdout.write("另一字形版本均已存在。")
            return
        started = time.monotonic()
        with index_updates_paused():
            for obj in objects:
                sync_variant(obj)
        if not options["skip_index"]:
            rebuild_indexes()
        elapsed = time.monotonic() - started
        self.stdout.write(f"已同步 {len(objects)} 个对象的{target.get_display_name()}版本，用时 {elapsed:.1f} 秒。")
