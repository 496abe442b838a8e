"""The one place where the services' refusals become HTTP answers (settings.REST_FRAMEWORK).

- django `PermissionDenied`        → 403 {"detail": message}
- django `Http404`                 → 404 {"detail": ...} (the same whether absent or hidden)
- `org.errors.TransitionNotAllowed` → 409 {"detail": message, "code": "transition_not_allowed"}
- django `ValidationError`          → 400, a field map {"field": [messages]} when it names
  fields (like DRF's own serializer errors), else {"detail": summary, "errors": [messages]}
- django `RequestDataTooBig`        → 413 {"detail": ...} (a body over DATA_UPLOAD_MAX_MEMORY_SIZE)
- DRF's own exceptions              → as DRF answers them
"""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework import exceptions, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from org.errors import TransitionNotAllowed


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This step cannot be taken in the object's present state.")
    default_code = "transition_not_allowed"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "request_too_large"

    @classmethod
    def over_the_limit(cls):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return cls(_("The request body is larger than %(limit)d bytes.") % {"limit": limit})


def _field_map(exc: DjangoValidationError) -> dict:
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
        for field, messages in exc.message_dict.items()
    }


def _as_drf(exc):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(_field_map(exc))
        messages = exc.messages
        summary = ngettext(
            "The request was refused for %(count)d reason.",
            "The request was refused for %(count)d reasons.",
            len(messages),
        ) % {"count": len(messages)}
        return exceptions.ValidationError({"detail": summary, "errors": messages})
    if isinstance(exc, DjangoPermissionDenied):
        # DRF would answer with its generic text; the service's says who may.
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, TransitionNotAllowed):
        return Conflict(str(exc))
    if isinstance(exc, RequestDataTooBig):
        return RequestTooLarge.over_the_limit()
    return exc


def exception_handler(exc, context):
    exc = _as_drf(exc)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, Conflict):
        response.data["code"] = exc.default_code
    return response
