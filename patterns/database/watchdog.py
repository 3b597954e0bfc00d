"""One thread that stops statements at their deadline, for every reader session in the process.

A timer thread per statement cost more than the dashboard's small queries themselves (about 1 ms
each to start on a busy machine); here a statement costs a push onto a heap.
"""

import heapq
import itertools
import threading
import time
from contextlib import contextmanager, suppress

_due, _turn, _order = [], threading.Condition(), itertools.count()
_thread = None


@contextmanager
def deadline(seconds, stop):
    """Call stop() from the watchdog thread if the block is still running after `seconds`."""
    entry = [time.monotonic() + seconds, next(_order), stop]
    with _turn:
        heapq.heappush(_due, entry)
        _start()
        if _due[0] is entry:  # otherwise the watchdog wakes for an earlier deadline anyway
            _turn.notify()
    try:
        yield
    finally:
        with _turn:
            entry[2] = None  # dropped from the heap when it comes up


def _start():
    global _thread
    if _thread is None or not _thread.is_alive():
        _thread = threading.Thread(target=_watch, name="reader-watchdog", daemon=True)
        _thread.start()


def _watch():
    with _turn:
        while True:
            while _due and _due[0][2] is None:
                heapq.heappop(_due)
            wait = _due[0][0] - time.monotonic() if _due else None
            if wait is None or wait > 0:
                _turn.wait(wait)
                continue
            stop = heapq.heappop(_due)[2]
            with suppress(Exception):  # one failed stop must not end the watch for everyone
                stop()  # under the lock: a block that has ended can no longer be stopped
