"""The scripted match: Rovers v United, 90 minutes played in 60 real seconds (one per world)."""

import time
import uuid

from patterns.ledger.roomctx import world

from .config import KEY_WORLDS, forget_if_idle, key

MINUTES_PER_SECOND = 1.5
HOME, AWAY = "Rovers", "United"
# (minute, event, team, text): the score is worked out as the script plays.
SCRIPT = [
    (0, "kickoff", None, "Kick-off! Rovers get us under way."),
    (4, "chance", AWAY, "Early chance for United: Silva's shot is tipped over."),
    (11, "card", HOME, "Yellow card for Rovers' Brandt after a late tackle."),
    (19, "chance", HOME, "Okafor's volley clips the bar!"),
    (23, "goal", HOME, "Goal! Okafor heads it in from a corner."),
    (31, "chance", AWAY, "United's Moreau is one on one … saved!"),
    (38, "card", AWAY, "Yellow for United's Kowalski: time-wasting."),
    (45, "halftime", None, "Half-time."),
    (46, "substitution", AWAY, "United bring on Achterberg for Moreau."),
    (52, "goal", AWAY, "Goal! Achterberg equalises with his first touch."),
    (60, "chance", HOME, "Rovers hit the post twice in ten seconds!"),
    (67, "card", HOME, "Second yellow for Brandt: Rovers down to ten."),
    (74, "goal", AWAY, "Goal! Silva curls one into the top corner."),
    (81, "chance", HOME, "Ten-man Rovers push: a header goes just wide."),
    (88, "goal", HOME, "Goal! Rovers' keeper Lindqvist scores from a corner!"),
    (90, "fulltime", None, "Full-time: a draw nobody will forget."),
]


def score_after(index):
    home = sum(1 for m, e, team, _ in SCRIPT[: index + 1] if e == "goal" and team == HOME)
    away = sum(1 for m, e, team, _ in SCRIPT[: index + 1] if e == "goal" and team == AWAY)
    return f"{home}–{away}"


def payload(match_id, index):
    minute, event, team, text = SCRIPT[index]
    return {
        "type": "event",
        "match": match_id,
        "minute": minute,
        "event": event,
        "team": team,
        "text": text,
        "score": score_after(index),
    }


def due(state, now):
    """Indexes of the script due now (from the match state in Redis)."""
    if state.get("running") != "1":
        return []
    minute = (now - float(state["started"])) * MINUTES_PER_SECOND
    start = int(state.get("next", 0))
    return [i for i in range(start, len(SCRIPT)) if SCRIPT[i][0] <= minute]


def control(r, action):
    """Start the world's match from kick-off, or stop it."""
    here = world()
    if action == "start":
        pipe = r.pipeline()  # one transaction: a fresh match, running, in the producer's rounds
        pipe.delete(key("match", here))
        pipe.hset(
            key("match", here),
            mapping={
                "running": "1",
                "started": f"{time.time():.6f}",
                "next": "0",
                "id": uuid.uuid4().hex[:8],
            },
        )
        pipe.sadd(KEY_WORLDS, here)
        pipe.execute()
    else:
        r.hset(key("match", here), "running", "0")
        forget_if_idle(r, here)
    return describe(r)


def describe(r):
    """The match of the world at hand."""
    state = r.hgetall(key("match", world()))
    played = int(state.get("next", 0))
    return {
        "running": state.get("running") == "1",
        "id": state.get("id"),
        "events_played": played,
        "events_total": len(SCRIPT),
        "score": score_after(played - 1) if played else "0–0",
    }
