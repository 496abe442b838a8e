"""Sign-ins, failed sign-ins and sign-outs as audit events (Django's auth signals).

A failed attempt records the name that was tried and where from (the request's client), never
the password: Django has already masked it in `credentials`, and only the name is read here.
"""

from django.contrib.auth import get_user_model, user_logged_in, user_logged_out, user_login_failed
from django.db import transaction

from .services import record, scope_of

ANONYMOUS = "anonymous"


def on_login(sender, request, user, **kwargs):
    with transaction.atomic():
        record(actor=user, action="auth.login", target=user)


def on_logout(sender, request, user, **kwargs):
    if user is None:  # the session had no user: nobody signed out
        return
    with transaction.atomic():
        record(actor=user, action="auth.logout", target=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    model = get_user_model()
    tried = str(credentials.get(model.USERNAME_FIELD) or credentials.get("username") or "")[:150]
    user = model._default_manager.filter(**{model.USERNAME_FIELD: tried}).first() if tried else None
    with transaction.atomic():
        record(
            actor=ANONYMOUS,
            action="auth.login_failed",
            object_type=model._meta.label_lower,
            object_id=user.pk if user else "",
            scope=scope_of(user),
            data={"username": tried},
        )


def connect():
    user_logged_in.connect(on_login, dispatch_uid="audit.login")
    user_logged_out.connect(on_logout, dispatch_uid="audit.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit.login_failed")
