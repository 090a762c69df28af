"""Estimates that arrive together are scored together.

One estimate is mostly fixed cost: NumPy calls on columns of length one. The core scores a
batch with the same calls (:func:`kreator.core.estimate.estimate_many`), and a creator's result
is the same in any batch (the model is tested to be identical on any chunking). So each
request queues its creator and the first one schedules a flush on the event loop's next turn;
requests that came in meanwhile (several under load, usually none when idle) are scored in one
call. Nothing waits on a timer and nothing is cached: every request gets its own estimate.

If a batch fails, its creators are estimated one by one, so an error reaches only the request
that caused it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from kreator.core.estimate import Estimate, estimate_many
from kreator.core.profile import Profile

MAX_BATCH = 64
MAX_CELLS = 640_000
"""Larger groups are split (at most 64 creators, and creators x draws at most 64 x 10,000): one
core call runs on the event loop, so it must stay short."""

Key = tuple[str, int, int]
Waiting = tuple[Profile, "asyncio.Future[Estimate]"]


@dataclass
class Batcher:
    """Queues estimates per (card, draws, seed) and scores each queue in one core call."""

    max_batch: int = MAX_BATCH
    largest: int = 0
    batches: int = 0
    creators: int = 0
    _queues: dict[Key, list[Waiting]] = field(default_factory=dict)
    _scheduled: bool = False

    async def estimate(self, profile: Profile, card: str, *, draws: int, seed: int) -> Estimate:
        """The estimate of ``profile`` on the built-in card ``card`` (in the card's currency)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Estimate] = loop.create_future()
        self._queues.setdefault((card, draws, seed), []).append((profile, future))
        if not self._scheduled:
            self._scheduled = True
            loop.call_soon(self.flush)
        return await future

    def flush(self) -> None:
        """Score everything queued (called by the event loop)."""
        self._scheduled = False
        queues, self._queues = self._queues, {}
        for key, waiting in queues.items():
            step = max(1, min(self.max_batch, MAX_CELLS // key[1]))
            for start in range(0, len(waiting), step):
                self._run(key, waiting[start:start + step])

    def _run(self, key: Key, waiting: list[Waiting]) -> None:
        self.batches += 1
        self.creators += len(waiting)
        self.largest = max(self.largest, len(waiting))
        try:
            results = _score(key, [p for p, _ in waiting])
        except Exception as exc:
            if len(waiting) == 1:
                _fail(waiting[0][1], exc)
            else:  # find the one at fault: the others still get their answers
                for one in waiting:
                    self._run(key, [one])
            return
        for (_, future), result in zip(waiting, results, strict=True):
            if not future.done():
                future.set_result(result)


def _score(key: Key, profiles: list[Profile]) -> list[Estimate]:
    from kreator.web.services import builtin_card

    card, draws, seed = key
    return estimate_many(profiles, builtin_card(card), draws=draws, seed=seed)


def _fail(future: asyncio.Future[Estimate], exc: Exception) -> None:
    if not future.done():
        future.set_exception(exc)
