"""For every style, a built-in question fired against the real system (a real worker, beat, Redis,
Shop's database, the file drop), and the option its measurement picks checked against what the
test itself counts in the ledger. Nothing is known beforehand: the right option is what happened."""

from datetime import timedelta

import pytest

from patterns.ledger.models import Message
from patterns.questions import catalogue
from patterns.questions.models import Asked
from patterns.shop import schema
from patterns.site import storytime
from tests.helpers import eventually

pytestmark = [
    pytest.mark.django_db(databases="__all__", transaction=True),
    pytest.mark.slow,
]


def predict_and_fire(room, qid, option=0):
    """Open, one vote, lock, fire; then wait until the measurement has settled."""
    asked = room.ask(catalogue=qid)["id"]
    room.move(asked, "open")
    assert room.vote(asked, "student-token-1", option).status_code == 200
    fired = room.move(asked, "lock", "fire")
    assert fired["fired"]

    def settled():
        outcome = room.get(f"/{asked}/results").json()["outcome"]
        return outcome if outcome and outcome["settled"] else None

    return Asked.objects.get(pk=asked), eventually(settled, timeout=60, message=f"{qid} settles")


def decided_by(asked, value, outcome):
    """The option the test's own count picks must be the one the question says is right."""
    expected = catalogue.correct_option(asked.spec["options"], value)
    assert outcome["value"] == value and outcome["correct"] == expected, outcome
    assert expected is not None, f"no option of {asked.source} describes {value!r}"
    assert Message.objects.get(kind="question.outcome", correlation_id=f"question-{asked.pk}").valid


def after(asked, **filters):
    return Message.objects.filter(room=asked.world, id__gt=asked.fired_after, **filters)


def test_database_rename_breaks_the_direct_dashboard(room, shop):
    asked, outcome = predict_and_fire(room, "database.rename-direct")
    broken = after(asked, kind="report.query", status="error").count()
    decided_by(asked, broken, outcome)
    assert not schema.applied()  # Shop's schema is restored after the question


def test_files_bad_row(room):
    asked, outcome = predict_and_fire(room, "files.bad-row")
    read = after(asked, hop="read").first()
    value = (
        "rejected" if read.kind == "file.rejected" else "some" if read.payload["refused"] else "all"
    )
    decided_by(asked, value, outcome)


def test_streams_chat_lines_are_numbered(room):
    asked, outcome = predict_and_fire(room, "streams.chat-sequence")
    seqs = sorted(m.payload["seq"] for m in after(asked, kind="chat.message", hop="published"))
    value = "consecutive" if seqs == list(range(seqs[0], seqs[0] + len(seqs))) else "gaps"
    decided_by(asked, value, outcome)


def test_api_shop_down(room, clean_shop_state):
    asked, outcome = predict_and_fire(room, "api.shop-down")
    failure = after(asked, style="api").exclude(hop="request").first()
    decided_by(
        asked, failure.hop if failure.status_code is None else str(failure.status_code), outcome
    )


def test_queue_spike_every_email_sent(room, celery_worker):
    asked, outcome = predict_and_fire(room, "queue.spike-all-sent")
    done = after(asked, style="queue", hop="done").values("correlation_id").distinct().count()
    decided_by(asked, done, outcome)


def test_webhooks_offline_attempts_in_a_story_hour(room, asgi_server, celery_worker, celery_beat):
    asked, outcome = predict_and_fire(room, "webhooks.offline-attempts")
    event = after(asked, style="webhooks", hop="event").get()
    until = event.created_at + timedelta(seconds=storytime.to_real(3600))
    attempts = after(
        asked, hop="attempt", correlation_id=event.correlation_id, created_at__lte=until
    ).count()
    decided_by(asked, attempts, outcome)
    assert not after(asked, source="shop", target="shop", correlation_id=event.correlation_id)


def test_a_learner_alone_predicts_fires_and_sees_whether_it_held(client, shop):
    tried = client.post(
        "/api/questions/database.console-delete/try", {"option": 0}, content_type="application/json"
    )
    assert tried.status_code == 201, tried.content
    body = tried.json()
    seen = client.get(f"/api/questions/tries/{body['id']}", {"voter": body["voter"]}).json()
    refused = Message.objects.get(kind="console.query", room="").status == "error"
    assert seen["outcome"]["correct"] == (1 if refused else 0)
    assert seen["held"] is (not refused)  # predicted "every order is deleted"
