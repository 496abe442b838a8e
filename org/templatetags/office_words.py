"""`{% load office_words %}`: the office's words on every page (org.words): `{{ user|person }}`,
`{{ "unit_head"|role }}`, `{{ event.actor_roles|roles }}`, `{{ ts|when }}`, `{{ 710000|money }}`
→ “710.000 đ”, `{{ percent|percent }}` → “55,56 %”. The lowest app, so every page app may load it."""

from django import template

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
    return words.money(amount)


@register.filter
def percent(value) -> str:
    return words.percent(value)
