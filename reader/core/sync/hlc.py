"""A hybrid logical clock (Kulkarni et al., 2014): wall-clock milliseconds, a counter, and the
device id as the last tie-breaker, written as one string that sorts in clock order.

Every change a device makes is stamped with :meth:`Clock.now`; every stamp read from another
device goes through :meth:`Clock.observe`, so a change made *after* seeing another is always
stamped later than it, whatever the two wall clocks say (a laptop whose clock is hours slow
cannot lose its newer edit, and cannot make an old edit win over one made after seeing it).
"""

from __future__ import annotations

import time
from collections.abc import Callable

COUNTER_MAX = 9999  # four digits; at the limit the clock moves on one millisecond


def wall_ms() -> int:
    return int(time.time() * 1000)


def stamp(ms: int, counter: int, device: str) -> str:
    return f"{ms:013d}.{counter:04d}.{device}"


def parse(hlc: str) -> tuple[int, int, str]:
    ms, counter, device = hlc.split(".", 2)
    return int(ms), int(counter), device


def valid(hlc: object) -> bool:
    if not isinstance(hlc, str) or len(hlc) < 20:
        return False
    try:
        ms, counter, device = parse(hlc)
    except ValueError:
        return False
    return len(hlc.split(".", 1)[0]) == 13 and 0 <= counter <= COUNTER_MAX and bool(device)


class Clock:
    """The clock of one device. ``wall`` returns milliseconds since the epoch (tests skew it)."""

    def __init__(self, device: str, last: str = "", wall: Callable[[], int] = wall_ms) -> None:
        self.device = device
        self.wall = wall
        self.ms, self.counter = 0, 0
        if last:
            self.ms, self.counter, _ = parse(last)

    def now(self) -> str:
        pt = self.wall()
        if pt > self.ms:
            self.ms, self.counter = pt, 0
        else:
            self._tick()
        return stamp(self.ms, self.counter, self.device)

    def observe(self, remote: str) -> None:
        """A stamp seen from another device: later local stamps sort after it."""
        rms, rcounter, _ = parse(remote)
        if (rms, rcounter) > (self.ms, self.counter):
            self.ms, self.counter = rms, rcounter

    def last(self) -> str:
        return stamp(self.ms, self.counter, self.device)

    def _tick(self) -> None:
        if self.counter >= COUNTER_MAX:
            self.ms, self.counter = self.ms + 1, 0
        else:
            self.counter += 1
