"""The API's error answers, declared once for every operation of the OpenAPI schema
(SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]), so that the schema lists every answer the API can
give and a client or a tool (schemathesis in tests/api/test_schemathesis.py) can trust it.

What the API answers besides success (dossiers.api_errors, config.views, config.parsers):
- 400: a field map `{"field": ["message", …]}` (DRF's serializer errors, and the services'
  ValidationErrors that name fields), or `{"detail": summary, "errors": [reason, …]}`, or
  `{"detail": "JSON parse error …"}`;
- 401 (no or bad token), 403 (role or unit may not), 404 (absent, hidden, invalid page, an id
  that is not one), 409 (not in this state), 413 (body too large), 415 (a body in a content type
  the operation does not read, or one that cannot be read as it says): `{"detail": message}`,
  with `"code"` for 409.
An operation's own declaration of one of these stays; the others are added.
"""

ERROR = {
    "type": "object",
    "description": "What was refused and why, in the request's language.",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string", "description": "For 409: transition_not_allowed."},
    },
    "required": ["detail"],
}
REFUSAL = {
    "type": "object",
    "description": (
        'Either a field map {"field": ["message", ...]} (non_field_errors for the request as a whole), '
        'or {"detail": summary, "errors": [reason, ...]}, or {"detail": message}.'
    ),
    "properties": {
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "string"}, "description": "Every reason, one by one."},
    },
    # A field's messages: a list of strings, or, for a nested or list field, their own map or list.
    "additionalProperties": {"anyOf": [{"type": "array"}, {"type": "object"}, {"type": "string"}]},
}

DESCRIPTIONS = {
    "400": "Refused: the request's data, by field, or every reason.",
    "401": "No valid token (or session): sign in or obtain a token.",
    "403": "Your role or unit may not do this.",
    "404": "Not found, not visible to you, or not a valid address.",
    "413": "The request body is too large.",
    "415": "The body's content type is not one this operation reads.",
}


def _json(ref: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}


def document_errors(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ApiError"] = ERROR
    schemas["ApiRefusal"] = REFUSAL
    # The services' refusals were declared as {"detail", "errors"} only; a field map is as common.
    if "RefusalOutput" in schemas:
        schemas["RefusalOutput"] = REFUSAL
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            anonymous = operation.get("security") == [{}] or not operation.get("security")
            wanted = ["400", "403", "404"]
            if not anonymous:
                wanted.append("401")
            if "requestBody" in operation:
                wanted += ["413", "415"]
            for code in wanted:
                if code not in responses:
                    ref = "#/components/schemas/" + ("ApiRefusal" if code == "400" else "ApiError")
                    responses[code] = _json(ref, DESCRIPTIONS[code])
    return result
