"""The OpenAPI document and its browsable docs, served without any outside resource."""

import json
import re

import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

PATHS = {
    "/api/auth/token/": {"post"},
    "/api/dossiers/": {"get", "post"},
    "/api/dossiers/{id}/": {"get", "patch"},
    "/api/dossiers/{id}/submit/": {"post"},
    "/api/dossiers/{id}/withdraw/": {"post"},
    "/api/dossiers/{id}/nominees/": {"get", "post"},
    "/api/dossiers/{id}/nominees/{nominee_id}/": {"get", "patch", "delete"},
    "/api/dossiers/{id}/attachments/": {"get", "post"},
    "/api/attachments/{id}/download/": {"get"},
    "/api/campaigns/": {"get"},
    "/api/award-types/": {"get"},
    "/api/document-kinds/": {"get"},
}


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
            if path.endswith(("/submit/",)):
                continue
            assert "requestBody" in paths[path][method], (method, path)
    upload = paths["/api/dossiers/{id}/attachments/"]["post"]["requestBody"]["content"]
    assert set(upload) == {"multipart/form-data"}
    created = paths["/api/dossiers/"]["post"]["responses"]
    assert set(created) >= {"201", "400", "403"}
    assert created["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/DossierDetailOutput")
    submit = paths["/api/dossiers/{id}/submit/"]["post"]["responses"]
    assert set(submit) == {"200", "400", "403", "404", "409"}
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
