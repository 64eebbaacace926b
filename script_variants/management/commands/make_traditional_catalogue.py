"""``manage.py make_traditional_catalogue``: the zh-hant message catalogues, converted as pages are.

Template and code strings are written in Simplified Chinese, so the zh-hans catalogue needs no
entry for them; the zh-hant one is generated: ``makemessages`` collects the strings (needs GNU
gettext), the conversion layer (OpenCC with the project's phrase dictionary, ``chinese.conversion``)
converts those not yet translated by hand, and the .mo is compiled with
polib. The result is committed, so running the site needs no gettext.

Wagtail's own catalogues have gaps (English msgids with no Chinese, e.g. "Search all pages…",
"Autosave is paused"). ``locale/zh_Hans/LC_MESSAGES/django.po`` and ``djangojs.po`` (the
admin's JavaScript, served by ``/admin/jsi18n/``) fill them by hand, in Simplified; this
command compiles them and converts them into the zh_Hant catalogues of the same domain, along
with the strings installed apps translate into Simplified but not into Traditional (which
Django would otherwise show in Simplified, its fallback language, to a 繁體 user).
"""

from pathlib import Path

import re

import django
import polib
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from chinese.conversion import convert, converter
from chinese.dictionary import project_dictionary

from ...machine_translator import TRADITIONAL, profile_for

DOMAINS = ("django", "djangojs")
CHINESE = re.compile(r"[\u3400-\u9fff]")
METADATA = {
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=1; plural=0;",
}


FROM_PROJECT = "由 locale/zh_Hans 转换（Wagtail 缺译）"
FROM_APPS = "由应用的简体目录转换（繁体缺译）"
GAP_COMMENTS = (FROM_PROJECT, FROM_APPS)


def machine_made(entry, profile):
    """Whether an entry's translation is its msgid converted (by OpenCC alone, as before the
    project's dictionary, or by the layer), not a translator's: such entries are converted again."""
    return entry.msgstr in (converter(profile).convert(entry.msgid), convert(entry.msgid, profile))


def _key(entry):
    return (entry.msgctxt, entry.msgid)


def _translated(path):
    """The translated entries of a .po file, by (context, msgid); {} when there is none."""
    if not path.exists():
        return {}
    return {_key(e): e for e in polib.pofile(str(path)) if e.translated() and "fuzzy" not in e.flags}


def app_gaps(domain, made_here):
    """Entries installed apps translate into zh_Hans but not into zh_Hant (any app's catalogue
    but ``made_here``, the one this command writes: its last output is no app's translation)."""
    simplified = {}
    traditional = set(_translated(Path(django.__file__).parent / "conf" / "locale" / "zh_Hant" / "LC_MESSAGES" / f"{domain}.po"))
    for config in apps.get_app_configs():
        locale = Path(config.path) / "locale"
        if locale.resolve() == made_here.resolve():
            continue
        for key, entry in _translated(locale / "zh_Hans" / "LC_MESSAGES" / f"{domain}.po").items():
            simplified.setdefault(key, entry)
        traditional |= set(_translated(locale / "zh_Hant" / "LC_MESSAGES" / f"{domain}.po"))
    return [entry for key, entry in simplified.items() if key not in traditional]


def own_app_locales(project_root):
    """The locale/ directories of this project's own apps (not installed packages'), besides ``project_root``."""
    base = Path(settings.BASE_DIR).resolve()
    found = []
    for config in apps.get_app_configs():
        locale = (Path(config.path) / "locale").resolve()
        if locale.is_relative_to(base) and ".venv" not in locale.parts and locale != project_root.resolve() and locale.is_dir():
            found.append(locale)
    return found


def converted_entry(source, profile, comment):
    entry = polib.POEntry(
        msgctxt=source.msgctxt, msgid=source.msgid, msgid_plural=source.msgid_plural, flags=list(source.flags),
        comment=comment,
    )
    if source.msgid_plural:
        first = source.msgstr_plural.get(0) or next(iter(source.msgstr_plural.values()))
        entry.msgstr_plural = {0: convert(first, profile)}
    else:
        entry.msgstr = convert(source.msgstr, profile)
    return entry


class Command(BaseCommand):
    help = "用 OpenCC 和项目词典生成繁体界面文字的翻译目录（locale/zh_Hant），并补全 Wagtail 缺译的条目。"

    def handle(self, *args, **options):
        root = Path(settings.LOCALE_PATHS[0])
        profile = profile_for(TRADITIONAL)
        ignore = [".venv/*", "test-artifacts/*", "media/*", "static_collected/*", "node_modules/*"]
        call_command("makemessages", locale=["zh_Hant"], ignore_patterns=ignore, verbosity=0, no_obsolete=True)
        for domain in DOMAINS:
            self.make(root, domain, profile)
            # An app with a locale/ of its own (participation) keeps its strings there: makemessages
            # put them in it, and they are converted the same way (Wagtail's gaps stay in the project's).
            for app_root in own_app_locales(root):
                self.make(app_root, domain, profile, fill_gaps=False)

    def make(self, root, domain, profile, fill_gaps=True):
        path = root / "zh_Hant" / "LC_MESSAGES" / f"{domain}.po"
        catalogue = polib.pofile(str(path)) if path.exists() else polib.POFile()
        # English msgids found in the project's templates are Wagtail's (an overridden admin
        # template): their translation comes from the apps or from locale/zh_Hans, below.
        for entry in [e for e in catalogue if not CHINESE.search(e.msgid)]:
            catalogue.remove(entry)
        # The gaps' entries are made again below, converted with the current dictionary.
        for entry in [e for e in catalogue if e.comment in GAP_COMMENTS]:
            catalogue.remove(entry)
        converted = 0
        for entry in catalogue:
            hand_written = entry.msgstr and "fuzzy" not in entry.flags and not machine_made(entry, profile)
            if entry.msgid_plural:
                entry.msgstr_plural = {0: convert(entry.msgid_plural, profile)}  # Chinese has one plural form
            elif not hand_written:
                entry.msgstr = convert(entry.msgid, profile)
                converted += 1
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")

        # Wagtail's gaps: the project's Simplified entries, then the apps' Simplified-only ones.
        present = {_key(e) for e in catalogue}
        simplified_path = root / "zh_Hans" / "LC_MESSAGES" / f"{domain}.po"
        filled = 0
        if fill_gaps and simplified_path.exists():
            simplified = polib.pofile(str(simplified_path))
            simplified.metadata.update(METADATA, Language="zh_Hans")
            simplified.save(str(simplified_path))
            simplified.save_as_mofile(str(simplified_path.with_suffix(".mo")))
            for source in simplified:
                if source.translated() and _key(source) not in present:
                    catalogue.append(converted_entry(source, profile, FROM_PROJECT))
                    present.add(_key(source))
                    filled += 1
        for source in app_gaps(domain, root) if fill_gaps else ():
            if _key(source) not in present:
                catalogue.append(converted_entry(source, profile, FROM_APPS))
                present.add(_key(source))
                filled += 1

        if not len(catalogue):
            return
        catalogue.metadata.update(METADATA, Language="zh_Hant")
        catalogue.save(str(path))
        catalogue.save_as_mofile(str(path.with_suffix(".mo")))
        self.stdout.write(f"{path}: {len(catalogue)} 条，OpenCC（{profile}）和项目词典 {project_dictionary().version} 版转换 {converted} 条，补全缺译 {filled} 条。")
