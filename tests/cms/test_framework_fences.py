"""Private parts of wagtail-localize, Wagtail and treebeard are used in their compat modules only,
and a startup check says when the installed versions are not the ones those were read from."""

import ast
from functools import cache
from pathlib import Path
from unittest import mock

import pytest
from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.core.files.storage import Storage
from django.db.models import Field, Model, QuerySet
from django.db.models.manager import BaseManager
from django.db.models.options import Options
from django.forms.forms import BaseForm
from django.http import HttpRequest
from django.test import SimpleTestCase

import treebeard
import wagtail
import wagtail_localize

FENCED = {"wagtail": wagtail, "treebeard": treebeard, "wagtail_localize": wagtail_localize}
COMPAT_MODULES = {"script_variants/localize_compat.py", "disclosure_pages/pages_compat.py"}
PROJECT = Path(settings.BASE_DIR)


def is_private(name):
    return name.startswith("_") and not name.startswith("__")


@cache
def defined_names(root, attributes=True):
    """The private names (``_name``, not dunders) that the Python files under ``root`` define:
    functions, classes, variables and, with ``attributes``, attributes assigned and keyword
    arguments (what ``annotate()`` names)."""
    names = set()
    for path, tree in python_files(Path(root)):
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif attributes and isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif attributes and isinstance(node, ast.keyword) and node.arg:
                names.add(node.arg)
    return frozenset(filter(is_private, names))


def python_files(root):
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] in (".venv", "node_modules") or (root == PROJECT and relative.as_posix() in COMPAT_MODULES):
            continue
        yield relative, ast.parse(path.read_bytes(), filename=str(path))


def private_uses(tree, fenced_names):
    """(line, what) of each use in ``tree`` of a private name of a fenced package."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in fenced_names:
            yield node.lineno, f".{node.attr}"
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("getattr", "setattr", "hasattr"):
            if len(node.args) > 1 and isinstance(node.args[1], ast.Constant) and node.args[1].value in fenced_names:
                yield node.lineno, f"{node.func.id}(…, {node.args[1].value!r})"
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            module = getattr(node, "module", None) or ""
            imported = [alias.name for alias in node.names]
            for name in ([module] if module else []) + imported:
                parts = name.split(".")
                if parts[0] in FENCED and any(is_private(part) for part in parts):
                    yield node.lineno, f"import {name}"
            if module.split(".")[0] in FENCED:
                yield from ((node.lineno, f"from {module} import {name}") for name in imported if is_private(name))


def fenced_private_names():
    """The private names of the fenced packages, less Django's own on the classes they build on
    (``_meta``, ``_state``…: not theirs to change) and the project's own functions and variables."""
    theirs = frozenset().union(*(defined_names(Path(package.__file__).parent) for package in FENCED.values()))
    djangos = {"_meta", "_state", "_default_manager", "_base_manager"}
    for cls in (Model, QuerySet, BaseManager, Field, Options, BaseForm, HttpRequest, AppConfig, Storage):
        djangos.update(filter(is_private, dir(cls)))
    return theirs - djangos - defined_names(PROJECT, attributes=False)


# Reads the source files: no database engine can change what it finds.
pytestmark = pytest.mark.engine_neutral


class FenceTests(SimpleTestCase):
    def test_private_names_of_the_frameworks_are_used_in_the_compat_modules_only(self):
        fenced_names = fenced_private_names()
        self.assertTrue({"_get_path_id", "_get_data_hash", "_get_lastpos_in_path", "_int2str", "_cached_parent_obj",
                         "_is_site_root"} <= fenced_names)
        found = [f"{path}:{line}: {what}" for path, tree in python_files(PROJECT) for line, what in private_uses(tree, fenced_names)]
        self.assertEqual(found, [], "use these through script_variants/localize_compat.py or disclosure_pages/pages_compat.py")

    def test_revisions_are_made_by_hand_in_the_compat_module_only(self):
        """Wagtail makes revisions with ``save_revision``; a revision written directly (the
        variant sync's, for a page published at once) is Wagtail's internals too."""
        found = [
            f"{path}:{node.lineno}"
            for path, tree in python_files(PROJECT) if path.parts[0] != "tests"
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr == "create" and ast.unparse(node.value) == "Revision.objects"
        ]
        self.assertEqual(found, [])

    def test_every_compat_module_is_a_file(self):
        for module in COMPAT_MODULES:
            self.assertTrue((PROJECT / module).is_file(), module)


class VersionCheckTests(SimpleTestCase):
    def test_the_pinned_versions_pass_quietly(self):
        self.assertEqual([message for message in checks.run_checks() if message.id == "sunshine.W001"], [])

    def test_another_version_is_named_with_the_compat_module_to_review(self):
        with mock.patch("disclosure_pages.pages_compat.version", side_effect=lambda package: "99.0"):
            warnings = [message for message in checks.run_checks() if message.id == "sunshine.W001"]
        reviewed = {(message.obj, message.msg.split(" ")[0]) for message in warnings}
        self.assertEqual(reviewed, {
            ("script_variants.localize_compat", "wagtail-localize"),
            ("disclosure_pages.pages_compat", "wagtail"),
            ("disclosure_pages.pages_compat", "modelsearch"),
            ("disclosure_pages.pages_compat", "django-treebeard"),
            ("disclosure_pages.pages_compat", "Django"),
        })
        self.assertTrue(all("99.0" in message.msg and "SUNSHINE_FRAMEWORK_FAST_PATHS" in message.hint for message in warnings))
        self.assertTrue(all(message.level == checks.WARNING for message in warnings))
