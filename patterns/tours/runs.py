"""A comparison run's life: create → start (Shop ships, every lane starts) → ticks (polling
consumers ask; faults are lifted after a while) → finished (every consumer learned, or time is up)."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from patterns.ledger.models import Message
from patterns.ledger.roomctx import in_room, world
from patterns.site import storytime

from . import lanes, scenery
from .models import Run
from .wire import Wire

FAULT_SECONDS = 10.0  # injected failures last this long (real seconds), then they are lifted
MAX_SECONDS = 45.0  # a run ends after this, even if a consumer never learned …
MAX_HORIZON = 180.0  # … unless a lane's consumer looks later (never beyond this)
CLAIM_SECONDS = 15


class Busy(Exception):
    pass


def create(order_id, faults):
    """A new run in the world at hand (the caller checked the input). Busy if a run is still under
    way anywhere: every run ships the same order in Shop's one database and may pause the one
    worker pool, so two rooms' runs would break each other."""
    with transaction.atomic():
        stale = timezone.now() - timedelta(seconds=MAX_HORIZON + 15)
        Run.objects.filter(finished_at__isnull=True, created_at__lt=stale).update(
            finished_at=timezone.now()
        )
        running = Run.objects.filter(finished_at__isnull=True)
        if running.filter(world=world()).exists():
            raise Busy("a comparison is already running; wait for it to finish (under a minute)")
        if running.exists():
            raise Busy(
                "another room's comparison is running (Shop and the workers are shared by every "
                "room); try again in under a minute"
            )
        cursor = Message.objects.aggregate(last=Max("id"))["last"] or 0
        run = Run.objects.create(
            world=world(), order_id=order_id, faults=sorted(faults), cursor=cursor
        )
    from .tasks import start_run

    transaction.on_commit(lambda: start_run.delay(run.id))
    return run


def start(run_id):
    run = Run.objects.get(id=run_id)
    if run.shipped_at:
        return run  # a redelivered task: already started
    with in_room(run.world):  # its calls (and so its ledger rows) are in the run's world
        return _start(run)


def _start(run):
    with Wire() as wire:
        if not scenery.ready_to_ship(run.order_id):
            return _finish(run, f"Shop has no order {run.order_id}")
        headers = {"X-Client-Id": "warehouse", "X-Request-Id": f"cmp{run.id:04d}-ship"}
        status, body = wire.call(
            "PATCH", f"/api/shop/orders/{run.order_id}", {"status": "shipped"}, headers
        )
        if status != 200:
            return _finish(
                run,
                f"Shop could not ship order {run.order_id} ({status}): {(body or {}).get('detail', '')}",
            )
        run.shipped_at = timezone.now()
        active = lanes.active()
        for lane in active:
            run.state.setdefault(lane.key, {})

        # Every producer reacts at once (as separate systems would), not one after the other.
        # A pool thread starts without the run's world (context variables stay in their thread).
        def start_lane(lane):
            with in_room(run.world):
                lane.start(run, wire, run.state[lane.key], lane.key in run.faults)

        with ThreadPoolExecutor(max_workers=max(1, len(active))) as pool:
            list(pool.map(start_lane, active))
        horizon = max(
            [MAX_SECONDS] + [min(MAX_HORIZON, lane.horizon(run.state[lane.key])) for lane in active]
        )
        run.state["_run"] = {"horizon": round(horizon, 1)}
    run.save()
    return run


def _finish(run, problem=""):
    run.finished_at, run.problem = timezone.now(), problem[:500]
    run.save()
    return run


def _claim(run):
    now = timezone.now()
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    return (
        Run.objects.filter(free, id=run.id).update(
            claimed_until=now + timedelta(seconds=CLAIM_SECONDS)
        )
        == 1
    )


def tick():
    """Beat calls this every second: move every run under way one step. Returns how many moved."""
    moved = 0
    for run in Run.objects.filter(finished_at__isnull=True, shipped_at__isnull=False):
        if _claim(run):
            try:
                with in_room(run.world):  # beat has no world: the run's is the one to act in
                    step(run)
            finally:
                Run.objects.filter(id=run.id).update(claimed_until=None)
            moved += 1
    return moved


def horizon(run):
    """How long the run may last: MAX_SECONDS, or longer if a lane's consumer only looks later
    (the file drop's morning pickup)."""
    return run.state.get("_run", {}).get("horizon", MAX_SECONDS)


def step(run):
    now = timezone.now()
    elapsed = (now - run.shipped_at).total_seconds()
    limit = horizon(run)
    with Wire() as wire:
        for lane in lanes.active():
            lane.tick(run, wire, run.state.setdefault(lane.key, {}), now)
        if run.faults and run.lifted_at is None and elapsed >= FAULT_SECONDS:
            _lift(run, wire)
        results = measure(run)
        if all(r["learned_at"] for r in results if r["built"]) or elapsed >= limit:
            if run.lifted_at is None and run.faults:
                _lift(run, wire)
            run.finished_at = timezone.now()
    Run.objects.filter(id=run.id).update(
        state=run.state, lifted_at=run.lifted_at, finished_at=run.finished_at
    )


def _lift(run, wire):
    for lane in lanes.active():
        if lane.key in run.faults:
            lane.lift(run, wire, run.state.setdefault(lane.key, {}))
    run.lifted_at = timezone.now()


def _freshness(run, learned_at):
    if not (learned_at and run.shipped_at):
        return None, ""
    seconds = max(0.0, (learned_at - run.shipped_at).total_seconds())
    return round(seconds * 1000, 1), storytime.human(storytime.to_story(seconds))


def measure(run):
    """One row per style, in the usual order; styles without a lane say so."""
    out = []
    for style, lane in lanes.board():
        if lane is None:
            out.append(
                {
                    "key": style.key,
                    "style": style.name,
                    "built": False,
                    "title": style.name,
                    "learned_at": None,
                    "note": "not built yet",
                }
            )
            continue
        result = (
            lane.measure(run, run.state.get(lane.key, {})) if run.shipped_at else lanes.LaneResult()
        )
        ms, story = _freshness(run, result.learned_at)
        out.append(
            {
                **lane.describe(),
                "style": style.name,
                "built": True,
                "faulted": lane.key in run.faults,
                **result.as_dict(),
                "freshness_ms": ms,
                "freshness_story": story,
                "state": "learned"
                if result.learned_at
                else ("waiting" if not run.finished_at else "never"),
            }
        )
    return out


def latest():
    """The newest run of the world at hand, or None."""
    return Run.objects.filter(world=world()).first()


def find(run_id):
    """Run `run_id` if it belongs to the world at hand (another world's runs are not there)."""
    return Run.objects.filter(id=run_id, world=world()).first()


def summary(run):
    return {
        "id": run.id,
        "order_id": run.order_id,
        "faults": run.faults,
        "cursor": run.cursor,
        "created_at": run.created_at,
        "shipped_at": run.shipped_at,
        "lifted_at": run.lifted_at,
        "finished_at": run.finished_at,
        "problem": run.problem,
        "running": run.finished_at is None,
        "fault_seconds": FAULT_SECONDS,
        "max_seconds": horizon(run),
        "lanes": measure(run),
    }
