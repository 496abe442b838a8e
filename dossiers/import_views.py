"""Nominees from a spreadsheet, on the dossier's pages: the template to download, the upload
that shows what would be added (nothing written), and the confirmation that adds them
(import_services.nominees_import). Between the two, the checked file waits under its SHA-256
(imports.stage); the confirmation checks it all again, since the dossier may have changed."""

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import imports, selectors
from .files import XLSX, clean_name
from .forms import StyledForm
from .import_services import import_message, nominees_import
from .services import require_editable
from .views import ServiceFormView

SHA256 = re.compile(r"^[0-9a-f]{64}$")


class ImportUploadForm(StyledForm, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled template (.xlsx)"),
        help_text=gettext_lazy("One nominee a row; nothing is added before you confirm."),
    )


class ImportConfirmForm(forms.Form):
    sha256 = forms.RegexField(regex=SHA256, max_length=64, widget=forms.HiddenInput)
    name = forms.CharField(max_length=200, widget=forms.HiddenInput)


class NomineeImportView(ServiceFormView):
    """GET: the template's link and the upload. POST: the preview of the uploaded file."""

    template_name = "dossiers/nominee_import.html"

    def load(self):
        self.dossier = selectors.access_dossier(user=self.request.user, pk=self.kwargs["pk"])
        # Offered only to whom the service would let import (403, then 409).
        require_editable(self.request.user, self.dossier)
        self.preview = None

    def get_form(self, data=None, files=None):
        return ImportUploadForm(data, files)

    def get_context(self):
        context = super().get_context()
        context["preview"] = self.preview
        if self.preview is not None and not self.preview.problems and self.preview.already is None:
            context["confirm_form"] = ImportConfirmForm(
                initial={"sha256": self.preview.sha256, "name": self.preview.name}
            )
        return context

    def post(self, request, *args, **kwargs):
        self.load()
        self.form = self.get_form(request.POST, request.FILES)
        if not self.form.is_valid():
            return self.render_form(status=400)
        upload = self.form.cleaned_data["file"]
        self.preview = imports.import_preview(actor=request.user, dossier=self.dossier, uploaded_file=upload)
        if self.preview.problems:
            return self.render_form(status=400)
        if self.preview.already is None and self.preview.to_add:
            upload.seek(0)
            imports.stage(self.dossier, self.preview.sha256, upload.read())
        return self.render_form()


class NomineeImportConfirmView(NomineeImportView):
    """POST: add the previewed file's nominees (checked again by the service)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.load()
        confirm = ImportConfirmForm(request.POST)
        if not confirm.is_valid():
            raise Http404
        sha256 = confirm.cleaned_data["sha256"]
        data = imports.staged(self.dossier, sha256)
        if data is None:
            return self.refusal(
                409, _("The file to import is no longer waiting: upload it again to see what it adds.")
            )
        self.form = ImportUploadForm()
        upload = SimpleUploadedFile(clean_name(confirm.cleaned_data["name"]), data, content_type=XLSX)
        result = nominees_import(actor=request.user, dossier=self.dossier, uploaded_file=upload)
        imports.unstage(self.dossier, sha256)
        messages.success(request, import_message(result))
        return redirect("dossier-detail", pk=self.dossier.pk)


@login_required
def nominee_import_template(request, pk):
    """The xlsx template of this dossier (its campaign's awards in the list to choose from)."""
    dossier = selectors.access_dossier(user=request.user, pk=pk)
    response = HttpResponse(imports.template_workbook(dossier), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-doi-tuong-ho-so-{dossier.pk}.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
