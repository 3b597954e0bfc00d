"""The queue page's demo state and its Reset: every worker takes jobs again (a paused queue resumes).

Failure rates, "fail the first N attempts" and the bad jobs are chosen per batch of jobs, not
switched on, so there is no switch of theirs to put back; jobs already sent are finished as they
were sent, and dead letters stay (history). The worker pool's size is left alone: it is one pool
for the whole server (every room shares it), its size was chosen when the server started
(`playground --workers`), and only the owner changes it.
"""

from patterns.ledger.errors import ApiError
from patterns.site import resets

from . import control


def _nodes():
    return control.lanes(full=False) or control.lanes(full=True)


def _taking_jobs():
    nodes = _nodes()
    paused = [n for n in nodes if not n["consuming"]]
    return f"paused on {len(paused)} of {len(nodes)} workers" if paused else "yes"


def _resume():
    try:
        control.resume()  # Celery's add_consumer on every worker, recorded as the page's Resume is
    except ApiError:
        pass  # no worker answered: none is paused, and one that starts takes jobs


PIECES = (resets.Piece("taking_jobs", _taking_jobs, "yes", _resume, shared=True),)


def reset(room=None):
    """Put the queue demo back to its defaults and record it (see patterns.site.resets)."""
    processes = sum(n.get("size", len(n["processes"])) for n in _nodes())
    note = (
        f"The worker pool ({processes} processes) is shared by the whole server: "
        "a room's Reset leaves it as it is; only the owner changes it."
    )
    return resets.reset("queue", room, PIECES, target="workers", note=note)
