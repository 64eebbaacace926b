"""Tests: swap only slow or external pieces (bakerydemo's approach)."""

import os

from .base import *  # noqa: F403
from .base import DATABASES, INSTALLED_APPS, MEDIA_ROOT  # noqa: F401

DEBUG = False
# The fictional demo county: tests and benchmarks seed it.
INSTALLED_APPS = [*INSTALLED_APPS, "demo_county"]
SECRET_KEY = "test-secret-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
PUBLIC_BASE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
# Index updates run at commit, in the test's thread: a test sees the index a worker would make.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "ENQUEUE_ON_COMMIT": False}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: the concurrency tests open one connection per thread. One file
    # per process, so that two test runs on one machine never share a database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-artifacts" / f"test-db-{os.getpid()}.sqlite3")}  # noqa: F405
# Nobody has to enrol a second factor, so that admin tests sign in with a password alone;
# tests/accounts/test_two_factor.py turns the requirement on.
SUNSHINE_OTP_REQUIRED_FOR = []
