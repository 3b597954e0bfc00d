"""The suite's parts are defined once and started once per run: one daphne, one worker, one Celery
beat and one streams producer, shared by every test that asks for them (a second beat would send
every scheduled job twice; a second producer would emit every price twice)."""

from collections import defaultdict

import psutil

from tests.servers import STARTED, process_of

ONE_PER_RUN = {
    "redis_server",
    "server_env",
    "asgi_server",
    "celery_worker",
    "celery_beat",
    "producer",
}


def test_no_fixture_is_defined_twice_so_no_module_gets_its_own_copy(request):
    """A module that imports a fixture registers the same function again, under that module, and
    pytest gives the module its own copy of it: for a session fixture, its own process. Checked
    over everything this run collected."""
    definitions = defaultdict(set)  # fixture function -> the definitions that register it
    chosen = defaultdict(set)  # fixture name -> the definition each test gets
    for item in request.session.items:
        info = getattr(item, "_fixtureinfo", None)
        for name, defs in info.name2fixturedefs.items() if info else ():
            for definition in defs:
                if getattr(definition.func, "__module__", "").startswith(
                    "tests"
                ):  # ours, not pytest's own
                    definitions[definition.func].add(definition)
            chosen[name].add(defs[-1])
    twice = sorted(func.__name__ for func, defs in definitions.items() if len(defs) > 1)
    assert twice == [], f"fixtures registered more than once (imported into a module?): {twice}"
    for name in ONE_PER_RUN & set(chosen):
        assert len(chosen[name]) == 1, f"tests get {len(chosen[name])} different {name} fixtures"


def _suite_children(env, *words):
    """This run's own processes (not a resilience stack's, nor a `manage.py playground`'s: those
    have their own base URL) whose command line has every one of `words`."""
    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            if child.status() == psutil.STATUS_ZOMBIE or not all(
                w in child.cmdline() for w in words
            ):
                continue
            if child.environ().get("PLAYGROUND_BASE_URL") == env["PLAYGROUND_BASE_URL"]:
                found.append(child.pid)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return found


def test_one_beat_and_one_producer_run_for_the_whole_run(
    celery_beat, producer, celery_worker, server_env
):
    assert _suite_children(server_env, "playground.celery", "beat") == [celery_beat.pid]
    assert _suite_children(server_env, "streams_producer") == [producer.pid]
    # Started once in this run so far (and `suite()` refuses a second while the first is alive).
    for kind, process in (("beat", celery_beat), ("producer", producer), ("worker", celery_worker)):
        assert [process_of(p).pid for p in STARTED[kind]] == [process.pid], kind
