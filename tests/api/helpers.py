"""Assertions shared by the API tests."""

from contextlib import contextmanager

from django.conf import settings
from rest_framework.test import APIClient

from audit.models import AuditEvent


def english_client(**defaults) -> APIClient:
    """An API client that answers in English: the language cookie is what the site's locale
    middleware follows (Vietnamese otherwise); Accept-Language is sent too, as clients do."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en", **defaults)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def last_seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


@contextmanager
def one_audit_event(action):
    """The block must append exactly one audit event, with this action; yields a list that then
    holds the event."""
    before = last_seq()
    found = []
    yield found
    events = list(AuditEvent.objects.filter(seq__gt=before).order_by("seq"))
    assert [e.action for e in events] == [action]
    found.append(events[0])


@contextmanager
def no_audit_event():
    before = last_seq()
    yield
    assert last_seq() == before
