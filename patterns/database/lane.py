"""The console's lane: learners' queries, each on a thread of its own, a few at a time.

At most `seats` queries run at once (a runaway query keeps a CPU core busy until its time limit).
A query still running `grace` seconds after its limit gives its seat up and its caller is told
it overran: the database may be stuck inside one long step that no interrupt reaches
(PostgreSQL's format('%200000000s', 'x') runs seconds past statement_timeout), and such a query
must not hold the console. Its thread finishes in the background; while `most_abandoned` of those
are still running, the lane takes nothing new. Its threads run at a lower CPU priority.
"""

import asyncio
import os
import sys
import threading
from concurrent.futures import Future
from contextlib import suppress

NICENESS = 10  # added to the process's own: on a busy CPU such a thread weighs about a tenth of a normal one


class Full(Exception):
    pass


class Overran(Exception):
    pass


class Lane:
    def __init__(self, seats, limit_s, grace_s, most_abandoned):
        self.seats, self.limit_s, self.grace_s, self.most_abandoned = (
            seats,
            limit_s,
            grace_s,
            most_abandoned,
        )
        self.running = self.abandoned = 0
        self._turn = threading.Condition()

    async def run(self, fn, *args):
        """fn(*args) on a thread of its own; Overran if it is still running past its limit."""
        if self.abandoned >= self.most_abandoned:
            raise Full()
        job = Future()
        threading.Thread(
            target=self._work, args=(job, fn, args), name="console", daemon=True
        ).start()
        return await asyncio.wrap_future(job)

    def _work(self, job, fn, args):
        _give_way()
        with self._turn:
            self._turn.wait_for(lambda: self.running < self.seats)
            self.running += 1
        watch = threading.Timer(self.limit_s + self.grace_s, self._abandon, [job])
        watch.daemon = True
        watch.start()
        outcome = _call(job, fn, args)
        watch.cancel()
        with self._turn:
            if getattr(job, "abandoned", False):
                self.abandoned -= 1
                return
            self.running -= 1
            self._turn.notify()
            _settle(job, *outcome)

    def _abandon(self, job):
        with self._turn:
            if job.done():
                return
            job.abandoned = True
            self.running, self.abandoned = self.running - 1, self.abandoned + 1
            self._turn.notify()
            job.set_exception(Overran())


def _give_way():
    """This thread runs at a lower CPU priority: a learner's runaway query gives way to the web
    server's other work and to Reporting's dashboard (Linux sets it per thread)."""
    if sys.platform.startswith("linux"):
        me = threading.get_native_id()
        with suppress(OSError):
            os.setpriority(
                os.PRIO_PROCESS, me, min(19, os.getpriority(os.PRIO_PROCESS, me) + NICENESS)
            )


def _call(job, fn, args):
    if job.cancelled():  # its caller went away while it waited for a seat
        return None, None
    try:
        return fn(*args), None
    except Exception as exc:  # any error is the caller's to see, as an executor would hand it over
        return None, exc


def _settle(job, result, error):
    if job.done():
        return
    if error is not None:
        job.set_exception(error)
    else:
        job.set_result(result)
