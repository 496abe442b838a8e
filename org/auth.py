"""Signing in from outside: API tokens that expire, the API's throttle keyed on the real client,
and the page a locked-out sign-in gets (django-axes)."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.throttling import ScopedRateThrottle

from audit.middleware import client_ip

from .models import ApiToken
from .prepared import PreparedRead


def new_token_key() -> str:
    return secrets.token_hex(20)  # 40 characters, like the keys of DRF's own tokens


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


# Every API request reads its token so: compiled and prepared once (org.prepared).
_TOKEN = PreparedRead(
    lambda *, digest: ApiToken.objects.select_related("user").filter(digest=digest)[:1],
    arguments=(),
    text_arguments=("digest",),
)


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, looked up by digest; an expired token is refused (401) with
    a message that says so, a revoked one is unknown."""

    model = ApiToken

    def authenticate_credentials(self, key):
        found = _TOKEN.objects(digest=token_digest(key))
        token = found[0] if found else None
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.is_expired:
            raise exceptions.AuthenticationFailed(
                _("This token expired on %(date)s: obtain a new one.")
                % {"date": timezone.localtime(token.expires).strftime("%d/%m/%Y %H:%M")}
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)


class ClientRateThrottle(ScopedRateThrottle):
    """DRF's scoped throttle, keyed on the client as the project reads it (TRUSTED_PROXY_COUNT),
    so a made-up X-Forwarded-For is a new key only when our own proxies wrote it."""

    def get_ident(self, request):
        return client_ip(request)


def lockout_until(*, username: str, address: str):
    """When (username, address) may try again: its last counted failure plus the cool-off."""
    from axes.models import AccessAttempt

    last = AccessAttempt.objects.filter(username=username, ip_address=address or None).aggregate(
        last=Max("attempt_time")
    )["last"]
    cool_off = settings.AXES_COOLOFF_TIME
    return (last or timezone.now()) + (cool_off if isinstance(cool_off, timedelta) else timedelta())


def lockout_response(request, original_response=None, credentials=None):
    """The page (429, Retry-After) for a sign-in refused because of too many failures: says
    until when, and that the standing body can unlock sooner (AXES_LOCKOUT_CALLABLE)."""
    username = str((credentials or {}).get("username") or request.POST.get("username", ""))[:150]
    until = lockout_until(username=username, address=client_ip(request))
    wait = max(int((until - timezone.now()).total_seconds()), 0)
    response = render(
        request,
        "registration/locked_out.html",
        {"username": username, "until": until, "minutes": -(-wait // 60)},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Retry-After"] = str(wait)
    return response
