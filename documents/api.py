"""The JSON API of documents: the same selectors and services as the pages. A dossier or
decision the user may not see is a 404; refusals become 403/409/400 in dossiers.api_errors."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals.models import Award
from approvals.selectors import access_decision
from dossiers.files import file_response
from dossiers.models import Nominee
from dossiers.serializers import ConflictOutput, ErrorOutput, RefusalOutput
from org.errors import TransitionNotAllowed

from . import selectors, services
from . import serializers as s
from .models import GeneratedKind
from .verification import certificate_status, verify_pdf

K = GeneratedKind
NOT_FOUND = OpenApiResponse(ErrorOutput, description="Not found, or not visible to you.")
FORBIDDEN = OpenApiResponse(ErrorOutput, description="Your role may not do this.")
CONFLICT = OpenApiResponse(ConflictOutput, description="Not possible now (e.g. signed, superseded).")
REFUSED = OpenApiResponse(RefusalOutput, description="Refused, with every reason.")
PDF = OpenApiResponse(OpenApiTypes.BINARY, description="The PDF.")


class FileApi(APIView):
    def perform_content_negotiation(self, request, force=False):
        # A client asking for the file's own type gets it, and any error as JSON, not 406.
        return super().perform_content_negotiation(request, force=True)


def _documents(queryset):
    return s.DocumentOutput(queryset, many=True).data


class DossierDocumentsApi(APIView):
    @extend_schema(
        operation_id="dossier_documents_list",
        summary="A dossier's generated documents (tờ trình, biên bản, trích ngang), every version",
        responses={200: s.DocumentOutput(many=True), 404: NOT_FOUND},
    )
    def get(self, request, pk):
        data = selectors.dossier_documents(user=request.user, pk=pk)
        documents = data["submission"] + data["minutes"] + [d for n in data["nominees"] for d in n.documents]
        return Response(_documents(documents))

    @extend_schema(
        operation_id="dossier_documents_render",
        summary="Render a document of the dossier (a new version only if its data changed)",
        request=s.DossierRenderInput,
        responses={201: s.DocumentOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk):
        dossier = selectors.dossier_documents(user=request.user, pk=pk)["dossier"]
        data = s.DossierRenderInput(data=request.data)
        data.is_valid(raise_exception=True)
        kind, subject = K(data.validated_data["kind"]), dossier
        if kind == K.ACHIEVEMENT:
            subject = get_object_or_404(
                Nominee.objects.current(), pk=data.validated_data.get("nominee"), dossier=dossier
            )
        document = services.document_render(actor=request.user, kind=kind, subject=subject)
        return Response(s.DocumentOutput(document).data, status=status.HTTP_201_CREATED)


class DecisionDocumentsApi(APIView):
    @extend_schema(
        operation_id="decision_documents_list",
        summary="A decision's document (every version), its current certificates and last batch",
        responses={200: s.DecisionDocumentsOutput, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        return Response(
            s.DecisionDocumentsOutput(selectors.decision_documents(user=request.user, pk=pk)).data
        )

    @extend_schema(
        operation_id="decision_documents_render",
        summary="Render the decision (or revocation) as a PDF (a new version only if its data changed)",
        request=None,
        responses={201: s.DocumentOutput, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk):
        decision = access_decision(user=request.user, pk=pk)
        kind = K.REVOCATION if decision.revokes_id else K.DECISION
        document = services.document_render(actor=request.user, kind=kind, subject=decision)
        return Response(s.DocumentOutput(document).data, status=status.HTTP_201_CREATED)


class CertificateBatchStartApi(APIView):
    @extend_schema(
        operation_id="decision_certificates_start",
        summary="Make every certificate of the decision in the background, into one ZIP",
        request=None,
        responses={202: s.BatchOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, pk):
        decision = access_decision(user=request.user, pk=pk)
        batch = services.certificate_batch_start(actor=request.user, decision=decision)
        batch.refresh_from_db()
        return Response(s.BatchOutput(batch).data, status=status.HTTP_202_ACCEPTED)


class AwardCertificateApi(APIView):
    @extend_schema(
        operation_id="award_certificate_render",
        summary="Render one award's certificate (a new version only if its data changed)",
        request=None,
        responses={201: s.DocumentOutput, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk):
        award = get_object_or_404(Award, pk=pk)
        access_decision(user=request.user, pk=award.decision_id)
        document = services.document_render(actor=request.user, kind=K.CERTIFICATE, subject=award)
        return Response(s.DocumentOutput(document).data, status=status.HTTP_201_CREATED)


class CertificateBatchApi(APIView):
    @extend_schema(
        operation_id="certificate_batches_retrieve",
        summary="Progress of a batch of certificates",
        responses={200: s.BatchOutput, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        return Response(s.BatchOutput(selectors.access_batch(user=request.user, pk=pk)).data)


class CertificateBatchDownloadApi(FileApi):
    @extend_schema(
        operation_id="certificate_batches_download",
        summary="The ZIP of the batch's certificates",
        responses={(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY), 404: NOT_FOUND},
    )
    def get(self, request, pk):
        batch = selectors.access_batch(user=request.user, pk=pk)
        if not batch.file:
            raise Http404
        name = f"giay-khen-{batch.decision.symbol.replace('/', '-')}.zip"
        return file_response(batch.file.open("rb"), filename=name, content_type="application/zip")


class DocumentDetailApi(APIView):
    @extend_schema(
        operation_id="documents_retrieve",
        summary="A generated document: its hashes, version and signatures",
        responses={200: s.DocumentOutput, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        return Response(s.DocumentOutput(selectors.access_document(user=request.user, pk=pk)).data)


class DocumentDownloadApi(FileApi):
    @extend_schema(
        operation_id="documents_download",
        summary="The document's PDF as it is now (signed, if signed)",
        responses={(200, "application/pdf"): PDF, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        document = selectors.access_document(user=request.user, pk=pk)
        return file_response(
            document.file.open("rb"), filename=document.download_name, content_type="application/pdf"
        )


class DocumentSignApi(APIView):
    @extend_schema(
        operation_id="documents_sign",
        summary="Sign the document with your own key (PAdES), in the capacity the decision states",
        request=s.SignInput,
        responses={200: s.DocumentOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk):
        document = selectors.access_document(user=request.user, pk=pk)
        data = s.SignInput(data=request.data)
        data.is_valid(raise_exception=True)
        capacity = data.validated_data.get("capacity") if "capacity" in data.validated_data else None
        document = services.document_sign(actor=request.user, document=document, capacity=capacity)
        document = selectors.access_document(user=request.user, pk=document.pk)
        return Response(s.DocumentOutput(document).data)


class DocumentsToIssueApi(APIView):
    @extend_schema(
        operation_id="documents_to_issue",
        summary="The records clerk's list: decisions signed by their signer and not yet issued",
        responses={200: s.DocumentOutput(many=True)},
    )
    def get(self, request):
        documents = selectors.documents_to_issue(user=request.user).prefetch_related("signatures__signer")
        return Response(s.DocumentOutput(documents, many=True).data)


class DocumentIssueApi(APIView):
    @extend_schema(
        operation_id="documents_issue",
        summary="Issue the signed decision with the issuing body's digital signature (its seal); "
        "records clerks of that body only, once",
        request=s.IssueInput,
        responses={200: s.DocumentOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk):
        document = selectors.access_document(user=request.user, pk=pk)
        data = s.IssueInput(data=request.data)
        data.is_valid(raise_exception=True)
        expected = data.validated_data.get("sha256")
        if expected and expected != document.sha256:
            raise TransitionNotAllowed(
                _("The document is no longer the one you looked at: nothing was issued.")
            )
        document = services.document_issue(
            actor=request.user,
            document=document,
            acknowledge_overdraw=data.validated_data["acknowledge_overdraw"],
        )
        document = selectors.access_document(user=request.user, pk=document.pk)
        return Response(s.DocumentOutput(document).data)


class VerifyApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="documents_verify",
        summary="Is this PDF one we issued, unchanged, and who signed it when?",
        request={"multipart/form-data": s.VerifyInput},
        responses={200: s.VerificationOutput, 400: REFUSED},
    )
    def post(self, request):
        data = s.VerifyInput(data=request.data)
        data.is_valid(raise_exception=True)
        result = verify_pdf(data.validated_data["file"].read())
        return Response(s.VerificationOutput(result).data)


class VerifyCodeApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        operation_id="certificates_verify_code",
        summary="Public: the certificate behind a verification code, and whether it was revoked",
        responses={200: s.CertificateStatusOutput, 404: NOT_FOUND},
    )
    def get(self, request, code):
        found = certificate_status(code)
        if found is None:
            raise Http404
        return Response(s.CertificateStatusOutput(found).data)


class PublicationInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2_000, required=False, allow_blank=True)


class PublicationOutput(serializers.Serializer):
    decision = serializers.IntegerField(source="decision_id")
    published_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    withdrawn_reason = serializers.CharField()


def _publishable_decision(request, pk):
    from approvals.models import Decision

    from .publication import can_publish

    decision = get_object_or_404(Decision.objects.select_related("issuer"), pk=pk)
    if not can_publish(request.user, decision):
        raise Http404
    return decision


class DecisionPublishApi(APIView):
    @extend_schema(
        operation_id="decisions_publish",
        summary="Publish an issued decision on the public pages (standing body or records office "
        "of the issuing body)",
        request=None,
        responses={201: PublicationOutput, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk):
        from .publication import decision_publish

        publication = decision_publish(actor=request.user, decision=_publishable_decision(request, pk))
        return Response(PublicationOutput(publication).data, status=status.HTTP_201_CREATED)


class DecisionUnpublishApi(APIView):
    @extend_schema(
        operation_id="decisions_unpublish",
        summary="Take a published decision down from the public pages, with a reason",
        request=PublicationInput,
        responses={200: PublicationOutput, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request, pk):
        from .publication import decision_unpublish

        decision = _publishable_decision(request, pk)
        data = PublicationInput(data=request.data)
        data.is_valid(raise_exception=True)
        publication = decision_unpublish(
            actor=request.user, decision=decision, reason=data.validated_data.get("reason", "")
        )
        return Response(PublicationOutput(publication).data)
