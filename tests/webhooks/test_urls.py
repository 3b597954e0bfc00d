"""Outbound URLs: an endpoint's URL is normalised, looked up once, checked, and connected to at the
checked address. Every way of writing "this machine" or "a private network" is refused when the
endpoint is made and again when a delivery goes out (a row written past the API)."""

import json
import socket
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from patterns.webhooks import endpoints, outbox, sender, signing
from patterns.webhooks.models import Attempt, Endpoint
from tests.servers import OUTSIDE_HOST
from tests.webhooks.helpers import wait_for_attempts
from tests.webhooks.parts import OutsideEndpoint

pytestmark = pytest.mark.django_db(transaction=True)

# {port}: the playground's own port (its API); {redis}: its Redis.
REFUSED = [
    ("http://127.0.0.1:{port}/x/../api/webhooks/events", "in a loop"),
    ("http://127.0.0.1:{port}/%61pi/webhooks/events", "in a loop"),
    ("http://127.0.0.1:{port}//api/webhooks/events", "in a loop"),
    ("http://127.0.0.1:{port}/API/webhooks/events", "in a loop"),
    ("http://127.0.0.1:{port}/webhooks/receiver/../../api/webhooks/events", "in a loop"),
    ("http://localhost:{port}/api/webhooks/events", "in a loop"),
    ("http://127.0.0.1:{redis}/", "its Redis"),
    ("http://127.0.0.1:{redis}/webhooks/receiver/", "its Redis"),
    ("http://0x7f000001:{port}/webhooks/receiver/", "four decimal numbers"),
    ("http://2130706433:{port}/webhooks/receiver/", "four decimal numbers"),
    ("http://127.1:{port}/webhooks/receiver/", "four decimal numbers"),
    ("http://017700000001:{port}/webhooks/receiver/", "four decimal numbers"),
    ("http://[::ffff:127.0.0.1]:{port}/api/webhooks/events", "reaches 127.0.0.1"),
    ("http://[::127.0.0.1]:{port}/api/webhooks/events", "reaches 127.0.0.1"),
    ("http://user:pass@127.0.0.1:{port}/webhooks/receiver/", "user name or password"),
    ("http://[64:ff9b::a00:1]/hooks", "reaches 10.0.0.1"),
    ("http://[2002:a00:1::]/hooks", "reaches 10.0.0.1"),
    ("http://224.0.0.1/hooks", "multicast"),
    ("http://[ff02::1]/hooks", "multicast"),
    ("http://100.64.0.1/hooks", "not on the public internet"),
    ("http://[fe80::1%25eth0]/hooks", "zone"),
    ("http://93.184.215.14:0/hooks", "port 0"),
]


def own_port():
    return urlsplit(settings.PLAYGROUND_BASE_URL).port


def redis_port(redis_server):
    return redis_server.port if redis_server else urlsplit(settings.REDIS_URL).port or 6379


def create(url):
    return Client().post(
        "/api/webhooks/endpoints", json.dumps({"url": url}), content_type="application/json"
    )


def only(url):
    """An endpoint row written straight to the database (past the API's check), alone."""
    Endpoint.objects.filter(id=endpoints.builtin().id).update(disabled=True)
    return Endpoint.objects.create(url=url, secret=signing.new_secret())


@pytest.mark.parametrize("template, words", REFUSED)
def test_every_spelling_of_this_machine_or_a_private_network_is_refused_when_made_and_when_sent(
    server_env, asgi_server, celery_worker, redis_server, template, words
):
    url = template.format(port=own_port(), redis=redis_port(redis_server))
    answer = create(url)
    assert answer.status_code == 422, answer.content
    assert answer.json()["error"] == "invalid_endpoint" and answer.json()["field"] == "url"
    assert words in answer.json()["detail"]
    assert not Endpoint.objects.filter(key__isnull=True).exists()

    only(url)
    _, (delivery,) = outbox.fire("payment.completed")
    attempt = wait_for_attempts(delivery.id, 1)
    assert attempt.status_code is None and attempt.error.startswith("not sent: ")
    assert words in attempt.error


@pytest.mark.parametrize(
    "template, stored",
    [
        ("http://93.184.215.14/hooks", "http://93.184.215.14/hooks"),
        (
            "HTTPS://[2606:2800:21F:CB07:6820:80DA:AF6B:8B2C]:443/a/./b/../%7Ehooks?x=1#frag",
            "https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/a/~hooks?x=1",
        ),
        ("http://[64:ff9b::808:808]/hooks", "http://[64:ff9b::808:808]/hooks"),
        (
            "http://127.0.0.1:{port}/webhooks/receiver/",
            "http://127.0.0.1:{port}/webhooks/receiver/",
        ),
        (
            "http://localhost:{port}/webhooks/receiver/",
            "http://localhost:{port}/webhooks/receiver/",
        ),
    ],
)
def test_a_public_address_or_shops_receiver_on_the_playgrounds_own_port_is_accepted_normalised(
    template, stored
):
    answer = create(template.format(port=own_port()))
    assert answer.status_code == 201, answer.content
    assert answer.json()["url"] == stored.format(port=own_port())


def test_shops_receiver_as_an_endpoint_of_its_own_is_really_called(asgi_server, celery_worker):
    """Its own secret is not Shop's, so Shop answers 401: the request reached the receiver."""
    endpoint = endpoints.create(f"http://localhost:{own_port()}/webhooks/receiver/")
    Endpoint.objects.filter(id=endpoints.builtin().id).update(disabled=True)
    _, (delivery,) = outbox.fire("payment.completed")
    assert delivery.endpoint_id == endpoint.id
    assert wait_for_attempts(delivery.id, 1).status_code == 401


def test_a_url_that_became_bad_fails_its_delivery_with_the_reason_and_no_request(
    outside, asgi_server, celery_worker
):
    endpoint = endpoints.create(outside.url)
    Endpoint.objects.filter(id=endpoints.builtin().id).update(disabled=True)
    Endpoint.objects.filter(id=endpoint.id).update(
        url="http://10.0.0.7/hooks"
    )  # e.g. edited in the admin
    _, (delivery,) = outbox.fire("payment.completed")
    attempt = wait_for_attempts(delivery.id, 1)
    assert attempt.error.startswith("not sent: 10.0.0.7 is a private-network address")
    # The ladder may try again (the URL could be mended meanwhile); no try ever makes a request.
    tries = Attempt.objects.filter(delivery_id=delivery.id)
    assert all(a.error.startswith("not sent: 10.0.0.7") for a in tries) and outside.requests == []


def test_a_name_that_points_elsewhere_after_the_check_is_still_sent_to_the_checked_address(
    settings, monkeypatch
):
    """DNS rebinding: the name answers an allowed address first, then this machine. The request goes
    to the first answer, the one that was checked, and the name is looked up once."""
    settings.WEBHOOKS_ALLOWED_NETWORKS = [f"{OUTSIDE_HOST}/32"]
    decoy = OutsideEndpoint("127.0.0.1")  # stands for a service on this machine
    outside = OutsideEndpoint(OUTSIDE_HOST, decoy.port)
    answers, lookups, real = iter([OUTSIDE_HOST]), [], socket.getaddrinfo

    def resolver(host, port, *args, **kwargs):
        if host != "rebind.example":
            return real(host, port, *args, **kwargs)  # IP literals: no lookup
        lookups.append(host)
        address = next(answers, "127.0.0.1")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    try:
        url = f"http://rebind.example:{decoy.port}/hooks"
        outcome = sender.post(
            url,
            json.dumps({"type": "x"}),
            signing.headers("evt_1", signing.utc_now(), "{}", [signing.new_secret()]),
            5,
        )
    finally:
        decoy.close()
        outside.close()
    assert outcome.ok and lookups == ["rebind.example"]
    assert decoy.requests == [] and len(outside.requests) == 1
    sent = {name.lower(): value for name, value in outside.requests[0]["headers"].items()}
    assert sent["host"] == f"rebind.example:{decoy.port}"


def fake_dns(monkeypatch, answers):
    """The outside world's DNS, as a test scripts it: name -> its addresses."""
    real = socket.getaddrinfo

    def resolver(host, port, *args, **kwargs):
        if host not in answers:
            return real(host, port, *args, **kwargs)
        family = lambda a: socket.AF_INET6 if ":" in a else socket.AF_INET  # noqa: E731
        return [(family(a), socket.SOCK_STREAM, 6, "", (a, port)) for a in answers[host]]

    monkeypatch.setattr(socket, "getaddrinfo", resolver)


def test_a_name_is_refused_if_any_of_its_addresses_is_private_and_kept_as_a_name_if_all_are_public(
    monkeypatch,
):
    fake_dns(
        monkeypatch,
        {
            "mixed.example": ["93.184.215.14", "10.0.0.8"],
            "public.example": ["93.184.215.14", "2606:2800:21f::1"],
        },
    )
    refused = create("http://mixed.example/hooks")
    assert (
        refused.status_code == 422
        and "mixed.example is 10.0.0.8, a private-network address" in refused.json()["detail"]
    )
    assert create("http://PUBLIC.example./hooks").json()["url"] == "http://public.example/hooks"
