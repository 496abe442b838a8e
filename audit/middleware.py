from .context import request_context


class RequestContextMiddleware:
    """Makes the client's address and user agent available to every event the request records."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_context.set(
            {
                "ip": request.META.get("REMOTE_ADDR", ""),
                "user_agent": request.META.get("HTTP_USER_AGENT", "")[:256],
            }
        )
        try:
            return self.get_response(request)
        finally:
            request_context.reset(token)
