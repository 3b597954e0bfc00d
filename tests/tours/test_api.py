"""The tours and the comparison through their API: tours are data, a run goes through every built
lane for real (daphne, a Celery worker, beat) and is measured from the ledger; bad input changes nothing."""

import pytest
from django.urls import Resolver404, resolve

from patterns.ledger.models import Message
from patterns.site.styles import STYLES
from patterns.tours import lanes
from patterns.tours.models import Run
from patterns.tours.scripts import tours
from tests.helpers import eventually

BUILT = [s.key for s in STYLES]
TOURS = tours()


def test_every_tour_is_a_short_lesson_whose_actions_are_real_api_routes():
    for key, tour in TOURS.items():
        assert 5 <= len(tour["steps"]) <= 8, key
        if key not in BUILT:  # its style has not landed: its routes do not exist yet
            continue
        for step in tour["steps"]:
            assert step["title"] and 20 < len(step["say"]) < 330, (key, step["title"])
            assert bool(step["actions"]) == bool(step["expect"]), (key, step["title"])
            for action in step["actions"]:
                try:
                    resolve(action["path"].split("?")[0])
                except Resolver404:
                    pytest.fail(f"{key}: {action['path']} is not a route")
        for action in tour["cleanup"]:
            resolve(action["path"])


@pytest.mark.django_db
def test_the_api_serves_every_built_styles_tour_and_a_json_404_for_others(client):
    listed = client.get("/api/tours/").json()["tours"]
    assert {t["style"] for t in listed} == set(TOURS) & set(BUILT)
    tour = client.get("/api/tours/webhooks").json()
    assert (
        tour["page"] == "/webhooks/"
        and tour["steps"][1]["actions"][0]["path"] == "/api/webhooks/events"
    )
    missing = client.get("/api/tours/telepathy")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"


@pytest.mark.django_db
def test_lanes_cover_every_style_and_say_which_are_not_built(client):
    listed = client.get("/api/compare/lanes").json()["lanes"]
    assert [lane["key"] for lane in listed] == [s.key for s in STYLES]
    for lane in listed:
        assert lane["built"] == (lane["key"] in lanes.REGISTRY and lane["key"] in BUILT)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, field",
    [
        ({"faults": ["telepathy"]}, "faults"),
        ({"order_id": 0}, "order_id"),
        ({"faults": "webhooks"}, "faults"),
    ],
)
def test_bad_input_is_refused_with_the_field_named_and_starts_nothing(client, body, field):
    answer = client.post("/api/compare/runs", body, content_type="application/json")
    assert answer.status_code == 422
    assert set(answer.json()) >= {"error", "detail"} and answer.json().get("field", "").startswith(
        field
    )
    assert not Run.objects.exists()


@pytest.mark.django_db
def test_a_second_run_is_refused_while_one_is_under_way(client):
    Run.objects.create(order_id=42)
    answer = client.post("/api/compare/runs", {}, content_type="application/json")
    assert answer.status_code == 409 and answer.json()["error"] == "busy"
    assert Run.objects.count() == 1
    assert client.get("/api/compare/runs/999").status_code == 404


@pytest.fixture
def live(asgi_server, celery_worker, celery_beat, transactional_db, order_42):
    return asgi_server


def finished(client, run_id, timeout=60):
    def done():
        return not client.get(f"/api/compare/runs/{run_id}").json()["running"]

    eventually(done, timeout=timeout, interval=0.3, message=f"run {run_id} to finish")
    return client.get(f"/api/compare/runs/{run_id}").json()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, databases=["default", "shop"])
def test_order_42_reaches_every_built_lane_and_each_figure_comes_from_the_ledger(live, client):
    started = client.post("/api/compare/runs", {"order_id": 42}, content_type="application/json")
    assert started.status_code == 202
    run = finished(client, started.json()["id"])
    assert run["problem"] == ""
    by_key = {lane["key"]: lane for lane in run["lanes"]}
    assert list(by_key) == [s.key for s in STYLES]
    running = [lane.key for lane in lanes.active()]
    for key in running:
        lane = by_key[key]
        assert lane["state"] == "learned", lane
        assert (
            lane["freshness_ms"] > 0
            and lane["calls"] >= 1
            and lane["failures"] == 0
            and lane["broke"] == ""
        )
    for key in set(by_key) - set(running):
        assert by_key[key]["built"] is False and by_key[key]["note"] == "not built yet"
    after = Message.objects.filter(id__gt=run["cursor"])
    # Shop shipped the order once, through its API; the webhook was processed exactly once.
    ship = after.filter(correlation_id=f"cmp{run['id']:04d}-ship")
    assert list(ship.values_list("kind", "hop", "status_code")) == [
        ("orders.status", "request", None),
        ("orders.status", "response", 200),
    ]
    event = by_key["webhooks"]["correlation_ids"][0]
    assert after.filter(correlation_id=event, hop="processed").count() == 1
    assert (
        after.filter(correlation_id=by_key["queue"]["correlation_ids"][0], hop="done").count() == 1
    )
    assert by_key["webhooks"]["messages"] == after.filter(correlation_id=event).count()
    # Polling consumers learn only at their next question: later than the push styles.
    assert by_key["api"]["freshness_ms"] > by_key["webhooks"]["freshness_ms"]


@pytest.mark.django_db
def test_a_browser_post_without_the_csrf_token_starts_nothing():
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    answer = browser.post(
        "/api/compare/runs",
        {},
        content_type="application/json",
        HTTP_ORIGIN="http://testserver",
        HTTP_COOKIE="csrftoken=x",
    )
    assert answer.status_code == 403 and answer.json()["error"] == "csrf_failed"
    assert not Run.objects.exists()
