"""Decisions that a higher app words and guards itself (a contest's results decision, seed 002).

documents sits below those apps and never imports them: settings.DOCUMENTS_DECISION_PROVIDERS
maps a DecisionKind's value to the dotted path of a provider, an object (or module) with:

- `document(decision) -> (template, context)`: the decision's PDF, Decree 30 layout;
- `can_view(user, decision) -> bool`, `can_render(user, decision) -> bool`;
- `signing_refusal(user, decision, capacity) -> str`: why `user` may not sign ("" when they may);
- `on_signed(*, actor, decision)` and `on_issued(*, actor, decision)`: called inside the
  signing and issuing transactions, so the provider's own state moves with the signature.

Award decisions, revocations and declines have no provider: documents handles them itself.
"""

from functools import cache
from importlib import import_module

from django.conf import settings
from django.utils.module_loading import import_string


@cache
def _load(path):
    """A module (`contests.results_documents`) or an object in one (`pkg.module.provider`)."""
    try:
        return import_module(path)
    except ModuleNotFoundError:
        return import_string(path)


def provider_for(decision):
    """The provider of `decision`'s kind, or None."""
    if decision is None:
        return None
    path = (getattr(settings, "DOCUMENTS_DECISION_PROVIDERS", None) or {}).get(decision.kind)
    return _load(path) if path else None
