"""The test suite: SQLite by default, PostgreSQL when DATABASE_URL says so."""

from .base import *  # noqa: F403
from .base import BASE_DIR, INSTALLED_APPS, env

SECRET_KEY = "test-only-not-secret-" + "x" * 40
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = env.path("TEST_MEDIA_ROOT", default=str(BASE_DIR / "var" / "test-media"))
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the finders (no collectstatic in tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Never a developer's real checkpoint key: tests that sign make their own (tmp_path).
AUDIT_CHECKPOINT_KEY = BASE_DIR / "var" / "test" / "no-checkpoint-key.pem"
AUDIT_CHECKPOINT_DIR = BASE_DIR / "var" / "test" / "checkpoints"
BALLOT_KEYS_DIR = BASE_DIR / "var" / "test" / "ballot-keys"
AUDIT_STATUS_CACHE_SECONDS = 0

# The demo world (`manage.py seed_demo`): never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]

# The suite pins Python's clock (tests/conftest.py) but Chromium keeps the real one. Django's
# cookies carry Max-Age, which the browser counts from when it receives them, but also an Expires
# date computed on the pinned clock; session-only cookies carry neither, so nothing in the browser
# depends on the two clocks agreeing. The server still expires sessions on its own (pinned) clock.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_AGE = None
LANGUAGE_COOKIE_AGE = None

# Mails stay in django.core.mail.outbox.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
