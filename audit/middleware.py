from django.conf import settings
from django.db import transaction

from .context import request_context
from .services import hook, record


def client_ip(request) -> str:
    """The client's address. Behind N reverse proxies of our own (AUDIT_PROXY_COUNT), the Nth
    address from the right of X-Forwarded-For: the ones left of it the client could have forged."""
    proxies = getattr(settings, "AUDIT_PROXY_COUNT", 0)
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


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
