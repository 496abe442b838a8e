"""The certificates' series is labelled for what it numbers, Giấy khen and Bằng khen alike, not
with the word "Certificates" translated elsewhere as "Giấy khen"."""

import pytest
from django.utils import translation

from org.models import RegisterSeries
from tests.register.test_pages import page

pytestmark = pytest.mark.django_db


def test_the_certificates_series_names_both_kinds_of_certificate():
    with translation.override("vi"):
        assert str(RegisterSeries.CERTIFICATES.label) == "Giấy khen, Bằng khen"
        assert str(RegisterSeries.COUNCIL.label) != str(RegisterSeries.CERTIFICATES.label)
    with translation.override("en"):
        assert str(RegisterSeries.CERTIFICATES.label) == "Certificates"


def test_the_register_page_offers_the_certificates_series_by_its_label(client, world, clerk):
    client.force_login(clerk)

    html = client.get(page(world.commune)).content.decode()

    assert '<option value="certificates">Giấy khen, Bằng khen</option>' in html
