"""The fast canonical serialiser writes exactly RFC 8785's bytes (`rfc8785.dumps`, the reference):
through the standard library's encoder for the values events hold, through the reference for
anything else. Proved on generated values rather than examples."""

import json

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from audit import chain
from audit.chain import SAFE_INT, canonical_json

# Text as users type it: every plane, Vietnamese (precomposed and combining), controls, quotes,
# backslashes, U+2028, DEL, the private use area. No lone surrogates (they are not Unicode text).
text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
vietnamese = st.text(
    alphabet='aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ "\\\n\t/',
    max_size=30,
)
bmp_text = st.text(alphabet=st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",)), max_size=30)
safe_ints = st.integers(min_value=-SAFE_INT, max_value=SAFE_INT)
scalars = st.none() | st.booleans() | safe_ints | text | vietnamese


def values(keys, leaves):
    return st.recursive(
        leaves,
        lambda children: st.lists(children, max_size=5) | st.dictionaries(keys, children, max_size=6),
        max_leaves=25,
    )


# The domain events hold: keys without characters beyond U+FFFF (keys with them sort by UTF-16).
event_values = values(bmp_text | vietnamese, scalars)
# Anything JSON can carry, floats, huge integers and emoji keys included.
any_values = values(
    text,
    scalars
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.integers(min_value=-(2**70), max_value=2**70),
)


def reference(value):
    try:
        return rfc8785.dumps(value)
    except rfc8785.CanonicalizationError as exc:
        return type(exc)


def ours(value):
    try:
        return canonical_json(value)
    except rfc8785.CanonicalizationError as exc:
        return type(exc)


@settings(max_examples=800, deadline=None, database=None)
@given(event_values)
def test_values_of_the_event_domain_take_the_fast_path_and_give_rfc8785_bytes(value):
    fast = chain._fast_domain(value) and chain._fast_bytes(chain.encode_sorted(value))
    if isinstance(value, str | dict | list) and not _has_astral(value):
        assert fast, value  # the fast path did serve it
    assert canonical_json(value) == rfc8785.dumps(value)


@settings(max_examples=800, deadline=None, database=None)
@given(any_values)
def test_any_json_value_gives_rfc8785_bytes_or_the_same_refusal(value):
    assert ours(value) == reference(value)


@settings(max_examples=300, deadline=None, database=None)
@given(
    st.dictionaries(
        st.sampled_from(["\U0001f600", "\ue000", "\uffff", "a", "\U00010000x"]), scalars, min_size=2
    )
)
def test_keys_beyond_the_basic_plane_sort_as_rfc8785_sorts_them(value):
    assert canonical_json(value) == rfc8785.dumps(value)


@pytest.mark.parametrize(
    "value",
    [
        {"score": 1.0},  # RFC 8785 writes 1, the standard library 1.0
        {"tiny": 1e-7},  # 1e-7, not 1e-07
        {"big": 2**53},  # refused by RFC 8785
        {"😀": 1, "\ue000": 2},  # UTF-16 order puts the emoji first
        {"k": "lone \ud800 surrogate"},  # not UTF-8: refused
        {"flag": True, "n": None, "list": [1, "hai", {"b": 2, "a": 1}]},
    ],
)
def test_values_where_the_two_encoders_differ_get_rfc8785s_answer(value):
    assert ours(value) == reference(value)


def test_enum_members_are_hashed_as_the_plain_values_they_stand_for():
    from dossiers.models import DossierState

    value = chain.normalise({"from": DossierState.RETURNED, "n": 3})

    assert type(value["from"]) is str
    assert canonical_json(value) == b'{"from":"returned","n":3}'


def test_the_fast_path_writes_vietnamese_as_raw_utf8():
    assert canonical_json({"title": "Hồ sơ"}) == '{"title":"Hồ sơ"}'.encode()
    assert (
        canonical_json({"title": "Hồ sơ"})
        == json.dumps({"title": "Hồ sơ"}, ensure_ascii=False, separators=(",", ":")).encode()
    )


def _has_astral(value) -> bool:
    return any(ord(c) > 0xFFFF for c in json.dumps(value, ensure_ascii=False))


roles_text = st.lists(
    st.sampled_from(["unit_head", "unit_staff", "chair", "inspector", 'x"y']), unique=True, max_size=3
)


@settings(max_examples=500, deadline=None, database=None)
@given(
    seq=st.integers(min_value=1, max_value=2**40),
    strings=st.lists(text | vietnamese, min_size=6, max_size=6),
    roles=roles_text,
    data=st.dictionaries(bmp_text | vietnamese, event_values, max_size=5),
)
def test_the_verifiers_direct_text_is_the_encoding_of_the_event(seq, strings, roles, data):
    ts, actor, action, object_type, object_id, scope = strings
    prev_hash = "a" * 64
    event = chain.event_dict(
        seq=seq,
        ts=ts,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        data=data,
        prev_hash=prev_hash,
        actor_roles=roles,
        scope=scope,
    )

    direct = chain.stored_event_text(
        seq, ts, actor, ",".join(roles), action, object_type, object_id, scope, data, prev_hash
    )

    assert direct == chain.encode_sorted(event)
