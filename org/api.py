"""/api/auth/token/: obtain an API token with a username and password, or revoke one's own.

Guessing passwords here is as dangerous as on the login page: the same lockout (django-axes,
through `authenticate`), a throttle keyed on the real client, and failures in the audit trail.
"""

from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .auth import ClientRateThrottle, lockout_until
from .services import api_token_issue, api_token_revoke


class TokenInput(serializers.Serializer):
    username = serializers.CharField(label=_("Username"), max_length=150)
    password = serializers.CharField(
        label=_("Password"), max_length=128, style={"input_type": "password"}, trim_whitespace=False
    )


class TokenOutput(serializers.Serializer):
    token = serializers.CharField(help_text="The key: send `Authorization: Token <key>`. Shown only now.")
    expires = serializers.DateTimeField()


class LockedOut(exceptions.Throttled):
    default_detail = _("Too many failed sign-ins.")
    default_code = "locked_out"


ERROR = inline_serializer("TokenError", {"detail": serializers.CharField()})


class TokenApi(APIView):
    throttle_classes = [ClientRateThrottle]
    throttle_scope = "token"

    def get_authenticators(self):
        # Obtaining needs no credentials but the password: a stale token sent along is ignored.
        request = getattr(self, "request", None)  # None while the schema is generated
        return [] if request is not None and request.method == "POST" else super().get_authenticators()

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(
        operation_id="auth_token_obtain",
        summary="Obtain an API token (replaces the one you held)",
        request=TokenInput,
        responses={
            200: TokenOutput,
            400: OpenApiResponse(description="Wrong username or password."),
            429: OpenApiResponse(ERROR, description="Too many attempts: locked out or throttled."),
        },
        auth=[],
    )
    def post(self, request):
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        username = data.validated_data["username"]
        user = authenticate(request=request, username=username, password=data.validated_data["password"])
        if user is None:
            if getattr(request, "axes_locked_out", False):
                until = lockout_until(username=username, address=request.axes_ip_address)
                raise LockedOut(
                    detail=_("Too many failed sign-ins: try again after %(time)s.")
                    % {"time": timezone.localtime(until).strftime("%H:%M %d/%m/%Y")},
                    wait=max((until - request.axes_attempt_time).total_seconds(), 0),
                )
            raise exceptions.ValidationError(
                {"non_field_errors": [_("Unable to log in with provided credentials.")]}
            )
        token = api_token_issue(actor=user)
        return Response(TokenOutput({"token": token.key, "expires": token.expires}).data)

    @extend_schema(
        operation_id="auth_token_revoke",
        summary="Revoke your API token",
        request=None,
        responses={204: None, 400: OpenApiResponse(ERROR, description="You hold no token.")},
    )
    def delete(self, request):
        api_token_revoke(actor=request.user, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
