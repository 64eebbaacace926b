"""Local development: debug on, console email, a fixed development secret."""

from .base import *  # noqa: F403
from .env import env_bool, env_str

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-secret-key-do-not-use-in-production")
SUNSHINE_DEMO_LOGINS = True  # the demo county's logins (demo_county/conf.py)
# The fictional demo county (manage.py seed_demo); production leaves it out.
INSTALLED_APPS = [*INSTALLED_APPS, "demo_county"]  # noqa: F405
# The demo signs in without a second factor (OTP_REQUIRED_FOR=approvers,superusers to try the
# requirement); users who enrol anyway are asked their code. Production requires it.
if env_str("OTP_REQUIRED_FOR") is None:
    SUNSHINE_OTP_REQUIRED_FOR = []
