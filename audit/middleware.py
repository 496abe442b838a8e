import ipaddress

from django.conf import settings
from django.db import transaction

from .context import request_context
from .services import hook, record


def _address(value: str) -> str:
    """`value` as an IP address, or "" when it is not one (a proxy's or a client's garbage)."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return ""


def client_ip(request) -> str:
    """The client's address, the one place the project reads it (the audit trail, the sign-in
    lockout and the API throttle all call this).

    With TRUSTED_PROXY_COUNT = 0 (the default), REMOTE_ADDR: X-Forwarded-For is ignored, since
    anyone can send one. Behind N reverse proxies of our own, the Nth address from the right of
    X-Forwarded-For: each of our proxies appends the address it saw, so the ones further left
    are the client's to forge. A header shorter than that (the request did not come through all
    our proxies) or an entry that is not an address: REMOTE_ADDR."""
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [a for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return _address(forwarded[-proxies]) or remote
    return remote


class RequestContextMiddleware:
    """Makes the client's address and user agent available to every event the request records."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_context.set(
            {
                "ip": client_ip(request),
                "user_agent": request.META.get("HTTP_USER_AGENT", "")[:256],
            }
        )
        try:
            return self.get_response(request)
        finally:
            request_context.reset(token)


class AuditedReadsMiddleware:
    """Records one event for every read (GET, HEAD) of a user whose reads are audited: the
    inspectors (DESIGN.md, "Permissions": their reads are audited too).

    Who is audited and what the read was about is the project's business, not this app's: the
    function named by AUDIT_READ_DESCRIBER gets (request, response) and returns None (not
    audited) or the event's fields: {"action", "object_type", "object_id", "scope", "data"}.
    The event is written before the response leaves: if it cannot be, the reader gets an error
    instead of unaudited data. Place it after AuthenticationMiddleware and
    RequestContextMiddleware. API views authenticate inside the view (DRF), and DRF sets
    `request.user` on this request when it does, so token users are seen too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in ("GET", "HEAD"):
            describe = hook("AUDIT_READ_DESCRIBER")
            event = describe(request, response) if describe else None
            if event:
                with transaction.atomic():
                    record(actor=request.user, **event)
        return response
