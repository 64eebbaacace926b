"""``manage.py make_traditional_catalogue``: the zh-hant message catalogue, converted by OpenCC.

Template and code strings are written in Simplified Chinese, so the zh-hans catalogue is the
identity; the zh-hant one is generated: ``makemessages`` collects the strings (needs GNU
gettext), OpenCC converts those not yet translated by hand, and the .mo is compiled with
polib. The result is committed, so running the site needs no gettext.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from chinese.conversion import convert

from ...machine_translator import profile_for


class Command(BaseCommand):
    help = "用 OpenCC 生成繁体界面文字的翻译目录（locale/zh_Hant）。"

    def handle(self, *args, **options):
        ignore = [".venv/*", "test-artifacts/*", "media/*", "static_collected/*", "node_modules/*"]
        call_command("makemessages", locale=["zh_Hant"], ignore_patterns=ignore, verbosity=0, no_obsolete=True)
        path = Path(settings.LOCALE_PATHS[0]) / "zh_Hant" / "LC_MESSAGES" / "django.po"
        catalogue = polib.pofile(str(path))
        profile = profile_for("zh-hant")
        converted = 0
        for entry in catalogue:
            hand_written = entry.msgstr and "fuzzy" not in entry.flags
            if entry.msgid_plural:
                entry.msgstr_plural = {0: convert(entry.msgid, profile), 1: convert(entry.msgid_plural, profile)}
            elif not hand_written:
                entry.msgstr = convert(entry.msgid, profile)
                converted += 1
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        catalogue.metadata["Language"] = "zh_Hant"
        catalogue.metadata["Content-Type"] = "text/plain; charset=UTF-8"
        catalogue.save(str(path))
        catalogue.save_as_mofile(str(path.with_suffix(".mo")))
        self.stdout.write(f"{path}: {len(catalogue)} 条，OpenCC（{profile}）转换 {converted} 条。")
