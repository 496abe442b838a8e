"""Developer machine and `make run`: SQLite with demo data, a throwaway key.

Debug is off unless asked for (DEBUG=1): whoever tries the demo meets the office's own 404 and
500 pages, never Django's technical ones. The static files are served anyway: WhiteNoise finds
them in the apps and static/ (no collectstatic needed) and rereads them when they change."""

from .base import *  # noqa: F403
from .base import BASE_DIR, INSTALLED_APPS, env

DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
SECRET_KEY = env("SECRET_KEY", default="local-only-not-secret-" + "x" * 40)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The address `make run` serves (its HOST and PORT), so QR codes, verify links and mail links
# lead back to this very server.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")

# The demo world (`manage.py seed_demo`): never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]

# Mail is written to files under var/mail/ (one per message), never sent.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"
