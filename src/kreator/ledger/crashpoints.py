"""Named points in an import where a test or benchmark can kill the process with SIGKILL.

Crash tests need kills that land in a chosen phase every time, not at a random moment that a
busy machine shifts. ``KREATOR_CRASH_AT=PHASE:N`` arms one point; the importing process sends
itself SIGKILL when it gets there (nothing else happens: no clean-up, no flush, as in a power
cut). Phases, in the order an import meets them:

``start:0``   the run is recorded as ``running``; no batch written yet
``batch:N``   inside batch N: its events are inserted, nothing of it committed
``commit:N``  batch N's last statement is sent, COMMIT not yet acknowledged
``between:N`` batch N is committed, batch N+1 not begun
``finish:0``  every batch committed, the run not yet marked ``done``

Unset (the normal case), nothing is checked beyond one dictionary lookup per import.
"""

from __future__ import annotations

import os
import signal

ENV = "KREATOR_CRASH_AT"
PHASES = ("start", "batch", "commit", "between", "finish")

Point = tuple[str, int] | None


def armed() -> Point:
    """The point armed by ``$KREATOR_CRASH_AT``, or None (unset or not of the form PHASE:N)."""
    spec = os.environ.get(ENV, "")
    phase, _, number = spec.partition(":")
    if phase not in PHASES or not number.isdigit():
        return None
    return phase, int(number)


def reach(point: Point, phase: str, n: int = 0) -> None:
    """Kill this process now if ``phase:n`` is the armed point."""
    if point is not None and point == (phase, n):
        os.kill(os.getpid(), signal.SIGKILL)
