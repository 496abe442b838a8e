import threading

import pytest
from django.db import connection, transaction

from audit.models import AuditEvent
from audit.selectors import events_exported
from audit.services import record
from audit.verify import verify_events

THREADS = 4
TRANSACTIONS_PER_THREAD = 50


@pytest.mark.postgres
def test_concurrent_writers_yield_one_contiguous_valid_chain(audit_transactional_db):
    errors = []
    start = threading.Barrier(THREADS)

    def writer(number):
        try:
            start.wait()
            for n in range(TRANSACTIONS_PER_THREAD):
                with transaction.atomic():
                    record(
                        actor=f"writer{number}",
                        action="dossier.submit",
                        object_type="dossiers.dossier",
                        object_id=n,
                        data={"writer": number, "n": n},
                    )
        except Exception as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    result = verify_events(events_exported())
    assert (result.ok, result.count) == (True, THREADS * TRANSACTIONS_PER_THREAD)
    # The time is read after the lock, so seq order is time order.
    times = list(AuditEvent.objects.order_by("seq").values_list("ts", flat=True))
    assert times == sorted(times)
