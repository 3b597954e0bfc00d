"""The queue's API refuses bad input with a clear 400 and enqueues nothing; browsers need CSRF."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from patterns.ledger.models import Message
from patterns.queue.kinds import MAX_COUNT

from .conftest import broker_llen

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "email", "count": -5}, "count"),
        ({"kind": "email", "count": 0}, "count"),
        ({"kind": "email", "count": MAX_COUNT + 1}, "count"),
        ({"kind": "fax", "count": 1}, "kind"),
        ({"kind": "email", "count": 1, "fail_rate": 1.5}, "fail_rate"),
        ({"kind": "email", "count": 1, "duration_ms": -1}, "duration_ms"),
    ],
)
def test_bad_job_requests_get_a_400_naming_the_field_and_enqueue_nothing(jobs_api, body, field):
    response = jobs_api(**body)
    assert response.status_code == 400
    assert response.json()["field"] == field and response.json()["detail"]
    assert Message.objects.count() == 0 and broker_llen() == 0


def test_a_count_that_is_not_a_number_is_refused_as_a_body_error(jobs_api):
    response = jobs_api(kind="email", count="lots")
    assert response.status_code == 422 and response.json()["field"] == "count"
    assert Message.objects.count() == 0


def test_an_unknown_worker_action_is_a_400(client):
    response = client.post(
        "/api/queue/workers", {"action": "explode"}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["error"] == "unknown_action"


def test_requeueing_a_dead_job_that_does_not_exist_is_a_404(client):
    response = client.post("/api/queue/dead/999/requeue")
    assert response.status_code == 404 and response.json()["error"] == "not_found"


def test_a_browser_post_without_the_csrf_token_is_refused():
    browser = Client(enforce_csrf_checks=True, HTTP_ORIGIN="http://testserver")
    browser.get("/queue/")  # sets the CSRF cookie, as the page would
    response = browser.post(
        "/api/queue/jobs", {"kind": "email", "count": 1}, content_type="application/json"
    )
    assert response.status_code == 403 and response.json()["error"] == "csrf_failed"
    assert Message.objects.count() == 0 and broker_llen() == 0


def test_enqueued_jobs_are_in_the_broker_and_in_the_ledger_as_queued(jobs_api, jobs_stay_queued):
    response = jobs_api(kind="thumbnail", count=3)
    assert response.status_code == 201
    ids = response.json()["ids"]
    assert len(set(ids)) == 3 and broker_llen() == 3
    queued = Message.objects.filter(style="queue", hop="queued")
    assert sorted(queued.values_list("correlation_id", flat=True)) == sorted(ids)
    assert all(m.valid for m in queued) and {m.contract for m in queued} == {"queue.thumbnail"}
    _drain()


def test_fire_enqueues_from_the_terminal_and_refuses_bad_data(capsys, jobs_stay_queued):
    call_command("fire", "queue", "email", "--count", "3")
    assert "3 × queue email fired" in capsys.readouterr().out
    assert (
        Message.objects.filter(style="queue", hop="queued", kind="email").count() == 3
        and broker_llen() == 3
    )
    with pytest.raises(CommandError, match="contract"):
        call_command("fire", "queue", "email", "--data", '{"fail_rate": 7}')
    assert broker_llen() == 3
    _drain()


def _drain():
    """Leave no job behind for a later test's worker."""
    import redis
    from django.conf import settings

    redis.Redis.from_url(settings.REDIS_URLS["broker"]).delete("jobs")


def test_the_pages_live_feed_refuses_a_foreign_origin(asgi_server):
    from websockets.exceptions import InvalidStatus

    from tests.helpers import FeedClient

    with pytest.raises(InvalidStatus):
        with FeedClient(asgi_server, query="style=queue", origin="http://evil.example"):
            pass
