"""The README's install steps, run as written on a new ``wagtail start`` site with the wheel of this checkout.

The steps are the README's blocks marked ``<!-- install-step: … -->``, in order: ``run`` (a shell
script in the site's folder), ``append <file>`` and ``write <file>``. Nothing is downloaded: the
wheel is built without build isolation (setuptools and wheel of this environment), and pip
installs it with PIP_NO_INDEX and PIP_NO_DEPS into a virtual environment that sees this
environment's packages through a .pth file, as their only source of dependencies.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import textwrap
from importlib.util import find_spec
from pathlib import Path
from unittest import SkipTest, TestCase

ROOT = Path(__file__).resolve().parents[2]
STEP = re.compile(r"<!-- install-step: (run|append|write) ?(\S*) -->\n *```\w*\n(.*?)\n *```", re.S)

CHECK = """
import json, re, disclosure_pages
from django.test import Client
client, answers = Client(), {"module": disclosure_pages.__file__}
for path in ["/", "/zh-hans/", "/zh-hant/", "/zh-hans/search/?q=党费", "/api/v2/disclosures/", "/admin/login/"]:
    response = client.get(path)
    title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    answers[path] = [response.status_code, response.get("Location", ""), title and title.group(1).strip()]
print(json.dumps(answers, ensure_ascii=False))
"""


def install_steps(readme):
    """(kind, file, text) of each marked block of the README, its list indent removed."""
    return [(kind, target, textwrap.dedent(body) + "\n") for kind, target, body in STEP.findall(readme)]


class WheelInstallTests(TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if find_spec("wheel") is None:
            raise SkipTest("building the wheel offline needs the wheel package (requirements-test.txt)")
        if os.environ.get("DATABASE_URL", "").startswith("postgres"):
            # The new site runs on its own SQLite database whatever this run uses: one proof a CI run.
            raise SkipTest("the install proof runs in the SQLite run of the suite (the new site uses SQLite either way)")
        # In memory where there is a tmpfs: the new site's SQLite database syncs at every migration.
        cls.work = Path(tempfile.mkdtemp(prefix="sunshine-wheel-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None))
        cls.addClassCleanup(shutil.rmtree, cls.work, ignore_errors=True)

    def run_in(self, folder, command, env=None, **kwargs):
        result = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=600, **kwargs)
        self.assertEqual(result.returncode, 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        return result.stdout

    def copy_of_this_checkout(self):
        """The checkout's files as they are (tracked and new, not ignored ones): the wheel is built from them."""
        source = self.work / "sunshine"
        listed = self.run_in(ROOT, ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        for name in filter(None, listed.split("\0")):
            if (ROOT / name).is_file():
                (source / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / name, source / name)
        return source

    def site_environment(self, source):
        venv = self.work / "venv"
        self.run_in(self.work, [sys._base_executable, "-m", "venv", "--without-pip", str(venv)])
        purelib = Path(self.run_in(self.work, [venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).strip())
        (purelib / "sunshine-test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
        env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "PYTHON"))}
        return {
            **env,
            "PATH": f"{venv / 'bin'}{os.pathsep}{env['PATH']}",
            "VIRTUAL_ENV": str(venv),
            "SUNSHINE": str(source),
            "PIP_NO_INDEX": "1",
            "PIP_NO_DEPS": "1",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        }

    def test_the_readme_steps_take_a_new_wagtail_site_to_the_portal(self):
        steps = install_steps((ROOT / "README.md").read_text(encoding="utf-8"))
        self.assertEqual([kind for kind, _, _ in steps], ["run", "run", "append", "write", "append", "run"])

        source = self.copy_of_this_checkout()
        self.run_in(source, [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", "dist", "."])
        site = self.work / "site"
        site.mkdir()
        self.run_in(site, [Path(sys.executable).parent / "wagtail", "start", "mysite", "."])
        env = self.site_environment(source)

        for kind, target, text in steps:
            if kind == "run":
                self.run_in(site, ["bash", "-euo", "pipefail", "-c", text], env=env)
            elif kind == "append":
                with open(site / target, "a", encoding="utf-8") as file:
                    file.write("\n" + text)
            else:
                (site / target).write_text(text, encoding="utf-8")

        # The plugin's apps need no migration under the site's own defaults.
        self.run_in(site, ["python", "manage.py", "makemigrations", "--check", "--dry-run"], env=env)
        answers = json.loads(self.run_in(site, ["python", "manage.py", "shell", "-v", "0", "-c", CHECK], env=env).splitlines()[-1])

        self.assertTrue(answers.pop("module").startswith(env["VIRTUAL_ENV"]), "the apps come from the installed wheel")
        self.assertEqual(answers.pop("/")[:2], [302, "/zh-hans/"])
        for path, (status, _, _) in answers.items():
            with self.subTest(path):
                self.assertEqual(status, 200)
        self.assertEqual(answers["/zh-hans/"][2], "云溪县党务公开网")
        self.assertEqual(answers["/zh-hant/"][2], "雲溪縣黨務公開網")
        self.assertIn("全文检索", answers["/zh-hans/search/?q=党费"][2])
        # The admin's branding comes from the plugin's templates, not the site's.
        self.assertIn("阳光党务", answers["/admin/login/"][2])
