"""The admin in Vietnamese on a Vietnamese page: the names of our models and of their fields come
from the catalogue (org.words.translate_field_names makes the fields Django names by itself
translatable), so no English name of ours shows on the index, a change list or a change form."""

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from org.words import OUR_APPS
from tests import factories as f

from .test_pages import visible

pytestmark = pytest.mark.django_db

ENGLISH = [
    "Dossier",
    "Dossiers",
    "Nominee",
    "Council meeting",
    "Award rule",
    "Award type",
    "Campaign",
    "Role assignment",
    "Council membership",
    "Decision",
    "Holiday",
    "Unit",
    "Audit event",
    "Created by",
    "Submission count",
    "Uploaded by",
    "Status",
    "Flow",
]


# Written the same in both languages.
SAME_IN_VIETNAMESE = {"SHA-256"}


def names_of_our_models():
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        yield model, model._meta.verbose_name
        yield model, model._meta.verbose_name_plural
        for field in model._meta.get_fields():
            if hasattr(field, "verbose_name") and not field.auto_created:
                yield model, field.verbose_name


def test_every_name_of_our_models_and_fields_has_a_vietnamese_entry():
    missing = set()
    for model, name in names_of_our_models():
        with translation.override("en"):
            english = str(name)
        with translation.override("vi"):
            if str(name) == english and english not in SAME_IN_VIETNAMESE and re.search(r"[A-Za-z]", english):
                missing.add(f"{model._meta.label}: {english}")
    assert sorted(missing) == []


@pytest.fixture
def root_site(client, world):
    client.force_login(f.UserFactory(username="root", is_superuser=True, is_staff=True))
    client.cookies["django_language"] = "vi"
    return client


def no_english(text):
    return [word for word in ENGLISH if re.search(rf"\b{word}\b", text)]


def test_the_admin_index_is_vietnamese(root_site):
    html = root_site.get(reverse("admin:index")).content.decode()
    assert '<html lang="vi"' in html
    assert no_english(visible(html)) == []


def test_every_change_list_and_add_form_of_ours_is_vietnamese(root_site, draft):
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OUR_APPS:
            continue
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = root_site.get(url)
        assert response.status_code == 200, url
        assert no_english(visible(response.content.decode())) == [], url
        if model_admin.has_add_permission(response.wsgi_request):
            add = root_site.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
            assert no_english(visible(add.content.decode())) == [], f"{url} add"


def test_a_dossiers_change_form_is_vietnamese(root_site, draft):
    html = root_site.get(reverse("admin:dossiers_dossier_change", args=[draft.pk])).content.decode()
    assert no_english(visible(html)) == []
