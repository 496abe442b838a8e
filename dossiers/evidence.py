"""Evidence held elsewhere in the engine that stands in place of a required document.

A Chiến sĩ thi đua needs the certification of an initiative (the `sang-kien` document): an
initiative recognised in the engine by its unit's head is that certification, so the nominee
needs no scanned copy. The initiatives app sits above dossiers, so it is asked through
settings.DOCUMENT_EVIDENCE_RESOLVER: a dotted path to a function (dossier, nominees, kind codes)
→ {(kind code, nominee id): the object that certifies it}. None when nothing fills it.
"""

from django.conf import settings
from django.utils.module_loading import import_string


def document_evidence(dossier, nominees, kind_codes) -> dict:
    path = getattr(settings, "DOCUMENT_EVIDENCE_RESOLVER", None)
    if not path or not nominees or not kind_codes:
        return {}
    return import_string(path)(dossier, list(nominees), set(kind_codes))
