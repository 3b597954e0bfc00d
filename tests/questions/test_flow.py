"""A question's rounds: open → votes → lock → round 2 → lock → fire → reveal, one vote per voter
per round, the latest counting, refusals that change nothing, and every step in the ledger."""

import csv
import io

import pytest

from patterns.ledger.models import Message
from patterns.questions.models import Saved, Vote

pytestmark = pytest.mark.django_db(databases="__all__")

ALICE, BOB, CAROL = "alice-token-1", "bob-token-22", "carol-token-3"


def own_question(**changes):
    """An instructor's own question, decided by a declared measurement."""
    return {
        "text": "Someone types DELETE FROM shop_order in the console. What happens?",
        "options": [
            {"text": "The orders are gone", "value": "ran"},
            {"text": "It is refused", "value": "refused"},
        ],
        "steps": [
            {"style": "database", "kind": "query", "data": {"sql": "DELETE FROM shop_order"}}
        ],
        "measurement": "database.console_statement",
        **changes,
    }


def test_rounds_count_one_vote_per_voter_and_the_latest(room, shop):
    qid = room.ask(question=own_question())["id"]
    room.move(qid, "open")
    assert room.vote(qid, ALICE, 0).status_code == 200
    assert room.vote(qid, ALICE, 1).status_code == 200  # she changed her mind: the latest counts
    assert room.vote(qid, BOB, 0).status_code == 200
    early = room.get(f"/{qid}/results", key=False).json()
    assert early["rounds"] is None and early["voted"] == 2  # students see how many, not what
    assert room.get(f"/{qid}/results").json()["rounds"][0]["counts"] == [1, 1]
    room.move(qid, "lock")
    late = room.vote(qid, CAROL, 0)
    assert late.status_code == 409 and late.json()["error"] == "wrong_moment"
    room.move(qid, "open")  # round 2: discuss with your neighbour
    room.vote(qid, ALICE, 1)
    room.vote(qid, BOB, 1)
    room.vote(qid, CAROL, 1)
    room.move(qid, "lock", "reveal")
    revealed = room.get(f"/{qid}/results", key=False).json()
    assert [r["counts"] for r in revealed["rounds"]] == [[1, 1], [0, 3]]
    assert Vote.objects.count() == 5  # Alice's change replaced her first vote
    hops = list(Message.objects.filter(style="questions").values_list("kind", flat=True))
    assert hops.count("question.vote") == 6  # every vote cast, the change too
    assert hops[0] == "question.asked" and hops[-1] == "question.revealed"
    secret = Message.objects.filter(kind="question.vote")
    assert all("option" not in m.payload for m in secret)  # which option: only after the reveal
    shown = Message.objects.get(kind="question.revealed").payload
    assert shown["counts"] == [[1, 1], [0, 3]] and len(shown["votes"]) == 5


def test_the_action_fires_for_real_and_the_ledger_decides(room, shop):
    qid = room.ask(question=own_question())["id"]
    room.move(qid, "open")
    room.vote(qid, ALICE, 0)
    room.move(qid, "lock")
    fired = room.move(qid, "fire")
    assert fired["fired"] and fired["outcome"]["settled"]
    answer = Message.objects.get(kind="console.query", room=room.code)
    expected = 1 if answer.status == "error" else 0  # read back from what the console recorded
    assert fired["outcome"]["correct"] == expected
    assert room.post(f"/{qid}/fire").status_code == 409  # once
    outcome = Message.objects.get(kind="question.outcome", room=room.code)
    assert outcome.payload["correct"] == expected and outcome.valid
    assert Message.objects.filter(kind="question.outcome").count() == 1
    room.get(f"/{qid}/results")  # asking again records nothing twice
    assert Message.objects.filter(kind="question.outcome").count() == 1


def test_an_unknown_option_is_422_and_changes_nothing(room):
    qid = room.ask(catalogue="queue.spike-all-sent")["id"]
    room.move(qid, "open")
    before = Message.objects.count()
    refused = room.vote(qid, ALICE, 3)
    assert refused.status_code == 422 and refused.json()["field"] == "option"
    assert room.vote(qid, ALICE, -1).status_code == 422
    assert room.vote(qid, "short", 0).status_code == 422  # a voter token is 8 to 64 characters
    assert Message.objects.count() == before and not Vote.objects.exists()


def test_instructor_actions_need_the_room_key(room):
    refused = room.post("", {"catalogue": "queue.spike-all-sent"}, key=False)
    assert refused.status_code == 403 and refused.json()["field"] == "X-Room-Key"
    qid = room.ask(catalogue="queue.spike-all-sent")["id"]
    for action in ("open", "lock", "reveal", "fire"):
        answer = room.post(f"/{qid}/{action}", key=False)
        assert answer.status_code == 403, action
    assert room.get("/export", key=False).status_code == 403
    room.move(qid, "open")
    assert room.post(f"/{qid}/lock", key=False).status_code == 403
    assert room.get("", key=False).json()["current"]["state"] == "open"


def test_wrong_moments_are_409(room):
    qid = room.ask(catalogue="queue.spike-all-sent")["id"]
    assert room.post(f"/{qid}/lock").status_code == 409
    assert room.post(f"/{qid}/fire").status_code == 409
    assert room.post(f"/{qid}/reveal").status_code == 409
    assert room.vote(qid, ALICE, 0).status_code == 409
    room.move(qid, "open", "lock", "open", "lock")
    assert room.post(f"/{qid}/open").status_code == 409  # two rounds at most


def test_bad_questions_are_refused_with_the_field(room):
    for bad, field in (
        (own_question(measurement="nope.nothing"), "question.measurement"),
        (own_question(options=[{"text": "only one", "value": "ran"}]), "question.options"),
        (own_question(steps=[{"style": "queue", "kind": "teleport"}]), "question.steps.0"),
        (
            own_question(options=[{"text": "a", "low": 1}, {"text": "b", "high": 2}]),
            "question.options.0.value",
        ),
        (
            own_question(options=[{"text": "a", "value": "ran"}, {"text": "b"}]),
            "question.options.1",
        ),
    ):
        answer = room.post("", {"question": bad})
        assert answer.status_code == 422, bad
        assert answer.json()["field"] == field
    assert room.post("", {"catalogue": "no.such"}).status_code == 404
    assert not Message.objects.filter(style="questions").exists()
    assert not Saved.objects.exists()


def test_own_questions_are_saved_asked_exported_and_imported(room, client):
    saved = room.post("/own", {"question": own_question()})
    assert saved.status_code == 201
    assert room.post("/own", {"question": own_question()}).json()["id"] == saved.json()["id"]
    assert not Message.objects.filter(style="questions").exists()  # saved, not asked
    assert [q["text"] for q in room.get("/own").json()["questions"]] == [own_question()["text"]]
    assert room.get("/own", key=False).status_code == 403
    asked = room.ask(own=saved.json()["id"])
    assert asked["source"] == "own" and asked["options"] == ["The orders are gone", "It is refused"]
    assert room.post("", {"own": 999999}).status_code == 404
    room.ask(question=own_question(text="Asked at once: saved too"))
    exported = room.get("/export").json()
    assert [q["text"] for q in exported["questions"]] == [
        own_question()["text"],
        "Asked at once: saved too",
    ]
    other = client.post("/api/rooms", {}, content_type="application/json").json()

    def import_into(body):
        return client.post(
            f"/api/rooms/{other['code']}/questions/import",
            body,
            content_type="application/json",
            HTTP_X_ROOM_KEY=other["control_key"],
        )

    imported = import_into(exported)
    assert imported.status_code == 201 and imported.json()["added"] == 2
    assert imported.json()["questions"][0]["text"] == exported["questions"][0]["text"]
    assert import_into(exported).json()["added"] == 0  # the same questions are not kept twice
    bad = exported["questions"] + [own_question(options=[{"text": "a", "low": 1}] * 2)]
    refused = import_into({"questions": bad})
    assert refused.status_code == 422 and refused.json()["field"] == "questions.2.options.0.value"
    assert Saved.objects.filter(world=other["code"]).count() == 2
    assert not Message.objects.filter(style="questions", room=other["code"]).exists()


def test_the_catalogue_offers_actions_and_each_measurement_s_style(client):
    listed = client.get("/api/questions").json()
    assert {"style": "database", "kind": "query"} in [
        {k: a[k] for k in ("style", "kind")} for a in listed["actions"]
    ]
    by_key = {m["key"]: m for m in listed["measurements"]}
    assert by_key["database.console_statement"]["style"] == "database"
    assert all(m["style"] for m in listed["measurements"])


def test_the_catalogue_has_three_questions_for_every_style(client):
    listed = client.get("/api/questions").json()
    by_style = {}
    for q in listed["questions"]:
        by_style.setdefault(q["style"], []).append(q)
    assert set(by_style) == {"api", "files", "webhooks", "queue", "streams", "database"}
    assert all(len(qs) >= 3 for qs in by_style.values())
    keys = {m["key"] for m in listed["measurements"]}
    assert all(q["measurement"] in keys for q in listed["questions"])


def test_results_as_csv_after_the_reveal(room):
    qid = room.ask(catalogue="queue.spike-all-sent")["id"]
    room.move(qid, "open")
    room.vote(qid, ALICE, 1)
    room.move(qid, "lock")
    assert room.get(f"/{qid}/results.csv", key=False).status_code == 403
    room.move(qid, "reveal")
    text = room.get(f"/{qid}/results.csv", key=False).content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["round", "option", "text", "votes", "correct"]
    assert [r[3] for r in rows[1:]] == ["0", "1", "0"]


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(room):
    options = [
        {"text": '=HYPERLINK("http://x")', "value": "ran"},
        {"text": "-1 rows", "value": "refused"},
        {"text": "It is refused", "value": "refused"},
    ]
    qid = room.ask(question=own_question(options=options))["id"]
    room.move(qid, "open", "lock", "reveal")
    rows = list(csv.reader(io.StringIO(room.get(f"/{qid}/results.csv").content.decode())))
    assert [r[2] for r in rows[1:]] == ['\'=HYPERLINK("http://x")', "'-1 rows", "It is refused"]
