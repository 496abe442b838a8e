"""The admin as a superuser uses it: real pages, real POSTs, in the admin's own language."""

import datetime as dt

import pytest
from django import forms
from django.urls import reverse

from audit.models import AuditEvent
from tests import factories as f


@pytest.fixture
def root(db):
    return f.UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def site(client, root):
    client.force_login(root)
    return client


def _post_value(field, bound):
    if isinstance(field, forms.BooleanField):
        return "on" if bound.value() else None
    value = field.prepare_value(bound.value())
    if value is None:
        return None if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField) else ""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _form_data(form) -> dict:
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = _post_value(field, form[name])
        if value is not None:
            data[form.add_prefix(name)] = value
    return data


def page_data(client, url) -> dict:
    """What the page's form would post unchanged: its fields and its inlines' as shown."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    data = _form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        for form in formset.forms:
            data.update(_form_data(form))
    return data


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def new_events(since):
    return list(AuditEvent.objects.filter(seq__gt=since).order_by("seq"))


def head():
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
