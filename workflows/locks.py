"""The flow lock: two people acting on one dossier's task at once → one goes ahead, the other is
told at once, not after viewflow's 6–10 s of retries (shared/notes/viewflow.md).

PostgreSQL: `SELECT … FOR UPDATE NOWAIT` on the process row, one attempt; a held lock becomes
TransitionNotAllowed ("someone else is completing this task"). SQLite has no row locks: the
transaction is opened IMMEDIATE (config/settings/base.py), so writers queue on the database lock
instead. The choice is made per call from the connection, so one flow class serves both.
"""

from contextlib import contextmanager

from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _
from viewflow.workflow.models import Process

from org.errors import TransitionNotAllowed


class Busy(TransitionNotAllowed):
    """Someone else holds this dossier's process right now."""


class NowaitLock:
    @contextmanager
    def __call__(self, flow_class, process_pk):
        # Inside a transaction already (a step's service), the lock needs no savepoint of its
        # own: a held lock raises Busy, which rolls the whole transaction back.
        with transaction.atomic(savepoint=not connection.in_atomic_block):
            if connection.vendor == "postgresql":
                try:
                    Process.objects.filter(pk=process_pk).select_for_update(nowait=True).exists()
                except DatabaseError:
                    raise Busy(
                        _("Someone else is completing this task right now. Reload the page in a moment.")
                    ) from None
            yield


nowait_lock = NowaitLock()
