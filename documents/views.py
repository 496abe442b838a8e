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
from fund import services as fund_services
from org.errors import TransitionNotAllowed

from . import permissions, selectors, services
from .forms import DossierRenderForm, SignForm, VerifyForm
from .models import BatchState, GeneratedKind
from .throttle import public_throttle
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
            document.may_sign = permissions.may_sign(request.user, document)
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
        document.may_sign = permissions.may_sign(request.user, document)
    data["may_render"] = permissions.can_render(request.user, data["own_kind"], decision)
    data["may_certify"] = data["may_render"] and data["own_kind"] == K.DECISION
    from .publication import can_publish

    data["may_publish"] = can_publish(request.user, decision)
    return render(request, "documents_ui/decision_documents.html", data)


@login_required
@require_POST
def decision_document_render(request, pk):
    decision = access_decision(user=request.user, pk=pk)
    kind = K.REVOCATION if decision.revokes_id else K.DECISION

    def action():
        document = services.document_render(actor=request.user, kind=kind, subject=decision)
        if document.signed:  # the same data again: the signed version stands, nothing was made
            return _("The PDF of %(symbol)s has not changed and is already signed (version %(version)d).") % {
                "symbol": decision.symbol,
                "version": document.version,
            }
        return _("The PDF of %(symbol)s is made (version %(version)d): check it, then sign it.") % {
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
        if permissions.has_signed(request.user, document):
            return render_refusal(
                request, 409, _("You have already signed this document."), back_url=_back_url(document)
            )
        if not permissions.may_sign(request.user, document):
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


@public_throttle("verify")
def verify_upload(request):
    """Anyone, with or without an account, uploads a PDF and learns whether we issued it,
    unchanged, signed by whom (signer, capacity, time, the agency's signature). Nothing of the
    dossier behind it; a download link only for someone logged in who may see the document."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            result = verify_pdf(form.cleaned_data["file"].read())
            if result.document is not None and request.user.is_authenticated:
                result.may_view = permissions.can_view_document(request.user, result.document)
        else:
            status = 400
    return render(request, "documents_ui/verify.html", {"form": form, "result": result}, status=status)


@public_throttle("verify")
def verify_code(request, code):
    """Public: the certificate behind a code — name, award, decision, revoked or not. Nothing else."""
    status = certificate_status(code)
    if status is None:
        return render(request, "documents_ui/verify_code.html", {"code": code, "status": None}, status=404)
    return render(request, "documents_ui/verify_code.html", {"code": code, "status": status})


# --- issuance by the records office ------------------------------------------------------------


def _keeps_records(user) -> bool:
    from org.models import Role
    from org.scopes import scopes_for

    return any(scope.role == Role.RECORDS_CLERK for scope in scopes_for(user))


@login_required
def documents_to_issue(request):
    """The records clerk's list: decisions signed by their signer and not yet issued, and the
    ones issued last."""
    if not _keeps_records(request.user):
        raise Http404
    context = {
        "documents": list(selectors.documents_to_issue(user=request.user)),
        "issued": list(selectors.documents_issued(user=request.user)),
    }
    return render(request, "documents_ui/to_issue.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def document_issue(request, pk):
    """GET: the issuing page, the signed decision shown; POST: the body's signature (its seal),
    only on the very file shown (its SHA-256 as the token)."""
    document = selectors.access_document(user=request.user, pk=pk)
    back_url = reverse("documents-to-issue")
    if request.method == "GET":
        if not permissions.can_issue(request.user, document) or document.superseded_by_id:
            return render_refusal(
                request,
                403,
                _(
                    "Only a records clerk of the issuing body issues this decision, and only its latest version."
                ),
                back_url=back_url,
            )
        context = {
            "document": document,
            "body": permissions.issuing_body(document),
            "signatures": list(document.signatures.select_related("signer").order_by("order")),
            "back_url": back_url,
            # The award fund before and after this decision's charge, and its overdraw warning.
            "fund_outlook": fund_services.issue_outlook(document.decision),
        }
        return render(request, "documents_ui/issue_confirm.html", context)

    def action():
        if request.POST.get("sha256", "") != document.sha256:
            raise TransitionNotAllowed(
                _(
                    "The document is no longer the one you looked at (it was signed or made again "
                    "since): nothing was issued. Look at it again before issuing."
                )
            )
        services.document_issue(
            actor=request.user,
            document=document,
            acknowledge_overdraw=request.POST.get("acknowledge_overdraw") == "on",
        )
        return _("Decision %(symbol)s has been issued with the digital signature of %(body)s.") % {
            "symbol": document.decision.symbol,
            "body": document.decision.issuer.name,
        }

    return _perform(request, back_url, action)


# --- the signer's signature image ---------------------------------------------------------------


def _image_owner(request):
    """Whose image the page is about: the user's own, or (for an administrator) `?user=<login>`."""
    from django.contrib.auth import get_user_model

    from org.models import Role
    from org.scopes import roles_of

    username = request.GET.get("user") or request.POST.get("user")
    if not username or username == request.user.get_username():
        return request.user
    if Role.ADMIN not in roles_of(request.user):
        raise Http404
    return get_object_or_404(get_user_model(), username=username)


@login_required
@require_http_methods(["GET", "POST"])
def signature_image(request):
    """The image of one's handwritten signature, shown by one's digital signatures: see it,
    upload a new one (PNG)."""
    from .forms import SignatureImageForm
    from .models import SignatureImage

    owner = _image_owner(request)
    form = SignatureImageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.signature_image_set(
                actor=request.user, user=owner, uploaded_file=form.cleaned_data["image"]
            )
        except ValidationError as exc:
            for text in exc.messages:
                form.add_error("image", text)
        else:
            messages.success(request, _("The signature image has been saved."))
            url = reverse("signature-image")
            return redirect(url if owner == request.user else f"{url}?user={owner.get_username()}")
    image = SignatureImage.objects.filter(user=owner).first()
    context = {"owner": owner, "image": image, "form": form, "own": owner == request.user}
    return render(request, "documents_ui/signature_image.html", context)


@login_required
def signature_image_file(request):
    from .models import SignatureImage

    owner = _image_owner(request)
    image = get_object_or_404(SignatureImage, user=owner)
    return file_response(image.image.open("rb"), filename="chu-ky.png", content_type="image/png", inline=True)


def signing_crl(request):
    """The demo CA's CRL (`manage.py signing_crl`), public: the address SIGNING_CRL_URL names."""
    from . import signing

    path = signing.keys_dir() / signing.CA_CRL
    if not path.is_file():
        raise Http404
    return file_response(path.open("rb"), filename="ca.crl", content_type="application/pkix-crl")


# --- publication (công bố) ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def decision_publication(request, pk):
    """The standing body's or records office's page to publish an issued decision on the public
    pages, or take it down with a reason (documents.publication). Others: 404."""
    from approvals.models import Decision

    from . import publication as publishing

    decision = get_object_or_404(Decision.objects.select_related("issuer"), pk=pk)
    if not publishing.can_publish(request.user, decision):
        raise Http404
    back_url = reverse("decision-publication", args=[decision.pk])
    if request.method == "POST":
        if request.POST.get("action") == "unpublish":
            return _perform(
                request,
                back_url,
                lambda: (
                    publishing.decision_unpublish(
                        actor=request.user, decision=decision, reason=request.POST.get("reason", "")
                    )
                    and _("The decision is no longer on the public pages.")
                ),
            )
        return _perform(
            request,
            back_url,
            lambda: (
                publishing.decision_publish(actor=request.user, decision=decision)
                and _("The decision is published on the public pages.")
            ),
        )
    context = {
        "decision": decision,
        "issued_document": publishing.issued_document(decision),
        "publication": publishing.current_publication(decision),
        "history": decision.publications.filter(withdrawn_at__isnull=False).select_related("withdrawn_by"),
    }
    return render(request, "documents_ui/publication.html", context)
