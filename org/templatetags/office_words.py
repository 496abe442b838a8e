"""`{% load office_words %}`: the office's words on every page (org.words): `{{ user|person }}`,
`{{ "unit_head"|role }}`, `{{ event.actor_roles|roles }}`, `{{ ts|when }}`, `{{ 710000|money }}`
→ “710.000 đ”, `{{ percent|percent }}` → “55,56 %”. The lowest app, so every page app may load it."""

from django import template
from django.utils.html import format_html

from .. import words

register = template.Library()


@register.filter
def person(user) -> str:
    return words.person(user)


@register.filter
def role(code) -> str:
    return words.role_label(code)


@register.filter
def roles(codes) -> str:
    return words.role_labels(codes)


@register.filter
def when(value, arg="") -> str:
    return words.when(value, with_seconds=arg == "seconds")


@register.filter
def money(amount) -> str:
    """The amount kept on one line: "710.000 đ" never breaks before its "đ" on a phone."""
    text = words.money(amount)
    return format_html('<span class="text-nowrap">{}</span>', text) if text else ""


@register.filter
def percent(value) -> str:
    return words.percent(value)
