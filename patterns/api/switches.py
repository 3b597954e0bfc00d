"""Shop's failure switches: healthy, slow, erroring, down — so a class sees what a client must handle.

The mode lives in Redis (every web process and worker agrees) and heals by itself after
MODE_MINUTES, so a forgotten switch never leaves Shop broken for the next lesson.
"""

from . import state

MODES = {
    "healthy": "Shop answers normally.",
    "slow": "Shop takes {slow:g} s to answer; the client gives up after {timeout:g} s (a timeout).",
    "erroring": "Shop fails every request with 500 Internal Server Error.",
    "down": "Nothing listens at Shop's address: the client's connection is refused.",
}
SLOW_SECONDS = 3.0
CLIENT_TIMEOUT = 2.0
MODE_MINUTES = 5
# The address the client uses while Shop is down: a loopback port where nothing listens.
DOWN_URL = "http://127.0.0.1:9"


def describe(mode):
    return MODES[mode].format(slow=SLOW_SECONDS, timeout=CLIENT_TIMEOUT)


def set_mode(mode):
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    if mode == "healthy":
        state.client().delete(state.key("mode"))
    else:
        state.client().set(state.key("mode"), mode, ex=MODE_MINUTES * 60)
    return current()


def queue_read(pipe):
    pipe.get(state.key("mode"))


def current():
    """{"mode", "explanation", "heals_in"}: the mode now and the seconds until it heals itself."""
    pipe = state.client().pipeline(transaction=False)
    pipe.get(state.key("mode"))
    pipe.ttl(state.key("mode"))
    mode, ttl = pipe.execute()
    mode = mode if mode in MODES else "healthy"
    return {
        "mode": mode,
        "explanation": describe(mode),
        "heals_in": ttl if mode != "healthy" and ttl > 0 else None,
    }


def mode():
    value = state.client().get(state.key("mode"))
    return value if value in MODES else "healthy"
