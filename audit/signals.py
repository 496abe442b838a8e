"""Sign-ins, failed sign-ins, lockouts and sign-outs as audit events (Django's and django-axes'
signals).

A failed attempt records the name that was tried and where from (the request's client), never
the password: Django has already masked it in `credentials`, and only the name is read here.

Anyone can fail to sign in, without an account, as often as they like: failures must not grow
the append-only chain without bound. They are counted per client address, name tried and fixed
window (AUDIT_SIGNIN_WINDOW_MINUTES) in `SignInFailures`; only the first failure of a name from
an address in a window is an event, and at most AUDIT_SIGNIN_EVENTS_PER_ADDRESS names per address
and window are (AUDIT_SIGNIN_EVENTS_PER_WINDOW in all): past that, one event says the address's
further failures are only counted, on one row for all its other names. A lockout is one event
for a name that has one, once per window. So one address adds at most 2 × the per-address limit
+ 1 events a window, whatever it sends.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .middleware import client_ip
from .models import SignInFailures
from .services import record, scope_of

ANONYMOUS = "anonymous"
# The row that counts an address's names past the per-address limit (and empty names).
OTHER_NAMES = ""


def on_login(sender, request, user, **kwargs):
    with transaction.atomic():
        record(actor=user, action="auth.login", target=user)


def on_logout(sender, request, user, **kwargs):
    if user is None:  # the session had no user: nobody signed out
        return
    with transaction.atomic():
        record(actor=user, action="auth.logout", target=user)


def window_start(now: datetime) -> datetime:
    """The start of the fixed window `now` falls in (windows aligned on the epoch)."""
    length = settings.AUDIT_SIGNIN_WINDOW_MINUTES * 60
    seconds = int(now.timestamp())
    return datetime.fromtimestamp(seconds - seconds % length, tz=UTC)


def _counter(address: str, username: str, *, add: int) -> tuple[SignInFailures, bool]:
    """The row that counts `username`'s failures from `address` in the current window, `add`
    failures more on it, and whether it is new. A name past the address's limit is counted on
    the address's row for other names. Call inside a transaction."""
    window = window_start(timezone.now())
    here = SignInFailures.objects.filter(address=address, window_start=window)
    row = here.select_for_update().filter(username=username).first()
    recorded = True
    if row is None:
        names = here.exclude(username=OTHER_NAMES).count()
        if username == OTHER_NAMES or names >= settings.AUDIT_SIGNIN_EVENTS_PER_ADDRESS:
            username = OTHER_NAMES
            row = here.select_for_update().filter(username=username).first()
        if row is None:
            everywhere = SignInFailures.objects.filter(window_start=window, recorded=True).count()
            recorded = everywhere < settings.AUDIT_SIGNIN_EVENTS_PER_WINDOW
    if row is not None:
        if add:
            SignInFailures.objects.filter(pk=row.pk).update(failures=F("failures") + add)
            row.refresh_from_db()
        return row, False
    # A new window's first row: the counts of long-past windows go.
    if not here.exists():
        keep = timedelta(days=settings.AUDIT_SIGNIN_KEEP_DAYS)
        SignInFailures.objects.filter(window_start__lt=window - keep).delete()
    row, created = SignInFailures.objects.get_or_create(
        address=address,
        window_start=window,
        username=username,
        defaults={"failures": add, "recorded": recorded},
    )
    if not created and add:  # a concurrent request made it first
        SignInFailures.objects.filter(pk=row.pk).update(failures=F("failures") + add)
    return row, created


def _user_named(username: str):
    model = get_user_model()
    return model._default_manager.filter(**{model.USERNAME_FIELD: username}).first() if username else None


def _tried(credentials: dict) -> str:
    model = get_user_model()
    return str(credentials.get(model.USERNAME_FIELD) or credentials.get("username") or "")[:150]


def on_login_failed(sender, credentials, request=None, **kwargs):
    tried = _tried(credentials)
    address = client_ip(request) if request is not None else ""
    with transaction.atomic():
        row, created = _counter(address, tried, add=1)
        if not (created and row.recorded):
            return
        window = {"window_start": row.window_start.isoformat()}
        if row.username == OTHER_NAMES and tried:
            record(
                actor=ANONYMOUS,
                action="auth.login_failed_counted",
                data={**window, "names_recorded": settings.AUDIT_SIGNIN_EVENTS_PER_ADDRESS},
            )
            return
        user = _user_named(tried)
        record(
            actor=ANONYMOUS,
            action="auth.login_failed",
            object_type=get_user_model()._meta.label_lower,
            object_id=user.pk if user else "",
            scope=scope_of(user),
            data={"username": tried, **window},
        )


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    """django-axes locked (name, address) out: one event, with when it may try again."""
    tried = str(username or "")[:150]
    address = ip_address or (client_ip(request) if request is not None else "")
    with transaction.atomic():
        row, _created = _counter(address, tried, add=0)
        if row.locked_out:
            return
        SignInFailures.objects.filter(pk=row.pk).update(locked_out=True)
        if not row.recorded or row.username == OTHER_NAMES:
            return
        user = _user_named(tried)
        cool_off = getattr(settings, "AXES_COOLOFF_TIME", None)
        until = (timezone.now() + cool_off).isoformat() if isinstance(cool_off, timedelta) else None
        record(
            actor=ANONYMOUS,
            action="auth.locked_out",
            object_type=get_user_model()._meta.label_lower,
            object_id=user.pk if user else "",
            scope=scope_of(user),
            data={"username": tried, "until": until, "window_start": row.window_start.isoformat()},
        )


def connect():
    user_logged_in.connect(on_login, dispatch_uid="audit.login")
    user_logged_out.connect(on_logout, dispatch_uid="audit.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit.login_failed")
    if "axes" in settings.INSTALLED_APPS:
        from axes.signals import user_locked_out

        user_locked_out.connect(on_locked_out, dispatch_uid="audit.locked_out")
