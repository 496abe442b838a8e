"""`{% text_limit "SHORT_TEXT" %}`: a limit of org.limits, for a field a template writes by hand
(the forms' fields carry theirs as `max_length`); `{{ 2000|grouped }}`: “2.000” in Vietnamese."""

from django import template

from org import limits

register = template.Library()


@register.simple_tag
def text_limit(name: str) -> int:
    return getattr(limits, name)


@register.filter
def grouped(number) -> str:
    return limits.grouped(int(number))
