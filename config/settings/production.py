"""Production: everything from the environment, no secret defaults, HTTPS only.

Refuses to start without SECRET_KEY (env raises ImproperlyConfigured) rather than run with a
known key.
"""

from .base import *  # noqa: F403
from .base import BASE_DIR, REDIS_URL, env

SECRET_KEY = env("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# No demo passphrase in production: the keys are the deployment's own.
SIGNING_KEY_PASSPHRASE = env("SIGNING_KEY_PASSPHRASE")
# The site's public address for every absolute link (required; DOCUMENTS_PUBLIC_URL, its former
# name, still accepted).
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default=None) or env("DOCUMENTS_PUBLIC_URL")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
# A shared computer in an office: closing the browser signs out (and 8 hours at most, base.py).
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True

STORAGES = {
    "default": {"BACKEND": env("FILE_STORAGE", default="django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Where `collectstatic` writes the hashed, compressed files that whitenoise serves.
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))

# The API throttle must count across workers: Redis when REDIS_URL is set (base.py), otherwise
# files that all the workers of this host share (several hosts need Redis).
if not REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env("CACHE_DIR", default=str(BASE_DIR / "var" / "cache")),
        }
    }

LOGGING["root"]["level"] = env("LOG_LEVEL", default="INFO")  # noqa: F405
