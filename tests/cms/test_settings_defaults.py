"""Every setting of the plugin has its default in its app's conf.py, is read through it, and is in the README's table."""

import re
import subprocess
from pathlib import Path

from django.test import SimpleTestCase, override_settings

from accounts.conf import app_settings as accounts_settings
from alerts.conf import app_settings as alerts_settings
from api.conf import app_settings as api_settings
from demo_county.conf import app_settings as demo_settings
from disclosure_pages.conf import app_settings as portal_settings
from importer.conf import MB
from importer.conf import app_settings as importer_settings
from participation.conf import app_settings as participation_settings
from search.conf import app_settings as search_settings
from supervision.conf import app_settings as supervision_settings
from workflows.conf import app_settings as workflow_settings

ROOT = Path(__file__).resolve().parents[2]
APPS = {
    "disclosure_pages": portal_settings,
    "workflows": workflow_settings,
    "search": search_settings,
    "importer": importer_settings,
    "api": api_settings,
    "demo_county": demo_settings,
    "participation": participation_settings,
    "supervision": supervision_settings,
    "alerts": alerts_settings,
    "accounts": accounts_settings,
}
ROW = re.compile(r"^\| `(\w+)` \| `([^`]*)` \| (\w+) \|", re.M)


def readme_table():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### Settings\n"):]
    return {name: (default, app) for name, default, app in ROW.findall(section[: section.index("\n## ")])}


class SettingsDefaultsTests(SimpleTestCase):
    def test_the_readme_lists_every_setting_with_its_default_and_app(self):
        table = readme_table()
        listed = {name: (app, conf) for app, conf in APPS.items() for name in conf.defaults}
        self.assertEqual(sorted(table), sorted(listed))
        for name, (default, app) in table.items():
            with self.subTest(name):
                self.assertEqual(app, listed[name][0])
                self.assertEqual(eval(default, {"MB": MB}), listed[name][1].defaults[name])  # noqa: S307 - the README's literals

    def test_a_site_setting_wins_over_the_default(self):
        self.assertEqual(workflow_settings.SUNSHINE_REVIEW_OVERDUE_DAYS, 3)
        with override_settings(SUNSHINE_REVIEW_OVERDUE_DAYS=7):
            self.assertEqual(workflow_settings.SUNSHINE_REVIEW_OVERDUE_DAYS, 7)

    def test_the_apps_read_their_settings_through_conf(self):
        names = "|".join(name for conf in APPS.values() for name in conf.defaults)
        direct = re.compile(rf"(?<![\w.])settings\.({names})\b|getattr\(settings, \"({names})\"")
        files = subprocess.run(["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
        offenders = [
            path for path in files
            if path.split("/")[0] in APPS and direct.search((ROOT / path).read_text(encoding="utf-8"))
        ]
        self.assertEqual(offenders, [])
