"""Initiatives (sáng kiến): registration, the initiative council's review and vote, recognition by decision, scope of effect and authors."""
