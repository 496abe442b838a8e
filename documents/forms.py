"""Forms of the documents pages: they check the shape of a request; the services decide."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from approvals.models import SignerCapacity

from .models import GeneratedKind

DOSSIER_KINDS = [
    (GeneratedKind.SUBMISSION, _("Submission letter (tờ trình)")),
    (GeneratedKind.MINUTES, _("Council minutes (biên bản)")),
    (GeneratedKind.ACHIEVEMENT, _("Achievement extract (trích ngang)")),
]


class DossierRenderForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DOSSIER_KINDS)
    nominee = forms.IntegerField(label=_("Nominee"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("kind") == GeneratedKind.ACHIEVEMENT and not data.get("nominee"):
            self.add_error("nominee", _("Choose the nominee."))
        return data


class SignForm(forms.Form):
    capacity = forms.ChoiceField(label=_("Signs as"), choices=SignerCapacity.choices, required=False)


class VerifyForm(forms.Form):
    file = forms.FileField(label=_("PDF file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = getattr(settings, "ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
            )
        return upload


class SignatureImageForm(forms.Form):
    image = forms.FileField(
        label=_("Signature image (PNG)"),
        help_text=_("A scan of your signature on a white or transparent background, at most 2 MB."),
    )
