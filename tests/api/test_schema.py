"""The OpenAPI document and its browsable docs, served without any outside resource."""

import json
import re

import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

PATHS = {
    "/api/auth/token/": {"post", "delete"},
    "/api/registers/": {"get"},
    "/api/registers/{unit_id}/{year}/": {"get"},
    "/api/registers/{unit_id}/{year}/outside/": {"post"},
    "/api/dossiers/": {"get", "post"},
    "/api/dossiers/{id}/": {"get", "patch"},
    "/api/dossiers/{id}/submit/": {"post"},
    "/api/dossiers/{id}/withdraw/": {"post"},
    "/api/dossiers/{id}/nominees/": {"get", "post"},
    "/api/dossiers/{id}/nominees/{nominee_id}/": {"get", "patch", "delete"},
    "/api/dossiers/{id}/nominees/{nominee_id}/authors/": {"post"},
    "/api/dossiers/{id}/nominees/{nominee_id}/authors/{author_id}/": {"delete"},
    "/api/dossiers/{id}/nominees/import/": {"post"},
    "/api/dossiers/{id}/nominees/import/template/": {"get"},
    "/api/exports/{name}/": {"get"},
    "/api/export-jobs/{id}/": {"get"},
    "/api/export-jobs/{id}/download/": {"get"},
    "/api/dossiers/{id}/attachments/": {"get", "post"},
    "/api/attachments/{id}/download/": {"get"},
    "/api/campaigns/": {"get"},
    "/api/award-types/": {"get"},
    "/api/document-kinds/": {"get"},
    "/api/legal-grounds/": {"get"},
    "/api/award-records/": {"get", "post"},
    "/api/award-records/{id}/": {"get", "patch"},
    "/api/award-records/{id}/void/": {"post"},
    "/api/award-register/": {"get"},
    "/api/award-register/{ref}/": {"get"},
    "/api/dashboard/": {"get"},
    "/api/nominees/{id}/history/": {"get"},
    "/api/nominees/{id}/eligibility-overrides/": {"post"},
    "/api/inspection/events/": {"get"},
    "/api/inspection/chain/": {"get"},
    "/api/inspection/dossiers/{id}/timeline/": {"get"},
    "/api/inspection/dossiers/{id}/evidence/": {"get"},
    # Statistics in the Ministry's forms (reports/statistics_api_urls.py).
    "/api/reports/": {"get"},
    "/api/reports/{slug}/": {"get"},
    "/api/reports/{slug}/figure/": {"get"},
    # The workflow (workflows/api_urls.py).
    "/api/dossiers/{id}/receive/": {"post"},
    "/api/dossiers/{id}/accept/": {"post"},
    "/api/dossiers/{id}/return/": {"post"},
    "/api/dossiers/{id}/reject/": {"post"},
    "/api/dossiers/{id}/objections/": {"get", "post"},
    "/api/objections/{id}/resolve/": {"post"},
    "/api/dossiers/{id}/close-notice/": {"post"},
    "/api/dossiers/{id}/opinion/": {"post"},
    "/api/dossiers/{id}/decide/": {"post"},
    "/api/dossiers/{id}/forward/": {"post"},
    "/api/forwardings/": {"post"},
    "/api/dossiers/{id}/decline/": {"post"},
    "/api/dossiers/{id}/assign/": {"post"},
    "/api/standing-load/": {"get"},
    "/api/dossiers/{id}/workflow/": {"get"},
    "/api/tasks/": {"get"},
    "/api/tasks/{id}/claim/": {"post"},
    "/api/queue/": {"get"},
    "/api/to-sign/": {"get"},
    "/api/unit-dossiers/": {"get"},
    "/api/decisions/": {"get"},
    "/api/decisions/{id}/": {"get"},
    "/api/decisions/{id}/revoke/": {"post"},
    "/api/decisions/preview/": {"post"},
    "/api/decisions/drafts/": {"post"},
    "/api/decisions/issue/": {"post"},
    # Documents and signatures (documents/api_urls.py).
    "/api/dossiers/{id}/documents/": {"get", "post"},
    "/api/decisions/{id}/documents/": {"get", "post"},
    "/api/decisions/{id}/certificates/": {"post"},
    "/api/decisions/{id}/publish/": {"post"},
    # The public pages' objection, without an account (public/api_urls.py).
    "/api/public/notices/{id}/objections/": {"post"},
    "/api/public/objections/{code}/": {"get"},
    "/api/decisions/{id}/unpublish/": {"post"},
    "/api/awards/{id}/certificate/": {"post"},
    "/api/certificate-batches/{id}/": {"get"},
    "/api/certificate-batches/{id}/download/": {"get"},
    "/api/documents/{id}/": {"get"},
    "/api/documents/{id}/download/": {"get"},
    "/api/documents/{id}/sign/": {"post"},
    "/api/documents/{id}/issue/": {"post"},
    "/api/documents/to-issue/": {"get"},
    "/api/verify/": {"post"},
    "/api/verify/{code}/": {"get"},
}
PATHS.update(
    {
        # Council meetings (workflows/council_api_urls.py).
        "/api/meetings/": {"get", "post"},
        "/api/meetings/{id}/": {"get"},
        **{
            f"/api/meetings/{{id}}/{action}/": {"post"}
            for action in (
                "attendance",
                "open",
                "cancel",
                "ballots",
                "written-votes",
                "recusals",
                "close",
                "runoff",
                "tie",
                "leave",
            )
        },
        "/api/meetings/{id}/live/": {"get"},
        "/api/meetings/{id}/minutes/": {"get"},
        # A meeting held on paper, and its signed minutes (the only other source of a result).
        "/api/meetings/paper/": {"post"},
        "/api/meetings/{id}/minutes/file/": {"get"},
    }
)
# Emulation clusters and blocs (clusters/api_urls.py).
CLUSTER_YEAR = "/api/clusters/{id}/years/{year}/"
PATHS.update(
    {
        "/api/clusters/": {"get", "post"},
        CLUSTER_YEAR: {"get"},
        **{
            f"{CLUSTER_YEAR}{action}/": {"post"}
            for action in (
                "members",
                "leadership",
                "criteria",
                "open",
                "self-scores",
                "self-scores/{unit}/confirm",
                "cross-scoring/open",
                "cross-scores",
                "cross-scoring/close",
                "reviewed-scores",
                "close",
                "proposal",
            )
        },
    }
)
# Initiatives, their council's meetings and the recognition decisions (initiatives/api_urls.py).
PATHS.update(
    {
        "/api/initiatives/": {"get", "post"},
        "/api/initiatives/{id}/": {"get"},
        "/api/initiatives/{id}/submit/": {"post"},
        "/api/initiatives/{id}/withdraw/": {"post"},
        "/api/initiatives/{id}/files/": {"post"},
        "/api/initiatives/{id}/recognise/": {"post"},
        "/api/initiatives/recognitions/{id}/": {"get"},
        "/api/initiatives/meetings/": {"get", "post"},
        "/api/initiatives/meetings/{id}/": {"get"},
        "/api/initiatives/meetings/{id}/open/": {"post"},
        "/api/initiatives/meetings/{id}/ballots/": {"post"},
        "/api/initiatives/meetings/{id}/close/": {"post"},
    }
)
# A contest's results: ranking, ties, the results decision, the public results (contests/api_urls.py).
CONTEST_RESULTS = "/api/contests/{id}/results/"
PATHS.update(
    {
        CONTEST_RESULTS: {"get"},
        f"{CONTEST_RESULTS}rank/": {"post"},
        f"{CONTEST_RESULTS}tie/": {"post"},
        f"{CONTEST_RESULTS}decision/": {"post"},
        f"{CONTEST_RESULTS}decision/sign/": {"post"},
        f"{CONTEST_RESULTS}decision/issue/": {"post"},
        f"{CONTEST_RESULTS}certificates/": {"get", "post"},
        "/api/contests/public/{id}/": {"get"},
    }
)
# A contest's set-up and its entries (contests/api_urls.py).
CONTEST = "/api/contests/{id}/"
CONTEST_ENTRY = "/api/contests/entries/{entry_pk}/"
PATHS.update(
    {
        "/api/contests/": {"get", "post"},
        CONTEST: {"get", "patch"},
        f"{CONTEST}open/": {"post"},
        f"{CONTEST}criteria/": {"get", "post"},
        f"{CONTEST}criteria/{{item_pk}}/": {"patch", "delete"},
        f"{CONTEST}prizes/": {"get", "post"},
        f"{CONTEST}prizes/{{item_pk}}/": {"patch", "delete"},
        f"{CONTEST}jurors/": {"get", "post"},
        f"{CONTEST}jurors/{{item_pk}}/": {"delete"},
        f"{CONTEST}conflicts/": {"get", "post"},
        f"{CONTEST}entries/": {"get", "post"},
        CONTEST_ENTRY: {"get", "patch"},
        f"{CONTEST_ENTRY}files/": {"post"},
        f"{CONTEST_ENTRY}files/{{file_pk}}/": {"delete"},
        f"{CONTEST_ENTRY}send/": {"post"},
        f"{CONTEST_ENTRY}withdraw/": {"post"},
        f"{CONTEST_ENTRY}refuse/": {"post"},
    }
)
# The year's emulation plans and registrations, a nominee's registration (emulation/api_urls.py).
PATHS.update(
    {
        "/api/emulation/plans/": {"get", "post"},
        "/api/emulation/plans/{id}/overview/": {"get"},
        "/api/emulation/plans/{id}/units/{unit_pk}/registrations/": {"get", "post"},
        "/api/emulation/registrations/{id}/withdraw/": {"post"},
        "/api/emulation/nominees/{id}/registration/": {"get", "post"},
    }
)
# The award fund: its funds and statement, additions, corrections, payments (fund/api_urls.py).
PATHS.update(
    {
        "/api/fund/funds/": {"get", "post"},
        "/api/fund/funds/{id}/": {"get"},
        "/api/fund/funds/{id}/additions/": {"post"},
        "/api/fund/funds/{id}/corrections/": {"post"},
        "/api/fund/decisions/{id}/payments/": {"post"},
    }
)
# The year's emulation plans and registrations, a nominee's registration (emulation/api_urls.py).
PATHS.update(
    {
        "/api/emulation/plans/": {"get", "post"},
        "/api/emulation/plans/{id}/overview/": {"get"},
        "/api/emulation/plans/{id}/units/{unit_pk}/registrations/": {"get", "post"},
        "/api/emulation/registrations/{id}/withdraw/": {"post"},
        "/api/emulation/nominees/{id}/registration/": {"get", "post"},
    }
)
# A province's proposals of state honours to the central level (honours/api_urls.py).
HONOURS = "/api/honours/proposals/{id}/"
PATHS.update(
    {
        "/api/honours/proposals/": {"get", "post"},
        HONOURS: {"get"},
        f"{HONOURS}candidates/": {"get"},
        f"{HONOURS}nominees/": {"post"},
        f"{HONOURS}nominees/{{entry}}/remove/": {"post"},
        f"{HONOURS}nominees/{{entry}}/result/": {"post"},
        f"{HONOURS}submit/": {"post"},
        f"{HONOURS}close/": {"post"},
        f"{HONOURS}document.{{fmt}}": {"get"},
    }
)
# POST endpoints whose action needs no body.
NO_BODY = {
    f"{HONOURS}nominees/{{entry}}/remove/",
    f"{HONOURS}close/",
    *(
        f"{CLUSTER_YEAR}{a}/"
        for a in ("open", "self-scores/{unit}/confirm", "cross-scoring/open", "cross-scoring/close")
    ),
    "/api/decisions/{id}/publish/",
    "/api/decisions/{id}/documents/",
    "/api/decisions/{id}/certificates/",
    "/api/awards/{id}/certificate/",
    "/api/meetings/{id}/open/",
    "/api/meetings/{id}/cancel/",
    "/api/meetings/{id}/close/",
    "/api/meetings/{id}/runoff/",
    "/api/initiatives/{id}/withdraw/",
    "/api/initiatives/meetings/{id}/close/",
}
NO_BODY |= {f"{CONTEST_RESULTS}{a}/" for a in ("rank", "decision/sign", "decision/issue", "certificates")}
NO_BODY |= {f"{CONTEST}open/", f"{CONTEST_ENTRY}send/"}
# A contest's rounds and the jury's scores (contests/round_api.py).
CONTEST_ROUND = "/api/contests/{id}/rounds/{kind}/"
PATHS.update(
    {
        f"{CONTEST_ROUND}start/": {"post"},
        f"{CONTEST_ROUND}close/": {"post"},
        f"{CONTEST_ROUND}progress/": {"get"},
        f"{CONTEST_ROUND}scores/": {"get"},
        f"{CONTEST_ROUND}my-scores/": {"get"},
        f"{CONTEST_ROUND}entries/{{entry_pk}}/scores/": {"put"},
    }
)
NO_BODY |= {f"{CONTEST_ROUND}start/"}


def test_schema_is_valid_openapi_and_describes_every_endpoint(client, db):
    response = client.get("/api/schema/")

    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    paths = {path: set(ops) - {"parameters"} for path, ops in schema["paths"].items()}
    assert paths == PATHS


def test_schema_describes_request_and_response_bodies(client, db):
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)
    paths = schema["paths"]

    for path, methods in PATHS.items():
        for method in methods & {"post", "patch"}:
            if path in NO_BODY or path.endswith(("/submit/", "/receive/", "/close-notice/", "/claim/")):
                continue
            assert "requestBody" in paths[path][method], (method, path)
    upload = paths["/api/dossiers/{id}/attachments/"]["post"]["requestBody"]["content"]
    assert set(upload) == {"multipart/form-data"}
    created = paths["/api/dossiers/"]["post"]["responses"]
    assert set(created) >= {"201", "400", "403"}
    assert created["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/DossierDetailOutput")
    submit = paths["/api/dossiers/{id}/submit/"]["post"]["responses"]
    assert set(submit) == {"200", "400", "401", "403", "404", "409"}
    listed = paths["/api/dossiers/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listed["$ref"].endswith("/PaginatedDossierListOutputList")
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    assert "cookieAuth" in schema["components"]["securitySchemes"]


def test_docs_page_loads_everything_from_our_own_server(client, db):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert re.findall(r"(?:https?:)?//[\w.-]+\.\w+", html) == []
    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in assets
    assert all(finders.find(asset) for asset in assets), assets


def test_schema_generates_without_a_warning(tmp_path):
    """Warnings (e.g. one choice set under two enum names) also fail `check --deploy`."""
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "api.yaml"))
    assert "/api/dossiers/{id}/submit/" in (tmp_path / "api.yaml").read_text()
