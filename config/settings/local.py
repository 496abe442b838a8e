"""Developer machine and `make run`: SQLite with demo data, debug on, a throwaway key."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-only-not-secret-" + "x" * 40)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The demo world (`manage.py seed_demo`): never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
