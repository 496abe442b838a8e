"""Fields the API's inputs share.

A list of ids in one request (the dossiers of a decision or a meeting, the members present, a
tie's order) is bounded like a text (org.limits): a body within its 5 MB could otherwise carry a
million ids into one query. The bound is what one office's act covers: a campaign's decision for
a whole province is hundreds of dossiers, not thousands."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from . import limits

TOO_MANY = _("At most {max_length} in one request.")


class IdList(serializers.ListField):
    """A list of ids: integers, at most `limits.ID_LIST` of them (a longer list is a 400 naming
    the field, and the schema says `maxItems`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.IntegerField())
        kwargs.setdefault("max_length", limits.ID_LIST)
        kwargs.setdefault("error_messages", {"max_length": TOO_MANY})
        super().__init__(**kwargs)


def bounded_many(serializer_class, **kwargs):
    """A list of `serializer_class` objects in an input, bounded as an id list is (a ListField of
    that serializer: the schema then says `maxItems`, which a `many=True` list does not)."""
    return IdList(child=serializer_class(), **kwargs)
