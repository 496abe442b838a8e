"""Every list an API input takes is bounded (org.api_fields): a body within its 5 MB could
otherwise carry a million ids into one query or a million rows into one validation. The schema
says `maxItems` for each, and a longer list is a 400 naming the field, in either language."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from org import limits

from .helpers import english_client

pytestmark = pytest.mark.django_db


def _arrays(schema, node, where, seen=()):
    """(where, array schema) of every array inside `node`, following $refs."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return
        yield from _arrays(schema, schema["components"]["schemas"][name], f"{where}→{name}", (*seen, name))
        return
    if node.get("type") == "array":
        yield where, node
        yield from _arrays(schema, node.get("items", {}), f"{where}[]", seen)
    for key in ("properties",):
        for prop, sub in node.get(key, {}).items():
            yield from _arrays(schema, sub, f"{where}.{prop}", seen)
    for key in ("allOf", "oneOf", "anyOf"):
        for sub in node.get(key, []):
            yield from _arrays(schema, sub, where, seen)


def input_arrays():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                found += list(_arrays(schema, content.get("schema", {}), f"{method.upper()} {path}"))
    return found


def test_every_list_an_input_takes_says_how_long_it_may_be():
    arrays = input_arrays()
    assert len(arrays) >= 10  # the decision's dossiers, a meeting's, the members present, rows …
    unbounded = sorted(
        {where for where, node in arrays if not 1 <= node.get("maxItems", 0) <= limits.ID_LIST}
    )
    assert unbounded == []


@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_list_one_longer_is_refused_naming_the_field(world, language):
    api = english_client() if language == "en" else APIClient(HTTP_ACCEPT_LANGUAGE="vi")
    api.force_authenticate(world.chair)
    ids = list(range(1, limits.ID_LIST + 2))
    refused = api.post("/api/decisions/issue/", {"dossiers": ids, "title": "x"}, format="json")
    assert refused.status_code == 400
    message = {"en": "At most 1000 in one request.", "vi": "Tối đa 1000 mục trong một yêu cầu."}[language]
    assert refused.json()["dossiers"] == [message]
    at_the_bound = api.post("/api/decisions/issue/", {"dossiers": ids[:-1], "title": "x"}, format="json")
    # At the bound the list is read: the dossiers are looked up, and those that are not there named.
    assert at_the_bound.status_code == 400 and message not in str(at_the_bound.json())
