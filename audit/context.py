"""Who is acting and from where, for the events of the current request (set by the middleware)."""

import contextvars

request_context: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "audit_request_context", default=None
)
