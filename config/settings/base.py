"""Settings shared by every environment. Values that differ come from the environment (or .env)."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default=None)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "guardian",
    "viewflow",
    "viewflow.workflow",
    # Ours, from the top of the dependency order to the bottom (DESIGN.md, "Layout"); the demo
    # data (demo/) is added by the local and test settings only, never in production.
    "notices",
    "reports",
    "public",
    "meetings",
    "inspection",
    "contests",
    "honours",
    "clusters",
    "workflows",
    "emulation",
    "initiatives",
    "documents",
    "fund",
    "approvals",
    "dossiers",
    "org",
    "audit",
]

MIDDLEWARE = [
    # First: a database outage anywhere below answers 503 with Retry-After, not an error page.
    "config.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.CookieLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "audit.middleware.RequestContextMiddleware",
    # After the two above: it needs the user and the client's address.
    "audit.middleware.AuditedReadsMiddleware",
    # Last, as django-axes asks: turns a sign-in refused for too many failures into the lockout
    # page (AXES_LOCKOUT_CALLABLE).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def database_from_env(default_url: str) -> dict:
    """One database from DATABASE_URL.

    SQLite gets WAL, IMMEDIATE transactions and a busy timeout so that two requests writing at
    once queue instead of failing with "database is locked" (measured: shared/notes/audit-chain.md).
    """
    db = env.db_url("DATABASE_URL", default=default_url)
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"),
        }
    else:
        db.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
        db["CONN_HEALTH_CHECKS"] = True
        if db["ENGINE"] == "django.db.backends.postgresql" and not env.bool("DATABASE_JIT", default=False):
            # PostgreSQL compiles a query whose estimated cost is high (a list's page over
            # 100,000 dossiers estimates 500,000) to machine code first: measured at 100,000
            # dossiers, 440 ms of compiling for 49 ms of work on a decisions page. The app's
            # queries are short; DATABASE_JIT=1 gives the server's own setting back.
            options = db.setdefault("OPTIONS", {})
            options["options"] = " ".join(filter(None, [options.get("options", ""), "-c jit=off"]))
    db["ATOMIC_REQUESTS"] = False
    return db


DATABASES = {"default": database_from_env(f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The hottest reads (org.prepared) are also prepared on PostgreSQL, their plans kept per
# connection; 0 behind a pooler in transaction mode that cannot keep prepared statements.
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)

AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out sign-in before any password is checked (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Reverse proxies of our own in front of the app (TLS terminator, load balancer). 0: the client
# is REMOTE_ADDR and X-Forwarded-For is ignored (anyone can write it); N: the Nth address from
# the right of X-Forwarded-For, the one our outermost proxy saw. One function reads it
# (audit.middleware.client_ip) for the audit trail, the sign-in lockout and the API throttle.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=env.int("AUDIT_PROXY_COUNT", default=0))

# Sessions last a working day, counted from the last request that changed the session (sign-in);
# production also ends them when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=False)

# Sign-in lockout (django-axes), on the login page, the admin's and the API's token endpoint.
# Failures are counted per (name tried, client address) in the database, so every worker and
# host sees the same count. Not per name alone: anyone could then lock a real person out from
# anywhere, for ever, by retrying; not per address alone: one office behind one NAT address
# would be locked out by a colleague's typos. A password-spraying address (many names) is
# slowed by the API throttle and its attempts are still counted (audit.signals).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# Attempts during a lockout neither count nor extend it: the page's "try again at" holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A successful sign-in clears that name's failures from that address.
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "audit.middleware.client_ip"
AXES_LOCKOUT_CALLABLE = "org.auth.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Unlocking is `manage.py signin_unlock` (audited); axes' own admin would delete unaudited.
AXES_ENABLE_ADMIN = False
# Successful sign-ins are in the audit trail already; no second, unchained log of them.
AXES_DISABLE_ACCESS_LOG = True
# Failed sign-ins in the audit trail (audit.signals): one event per (address, name) and window,
# at most AUDIT_SIGNIN_EVENTS_PER_ADDRESS names per address and window, the rest only counted.
AUDIT_SIGNIN_WINDOW_MINUTES = env.int("AUDIT_SIGNIN_WINDOW_MINUTES", default=15)
AUDIT_SIGNIN_EVENTS_PER_ADDRESS = env.int("AUDIT_SIGNIN_EVENTS_PER_ADDRESS", default=5)
AUDIT_SIGNIN_EVENTS_PER_WINDOW = env.int("AUDIT_SIGNIN_EVENTS_PER_WINDOW", default=200)
AUDIT_SIGNIN_KEEP_DAYS = env.int("AUDIT_SIGNIN_KEEP_DAYS", default=90)

# API tokens: stored as a digest, valid this many days from issue, revocable (org.auth).
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=30)

# guardian: no anonymous row (shared/notes/fsm-and-guardian.md), no monkey-patched helpers that
# write to the generic tables.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False
GUARDIAN_MONKEY_PATCH_GROUP = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# dd/mm/yyyy HH:MM and 710.000 on Vietnamese pages (config/formats/vi), whatever Django ships.
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Bootstrap 5 from Debian's libjs-bootstrap5 (installed by `make`): served by us, never a CDN.
BOOTSTRAP_DIR = Path(env("BOOTSTRAP_DIR", default="/usr/share/javascript/bootstrap5"))
if BOOTSTRAP_DIR.is_dir():
    STATICFILES_DIRS.append(("vendor/bootstrap5", BOOTSTRAP_DIR))
# Popper 2 (npm, pinned in package.json, installed by `make`): Debian's Bootstrap bundle is built
# without it and looks for a global `Popper`, so no dropdown opens without it.
POPPER_DIR = Path(
    env("POPPER_DIR", default=str(BASE_DIR / "node_modules" / "@popperjs" / "core" / "dist" / "umd"))
)
if POPPER_DIR.is_dir():
    STATICFILES_DIRS.append(("vendor/popper", POPPER_DIR))
# Apps' static files, except the front ends we never load (config/staticfiles.py: viewflow's).
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "config.staticfiles.AppDirectoriesFinder",
]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Content-Security-Policy (django-csp 4): our pages load scripts, styles, fonts and images from
# our own origin only. No inline script anywhere (templates load static/js/ files; htmx is told
# not to inject its indicator <style>), so a script smuggled into a page by any field does not
# run. Styles are ours too: no style="" attribute and no <style> element in our templates (dynamic
# widths are set by static/js/app.js through the DOM, which CSP allows). Bootstrap's icons are
# data: SVGs, hence data: for images. Nobody may frame us (clickjacking) and forms post only to
# us. The API's Swagger page (developers only) relaxes styles for itself (config/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# Attachments: the largest file a unit may attach, and what it may be (checked by content).
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
# What an office document (a ZIP of XML parts) may unpack into: a zip bomb named .docx stops here.
ATTACHMENT_MAX_UNPACKED_BYTES = env.int("ATTACHMENT_MAX_UNPACKED_BYTES", default=100 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Nominees imported from an xlsx (dossiers.imports): the largest file and the most rows of one.
NOMINEE_IMPORT_MAX_BYTES = env.int("NOMINEE_IMPORT_MAX_BYTES", default=2 * 1024 * 1024)
NOMINEE_IMPORT_MAX_ROWS = env.int("NOMINEE_IMPORT_MAX_ROWS", default=1000)
# Lists exported to xlsx (reports.exports): above this many rows the export runs in the
# background with its progress; its file is kept this many hours, then removed.
EXPORT_BACKGROUND_ROWS = env.int("EXPORT_BACKGROUND_ROWS", default=2000)
EXPORT_KEEP_HOURS = env.int("EXPORT_KEEP_HOURS", default=24)

# Signing (pyHanko): per-user PKCS#12 files `<username>.p12` and the CA that issued them. The demo
# keys are made by `manage.py issue_signing_cert` under var/ (never committed); a deployment points
# these at its own keys and trust roots.
SIGNING_KEYS_DIR = env.path("SIGNING_KEYS_DIR", default=str(BASE_DIR / "var" / "signing"))
# The private halves of the council meetings' ballot keys (approvals.sealing): outside the
# database by design, mode 600, destroyed at each close. Several hosts share one directory (a
# volume of the application servers, never the database's).
BALLOT_KEYS_DIR = env.path("BALLOT_KEYS_DIR", default=str(BASE_DIR / "var" / "ballot-keys"))
SIGNING_KEY_PASSPHRASE = env("SIGNING_KEY_PASSPHRASE", default="")
SIGNING_TRUST_ROOTS = env.list("SIGNING_TRUST_ROOTS", default=[])
# An RFC 3161 timestamp authority (each signature then carries a signature timestamp); revocation
# checking of the signers' certificates ("require", "soft" or empty: not checked); the CRL address
# the demo CA writes into the certificates it issues (`manage.py signing_crl` publishes the CRL).
SIGNING_TSA_URL = env("SIGNING_TSA_URL", default="")
SIGNING_REVOCATION = env("SIGNING_REVOCATION", default="")
SIGNING_CRL_URL = env("SIGNING_CRL_URL", default="")
# The site's public address, the one setting every absolute link is built from: certificates' QR
# codes and verify links, notices' e-mails. DOCUMENTS_PUBLIC_URL is its former name, still read.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default=env("DOCUMENTS_PUBLIC_URL", default="http://127.0.0.1:8000"))
# Requests a client may make to the public verification pages (/verify/, its QR links).
VERIFY_THROTTLE_RATE = env("VERIFY_THROTTLE_RATE", default="30/minute")
# Objections a client may lodge without an account on the public notice pages, and look-ups of
# an objection's receipt code (public.views).
PUBLIC_OBJECTION_THROTTLE_RATE = env("PUBLIC_OBJECTION_THROTTLE_RATE", default="5/hour")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous or bad-token call gets 401 with WWW-Authenticate.
        "org.auth.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_RATES": {"token": "10/minute"},
    # DRF's own reading of X-Forwarded-For, for any throttle that does not use ours
    # (org.auth.ClientRateThrottle): the same count of trusted proxies.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON that is too deep or too large is a 400/413 with a message, never a 500 (config/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "dossiers.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "TĐKT workflow engine API",
    "DESCRIPTION": "Award dossiers (hồ sơ đề nghị khen thưởng): create, edit, attach, submit.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from our own static files (drf-spectacular-sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # A nominee's kind has its own name: other "kind" fields (legal grounds, documents) differ.
    "ENUM_NAME_OVERRIDES": {
        "NomineeKindEnum": "dossiers.models.NomineeKind",
        # contests: one name per choice set the contest's API and the others share
        "ContestTieRuleEnum": "contests.models.ContestTieRule",
        "ContestStateEnum": "contests.models.ContestState",
        "ContestEntryStateEnum": "contests.models.EntryState",
        # A contest's entrant and an emulation registration are both an individual or a collective:
        # one choice set, so one name (drf-spectacular refuses two names for the same set).
        "IndividualOrCollectiveEnum": "contests.models.EntrantKind",
        # clusters: a cluster (cụm) or a bloc (khối)
        "ClusterKindEnum": "clusters.models.ClusterKind",
        # emulation: the plan's state
        "EmulationPlanStateEnum": "emulation.models.PlanState",
        # fund: the kind of a line of the award fund's ledger
        "FundEntryKindEnum": "fund.models.EntryKind",
        # honours: a proposal's state and each nominee's result from the central level
        "HonoursProposalStateEnum": "honours.models.ProposalState",
        "HonoursResultEnum": "honours.models.NomineeResult",
        # initiatives: an initiative's state, its meeting's state and result, its scope, a ballot
        "InitiativeStateEnum": "initiatives.models.InitiativeState",
        "InitiativeMeetingStateEnum": "initiatives.models.InitiativeMeetingState",
        "InitiativeResultEnum": "initiatives.models.InitiativeResult",
        "InitiativeEffectScopeEnum": "initiatives.models.EffectScope",
        "InitiativeBallotChoiceEnum": "initiatives.models.InitiativeBallotChoice",
        # the council's vote and the dossier's state keep their plain names beside the above
        "ChoiceEnum": "approvals.meetings.VoteChoice",
        "StateEnum": "dossiers.models.DossierState",
    },
    # Every error answer declared (400/401/403/404/413): tools check answers against the schema.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.openapi.document_errors",
    ],
}

# Email (notices/): SMTP from the environment (EMAIL_URL, e.g. smtp+tls://user:pass@host:587);
# local.py writes mails to var/mail/ instead, the tests keep them in memory.
vars().update(env.email_url("EMAIL_URL", default="smtp://localhost:25"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="tdkt@localhost")

# Celery: eager (in-process) whenever no broker is configured, so `make run` needs no Redis.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# Tasks acknowledged late (documents.tasks) are taken one at a time, so a dead worker strands one.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# How soon, with a broker, an act's people are told (seconds): how often beat has a worker relay
# the audit chain's new events into notices.
NOTICES_RELAY_SECONDS = env.float("NOTICES_RELAY_SECONDS", default=2.0)

# Scheduled with `celery -A config beat`: the daily signed checkpoint of the audit chain.
CELERY_BEAT_SCHEDULE = {
    "audit-checkpoint-daily": {"task": "audit.checkpoint", "schedule": crontab(hour=1, minute=0)},
    # Deadline reminders and overdue escalations (notices.services.reminders_send), before the
    # office opens.
    "notices-reminders-daily": {"task": "notices.send_reminders", "schedule": crontab(hour=6, minute=30)},
    # With a broker, the acts' notices: the chain's new events relayed every few seconds
    # (notices.services.notices_relay); a run the workers could not take in time is dropped, the
    # next one relays its events.
    "notices-relay": {
        "task": "notices.relay",
        "schedule": NOTICES_RELAY_SECONDS,
        "options": {"expires": NOTICES_RELAY_SECONDS * 5},
    },
    # The notices of an event the relay passed over (notices.services.notices_sweep).
    "notices-sweep": {"task": "notices.sweep", "schedule": crontab(minute="*/5")},
    # Exported lists past EXPORT_KEEP_HOURS lose their file (reports.tasks).
    "reports-exports-cleanup-hourly": {"task": "reports.exports_cleanup", "schedule": crontab(minute=15)},
}

# The audit trail (audit/) knows nothing of the domain; these dotted paths tell it what it needs.
AUDIT_ACTOR_ROLES = "org.scopes.audit_roles_for"  # the actor's roles when they act
AUDIT_SCOPE_RESOLVER = "org.scopes.audit_scope_for"  # an object's unit path, for inspectors
AUDIT_CASE_RESOLVER = "workflows.audit_case.audit_case_for"  # the dossier an event concerns
AUDIT_READ_DESCRIBER = "inspection.reads.describe_read"  # whose reads are audited, and what
# Decisions a higher app words and guards itself, by DecisionKind (documents.providers): a contest's
# results decision (seed 002) is rendered, signed and issued by documents through contests.
DOCUMENTS_DECISION_PROVIDERS = {"contest": "contests.results_documents"}
# A cluster's leader unit proposes its fellow members, units beside it, as collective nominees.
DOSSIER_COLLECTIVE_UNIT_ALLOWED = "clusters.hooks.collective_unit_allowed"
# A dossier's submission asks the apps above dossiers for their refusals too: a title that requires
# a registration in the year's emulation plan (emulation.checks).
DOSSIER_SUBMISSION_CHECK = "emulation.checks.registration_problems"
# A required document held elsewhere in the engine: a recognised initiative is the `sang-kien`
# certification of its authors (dossiers.evidence, filled by initiatives.history).
DOCUMENT_EVIDENCE_RESOLVER = "initiatives.history.certifying_initiatives"
# The last day to register a year's initiatives, from the year's emulation plan: a dotted path to a
# function (unit, year) -> date | None, or None for no deadline (initiatives.services).
INITIATIVE_REGISTRATION_DEADLINE = "emulation.checks.registration_deadline_for"
# Apps that seal ballots to keys of their own meetings: each names the keys still in use, which the
# daily purge of ballot keys (approvals' purge_ballot_keys) keeps.
BALLOT_KEY_HOLDERS = ["initiatives.services.live_ballot_keys"]
# The Ed25519 key that signs checkpoints (`manage.py audit_checkpoint --init-key` creates one for
# the demo under var/, which git ignores) and where checkpoints are written. In production keep
# the key only on the host that runs the checkpoint, and copy checkpoints where the database's
# administrators cannot write.
AUDIT_CHECKPOINT_KEY = Path(
    env("AUDIT_CHECKPOINT_KEY", default=str(BASE_DIR / "var" / "audit-checkpoint-key.pem"))
)
AUDIT_CHECKPOINT_DIR = Path(env("AUDIT_CHECKPOINT_DIR", default=str(BASE_DIR / "var" / "checkpoints")))
# The published key checkpoints must be signed with (64 hex digits, or the path of the PEM file
# `audit_checkpoint --init-key` writes next to the private key): `verify_audit --checkpoint`
# trusts no other. Empty: the public half of AUDIT_CHECKPOINT_KEY, when that key is on this host.
AUDIT_CHECKPOINT_PUBLIC_KEY = env("AUDIT_CHECKPOINT_PUBLIC_KEY", default="")
# How long the inspector's chain status page reuses a verification of the whole chain.
AUDIT_STATUS_CACHE_SECONDS = env.int("AUDIT_STATUS_CACHE_SECONDS", default=60)

# The API throttle counts in the default cache: Redis when configured, shared by every worker
# and host (production.py falls back to files shared by one host's workers).
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# Who carries out an award decision (its article on execution and "Nơi nhận: … Lưu: VT, …"), by the
# issuing unit's id, symbol or level, each key optional: {"commune": {"office": "Văn phòng Hội đồng
# nhân dân và Ủy ban nhân dân", "drafting_office": "Phòng Nội vụ", "drafting_abbr": "NV",
# "finance_office": "Phòng Kinh tế"}}. What is not named falls back to documents.contexts.DEFAULT_OFFICES.
DECISION_OFFICES = env.json("DECISION_OFFICES", default={})
