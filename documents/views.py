"""The documents pages: a dossier's documents, a decision's documents and certificates, file
downloads, and verification (upload a PDF; a certificate's public code page). Thin: each view
parses, calls one selector or service, and renders. Anything the user may not see is a 404.

Refusals: PermissionDenied → the 403 page, TransitionNotAllowed → the 409 page, ValidationError
→ the messages on the page the user came from.
"""

from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_POST

from approvals.models import Award
from approvals.selectors import access_decision
from dossiers.files import file_response
from dossiers.models import Nominee
from dossiers.views import REFUSALS, refusal_of, render_refusal
from org.errors import TransitionNotAllowed

from . import permissions, selectors, services
from .forms import DossierRenderForm, SignForm, VerifyForm
from .models import BatchState, GeneratedKind
from .verification import certificate_status, verify_pdf

K = GeneratedKind


def _perform(request, back_url, action):
    """Run a service call; its refusal becomes the answer the user can act on. `action` returns
    the message to show after the redirect back."""
    try:
        message = action()
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
        return redirect(back_url)
    except REFUSALS as exc:
        return render_refusal(request, *refusal_of(exc), back_url=back_url)
    messages.success(request, message)
    return redirect(back_url)


def _pdf(document, *, inline=False):
    # Inline only for the PDFs we produced (rendered and signed here), never a user's upload.
    return file_response(
        document.file.open("rb"),
        filename=document.download_name,
        content_type="application/pdf",
        inline=inline,
    )


# --- a dossier's documents --------------------------------------------------------------------


@login_required
def dossier_documents(request, pk):
    data = selectors.dossier_documents(user=request.user, pk=pk)
    dossier = data["dossier"]
    for group in (data["submission"], data["minutes"], *[n.documents for n in data["nominees"]]):
        for document in group:
            document.may_sign = not document.superseded_by_id and permissions.may_sign(request.user, document)
    data["may_render_unit"] = permissions.can_render(request.user, K.SUBMISSION, dossier)
    data["may_render_minutes"] = permissions.can_render(request.user, K.MINUTES, dossier)
    return render(request, "documents_ui/dossier_documents.html", data)


@login_required
@require_POST
def dossier_document_render(request, pk):
    dossier = selectors.dossier_documents(user=request.user, pk=pk)["dossier"]
    form = DossierRenderForm(request.POST)

    def action():
        if not form.is_valid():
            raise ValidationError([m for errors in form.errors.values() for m in errors])
        kind = K(form.cleaned_data["kind"])
        subject = dossier
        if kind == K.ACHIEVEMENT:
            subject = get_object_or_404(
                Nominee.objects.current(), pk=form.cleaned_data["nominee"], dossier=dossier
            )
        document = services.document_render(actor=request.user, kind=kind, subject=subject)
        return _("%(kind)s, version %(version)d.") % {
            "kind": document.get_kind_display(),
            "version": document.version,
        }

    return _perform(request, reverse("dossier-documents", args=[pk]), action)


# --- a decision's documents and certificates --------------------------------------------------


@login_required
def decision_documents(request, pk):
    data = selectors.decision_documents(user=request.user, pk=pk)
    decision = data["decision"]
    for document in data["documents"]:
        document.may_sign = not document.superseded_by_id and permissions.may_sign(request.user, document)
    data["may_render"] = permissions.can_render(request.user, data["own_kind"], decision)
    data["may_certify"] = data["may_render"] and data["own_kind"] == K.DECISION
    return render(request, "documents_ui/decision_documents.html", data)


@login_required
@require_POST
def decision_document_render(request, pk):
    decision = access_decision(user=request.user, pk=pk)
    kind = K.REVOCATION if decision.revokes_id else K.DECISION

    def action():
        document = services.document_render(actor=request.user, kind=kind, subject=decision)
        return _("%(symbol)s, version %(version)d.") % {
            "symbol": decision.symbol,
            "version": document.version,
        }

    return _perform(request, reverse("decision-documents", args=[pk]), action)


@login_required
@require_POST
def certificate_batch_start(request, pk):
    decision = access_decision(user=request.user, pk=pk)

    def action():
        batch = services.certificate_batch_start(actor=request.user, decision=decision)
        if batch.state == BatchState.FAILED:  # it was interrupted once too often: say why
            raise ValidationError(batch.error)
        if batch.resumed_from is not None and not batch.finished:
            return _("The interrupted batch resumes from %(done)d of %(total)d certificates.") % {
                "done": batch.resumed_from,
                "total": batch.total,
            }
        return _("The certificates are being made.")

    return _perform(request, reverse("decision-documents", args=[pk]), action)


@login_required
@require_POST
def award_certificate_render(request, pk):
    award = get_object_or_404(Award.objects.select_related("decision"), pk=pk)
    decision = access_decision(user=request.user, pk=award.decision_id)

    def action():
        document = services.document_render(actor=request.user, kind=K.CERTIFICATE, subject=award)
        return _("Certificate for %(name)s, version %(version)d.") % {
            "name": award.nominee.name,
            "version": document.version,
        }

    return _perform(request, reverse("decision-documents", args=[decision.pk]), action)


@login_required
def certificate_batch_progress(request, pk):
    """The progress bar (an htmx fragment that polls itself until the batch has finished)."""
    batch = selectors.access_batch(user=request.user, pk=pk)
    return render(request, "documents_ui/_batch.html", {"batch": batch, "decision": batch.decision})


@login_required
def certificate_batch_download(request, pk):
    batch = selectors.access_batch(user=request.user, pk=pk)
    if not batch.file:
        raise Http404
    name = f"giay-khen-{batch.decision.symbol.replace('/', '-')}.zip"
    return file_response(batch.file.open("rb"), filename=name, content_type="application/zip")


# --- one document -----------------------------------------------------------------------------


@login_required
def document_download(request, pk):
    document = selectors.access_document(user=request.user, pk=pk)
    return _pdf(document, inline=request.GET.get("inline") == "1")


# The PDF shown on the signing page, in a frame of our own page: only this response may be framed
# (by our pages) and may hold the browser's PDF viewer; every other page keeps the strict policy.
@login_required
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": ["'self'"], "object-src": ["'self'"]})
def document_preview(request, pk):
    document = selectors.access_document(user=request.user, pk=pk)
    return _pdf(document, inline=True)


@login_required
@require_http_methods(["GET", "POST"])
def document_sign(request, pk):
    """GET: the signing page, the document itself shown (PDF in a frame, and a link to open it);
    POST: the signature, only of the very document shown (its SHA-256 as the token)."""
    document = selectors.access_document(user=request.user, pk=pk)
    if request.method == "GET":
        if document.superseded_by_id or not permissions.may_sign(request.user, document):
            return render_refusal(
                request,
                403,
                _("This document is not yours to sign, or it has been replaced by a newer version."),
                back_url=_back_url(document),
            )
        context = {"document": document, "back_url": _back_url(document)}
        return render(request, "documents_ui/sign_confirm.html", context)
    form = SignForm(request.POST)
    # No capacity given: the one the decision states (services.document_sign).
    capacity = form.cleaned_data["capacity"] if form.is_valid() and "capacity" in request.POST else None

    def action():
        if request.POST.get("sha256", "") != document.sha256:
            raise TransitionNotAllowed(
                _(
                    "The document is no longer the one you looked at (it was signed or made again "
                    "since): nothing was signed. Look at it again before signing."
                )
            )
        services.document_sign(actor=request.user, document=document, capacity=capacity)
        return _("The document has been signed.")

    return _perform(request, _back_url(document), action)


def _back_url(document):
    if document.kind in (K.DECISION, K.REVOCATION, K.CERTIFICATE):
        return reverse("decision-documents", args=[document.decision_id])
    return reverse("dossier-documents", args=[document.dossier_id])


# --- verification -----------------------------------------------------------------------------


@login_required
def verify_upload(request):
    """Anyone logged in uploads a PDF and learns whether we issued it, unchanged, signed by whom."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            result = verify_pdf(form.cleaned_data["file"].read())
            if result.document is not None:
                result.may_view = permissions.can_view_document(request.user, result.document)
        else:
            status = 400
    return render(request, "documents_ui/verify.html", {"form": form, "result": result}, status=status)


def verify_code(request, code):
    """Public: the certificate behind a code — name, award, decision, revoked or not. Nothing else."""
    status = certificate_status(code)
    if status is None:
        return render(request, "documents_ui/verify_code.html", {"code": code, "status": None}, status=404)
    return render(request, "documents_ui/verify_code.html", {"code": code, "status": status})
