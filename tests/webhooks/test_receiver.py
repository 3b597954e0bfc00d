"""Shop's receiver, called over real HTTP on a real daphne, as a sender (or an attacker) would."""

from datetime import timedelta

import httpx
import pytest
from django.utils import timezone

from patterns.webhooks import shop, signing
from patterns.webhooks.models import Processed
from tests.helpers import hops
from tests.webhooks.helpers import signed

pytestmark = pytest.mark.django_db(transaction=True)


def post(server, body, headers):
    return httpx.post(server.url + shop.RECEIVER_PATH, content=body, headers=headers, timeout=10)


def test_a_signed_post_is_accepted_every_time_but_processed_once_even_if_sent_five_times(
    asgi_server,
):
    body, headers = signed(webhook_id="evt_five_times")
    answers = [post(asgi_server, body, headers) for _ in range(5)]
    assert [a.status_code for a in answers] == [200] * 5
    assert answers[0].json() == {"ok": True, "processed": True}
    assert all(a.json() == {"ok": True, "duplicate": True} for a in answers[1:])
    assert Processed.objects.filter(webhook_id="evt_five_times").count() == 1
    assert len(hops("webhooks", "processed")) == 1 and len(hops("webhooks", "duplicate")) == 4


def _tampered():
    body, headers = signed()
    return body.replace(b"49.9", b"49.8"), headers


def _without(name):
    body, headers = signed()
    return body, {k: v for k, v in headers.items() if k != name}


def _comma_less():
    body, headers = signed()
    return body, {**headers, "webhook-signature": headers["webhook-signature"].replace(",", "", 1)}


def _not_json():
    when, secret = timezone.now(), shop.state().secret
    return b"amount=49.90", signing.headers("evt_test0001", when, "amount=49.90", [secret])


BAD = {
    "one body byte changed": (_tampered, 401, "does not match"),
    "a wrong secret": (lambda: signed(secret=signing.new_secret()), 401, "does not match"),
    "a timestamp 6 min old": (
        lambda: signed(when=timezone.now() - timedelta(minutes=6)),
        401,
        "old",
    ),
    "a timestamp 6 min ahead": (
        lambda: signed(when=timezone.now() + timedelta(minutes=6)),
        401,
        "future",
    ),
    "no webhook-id": (lambda: _without("webhook-id"), 401, "missing header webhook-id"),
    "no webhook-timestamp": (
        lambda: _without("webhook-timestamp"),
        401,
        "missing header webhook-timestamp",
    ),
    "no webhook-signature": (
        lambda: _without("webhook-signature"),
        401,
        "missing header webhook-signature",
    ),
    "a signature without a comma": (_comma_less, 401, "malformed"),
    "a body that is not JSON": (_not_json, 400, "JSON"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_the_receiver_refuses_a_request_with(asgi_server, case):
    make, status, words = BAD[case]
    body, headers = make()
    answer = post(asgi_server, body, headers)
    assert answer.status_code == status
    assert words in answer.json()["detail"]
    assert Processed.objects.count() == 0
    rejected = hops("webhooks", "rejected")
    assert len(rejected) == 1 and rejected[0].status_code == status and words in rejected[0].error


@pytest.mark.parametrize("mode, status", [("error", 500), ("gone", 410), ("busy", 429)])
def test_the_mode_switch_makes_the_receiver_answer(asgi_server, mode, status):
    shop.set_mode(mode)
    answer = post(asgi_server, *signed())
    assert answer.status_code == status
    assert Processed.objects.count() == 0
    if mode == "busy":
        assert int(answer.headers["retry-after"]) >= 1
    assert hops("webhooks", "refused")[0].status_code == status
    assert hops("webhooks", "mode")[0].payload == {"mode": mode}


def test_a_flaky_receiver_fails_two_requests_out_of_three(asgi_server):
    shop.set_mode("flaky")
    codes = [post(asgi_server, *signed(webhook_id=f"evt_flaky{n}")).status_code for n in range(6)]
    assert codes == [500, 500, 200, 500, 500, 200]


def test_the_receiver_refuses_get_and_needs_no_csrf_token(asgi_server):
    assert httpx.get(asgi_server.url + shop.RECEIVER_PATH).status_code == 405
    cookie = {"Cookie": "csrftoken=abc", "Origin": "https://evil.example"}
    answer = post(asgi_server, *(lambda b, h: (b, {**h, **cookie}))(*signed()))
    assert answer.status_code == 200  # server to server: the signature is the protection


def test_an_offline_shop_cannot_be_reached_at_its_address():
    shop.set_mode("offline")
    with pytest.raises(httpx.ConnectError):
        httpx.post(shop.address(), content=b"{}", timeout=3)
