"""The register of outgoing documents (sổ đăng ký văn bản đi) an issuing body's records office
(văn thư) keeps: every document the body issues takes the next number of its register.

How the numbers run (Nghị định 30/2020/NĐ-CP, Điều 15, khoản 1, and Phụ lục I; DOMAIN.md step 7):
- one series per issuing body per calendar year, starting at 01 on 1 January and shared by all
  kinds of document the body issues (quyết định, tờ trình, công văn …): the symbol (QĐ-UBND,
  TTr-UBND) tells the kind, the number is the body's. So a body has ONE register of documents
  per year, not one per kind;
- an advisory body of the agency that issues documents in its own name with the agency's seal
  (the council, Hội đồng TĐKT) "phải lấy hệ thống số riêng": its own series (…/BB-HĐTĐKT);
- certificates (Giấy khen, Bằng khen) are not administrative documents numbered in the register
  of outgoing documents: offices keep a separate book of certificates issued (sổ cấp phát), so
  they have a series of their own (…/GK, …/BK).

Rows change only through org.register_services.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = ["EntrySource", "Register", "RegisterEntry", "RegisterSeries"]


class RegisterSeries(models.TextChoices):
    DOCUMENTS = "documents", _("Outgoing documents")
    COUNCIL = "council", _("Council documents")
    # Its own context: "Certificates" alone is translated "Giấy khen" elsewhere, and this series
    # numbers Bằng khen too.
    CERTIFICATES = "certificates", pgettext_lazy("register series", "Certificates")


class Register(models.Model):
    """One issuing body's register for one calendar year and series."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("issuing body"), on_delete=models.PROTECT, related_name="registers"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    series = models.CharField(
        _("series"), max_length=16, choices=RegisterSeries.choices, default=RegisterSeries.DOCUMENTS
    )

    class Meta:
        ordering = ["unit", "-year", "series"]
        verbose_name = _("register of outgoing documents")
        verbose_name_plural = _("registers of outgoing documents")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "series"], name="uniq_register_per_year"),
        ]

    def __str__(self):
        return f"{self.unit} — {self.get_series_display()} — {self.year}"


class EntrySource(models.TextChoices):
    ENGINE = "engine", _("Issued through the system")
    OUTSIDE = "outside", _("Issued outside the system")


class RegisterEntry(models.Model):
    """One number of a register: a document issued through the engine (linked to the object it
    numbers) or on paper outside it (recorded by the records clerk so it is never reused)."""

    register = models.ForeignKey(
        Register, verbose_name=_("register"), on_delete=models.PROTECT, related_name="entries"
    )
    number = models.PositiveIntegerField(_("number"))
    symbol = models.CharField(_("symbol"), max_length=64)
    issued_on = models.DateField(_("issued on"))
    subject = models.CharField(_("subject"), max_length=500)
    source = models.CharField(_("source"), max_length=8, choices=EntrySource.choices)
    # The object numbered (a decision, a meeting's minutes …), by type and id: org sits below
    # the apps whose objects it numbers, so it cannot name their models.
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["register", "number"]
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        constraints = [
            models.UniqueConstraint(fields=["register", "number"], name="uniq_register_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="register_number_positive"),
        ]

    def __str__(self):
        return self.document_number

    @property
    def document_number(self) -> str:
        """ "05/QĐ-UBND": the number as the document prints it."""
        return f"{self.number:02d}/{self.symbol}"
