#!/usr/bin/env bash
# The tests whose outcome depends on today's date (marker `calendar`), run once per date with the
# suite's clock pinned there (TEST_NOW, tests/conftest.py): each day of an ordinary week but its
# Wednesday (the suite's own instant: the whole suite has just run on it), then the
# day before Tết, its first day off and the first working day after it (the holidays seeded by
# org/migrations/0002_holidays.py: Tết Đinh Mùi is off from Thursday 4 to Wednesday 10 February
# 2027). Two of the instants are before 7:00 in Vietnam, when the date in UTC is still the day
# before. Extra arguments go to pytest (e.g. -x, -k). Exits non-zero if any date failed.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTEST=${PYTEST:-.venv/bin/pytest}

DATES=(
    2026-03-09T06:30:00+07:00 # Monday (Sunday in UTC)
    2026-03-10T09:00:00+07:00 # Tuesday
    2026-03-12T09:00:00+07:00 # Thursday
    2026-03-13T09:00:00+07:00 # Friday
    2026-03-14T09:00:00+07:00 # Saturday
    2026-03-15T09:00:00+07:00 # Sunday
    2027-02-03T09:00:00+07:00 # Wednesday, the last working day before Tết
    2027-02-04T09:00:00+07:00 # Thursday, the first day of the Tết holiday
    2027-02-11T06:30:00+07:00 # Thursday, the first working day after Tết (still Tết in UTC)
)

failed=()
for now in "${DATES[@]}"; do
    echo "== TEST_NOW=$now"
    TEST_NOW=$now "$PYTEST" -m calendar -q -p no:randomly -n 2 --dist loadgroup "$@" || failed+=("$now")
done

if ((${#failed[@]})); then
    echo "Calendar tests failed on: ${failed[*]}" >&2
    exit 1
fi
echo "Calendar tests passed on all ${#DATES[@]} dates."
