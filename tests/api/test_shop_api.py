"""Shop's REST API, through Django's real request handling: every status code, paging, the
contract checks in the ledger, and bad input that changes nothing."""

import pytest

from patterns.api import ratelimit, state, switches
from patterns.ledger.models import Message
from patterns.shop import store
from patterns.shop.models import Order
from tests.helpers import hops

# Shop's API writes its hops on a thread of its own (patterns.ledger.groupcommit), so they commit
# on their own connection, as in production: the test database must not hold a transaction open.
pytestmark = pytest.mark.django_db(databases=["default", "shop"], transaction=True)


def test_getting_an_order_answers_200_and_records_the_request_and_the_response(client, ids):
    response = client.get(f"/api/shop/orders/{ids.order}", HTTP_X_CLIENT_ID="script-1")
    assert response.status_code == 200
    assert response.json()["id"] == ids.order and set(response.json()) == {
        "id",
        "customer_id",
        "total",
        "currency",
        "status",
        "created_at",
        "updated_at",
    }
    request, answer = hops("api", correlation_id=response["X-Request-Id"])
    assert (request.hop, request.source, request.target) == ("request", "app", "shop")
    assert (
        request.headers[":method"] == "GET"
        and request.headers[":path"] == f"/api/shop/orders/{ids.order}"
    )
    assert (answer.hop, answer.source, answer.target, answer.status_code) == (
        "response",
        "shop",
        "app",
        200,
    )
    assert answer.contract == "api.order" and answer.valid is True and answer.duration_ms > 0
    assert answer.kind == request.kind == "orders.get"


def test_an_unknown_order_or_customer_is_404_naming_the_id(client, ids):
    order = client.get("/api/shop/orders/999999")
    customer = client.get("/api/shop/customers/999999")
    assert order.status_code == customer.status_code == 404
    assert order.json() == {"error": "not_found", "detail": "no order 999999", "field": "order_id"}
    assert customer.json()["field"] == "customer_id"
    assert hops("api").last().contract == "api.error" and hops("api").last().valid is True


def test_creating_an_order_answers_201_with_its_location(client, ids):
    before = Order.objects.using("shop").count()
    response = client.post(
        "/api/shop/orders",
        {"customer_id": ids.customer, "total": "19.90"},
        content_type="application/json",
    )
    assert response.status_code == 201
    order = response.json()
    assert (
        order["status"] == "pending"
        and order["total"] == "19.90"
        and order["customer_id"] == ids.customer
    )
    assert response["Location"] == f"/api/shop/orders/{order['id']}"
    assert Order.objects.using("shop").count() == before + 1
    request = hops("api", correlation_id=response["X-Request-Id"])[0]
    assert request.contract == "api.order.new" and request.valid is True


@pytest.mark.parametrize(
    "body, field",
    [
        ({"customer_id": 7, "total": -5}, "total"),
        ({"customer_id": 7, "total": "12.345"}, "total"),
        ({"customer_id": "seven", "total": 10}, "customer_id"),
        ({"total": 10}, "customer_id"),
        ({"customer_id": 7, "total": 10, "currency": "USD"}, "currency"),
        ({"customer_id": 7, "total": 10, "discount": 5}, "discount"),
        ({"customer_id": 999999, "total": 10}, "customer_id"),
    ],
)
def test_an_order_that_breaks_the_contract_is_422_naming_the_field_and_nothing_is_created(
    client, ids, body, field
):
    before = Order.objects.using("shop").count()
    response = client.post("/api/shop/orders", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["field"] == field and field in response.json()["detail"]
    assert Order.objects.using("shop").count() == before
    request, answer = hops("api", correlation_id=response["X-Request-Id"])
    assert answer.status_code == 422 and answer.status == "error"
    if (
        field != "customer_id" or body.get("customer_id") != 999999
    ):  # an unknown customer is well-formed
        assert request.valid is False and field in request.error and request.status == "error"


def test_a_body_that_is_not_json_is_refused_and_recorded_as_broken(client, ids):
    response = client.post("/api/shop/orders", "{oops", content_type="application/json")
    assert 400 <= response.status_code < 500
    assert set(response.json()) >= {"error", "detail"}
    request = hops("api", correlation_id=response["X-Request-Id"])[0]
    assert request.valid is False and "not valid JSON" in request.error


def test_changing_status_follows_shops_rules_and_an_impossible_move_is_409(client, ids):
    order = store.create_order(ids.customer, "10.00")
    paid = client.patch(
        f"/api/shop/orders/{order['id']}", {"status": "paid"}, content_type="application/json"
    )
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    back = client.patch(
        f"/api/shop/orders/{order['id']}", {"status": "pending"}, content_type="application/json"
    )
    assert back.status_code == 409
    assert back.json()["error"] == "impossible_transition" and back.json()["field"] == "status"
    assert "it can become: cancelled, refunded, shipped" in back.json()["detail"]
    assert store.get_order(order["id"])["status"] == "paid"


def test_an_unknown_status_is_422_and_an_unknown_order_404(client, ids):
    assert (
        client.patch(
            f"/api/shop/orders/{ids.order}", {"status": "lost"}, content_type="application/json"
        ).status_code
        == 422
    )
    assert (
        client.patch(
            "/api/shop/orders/999999", {"status": "paid"}, content_type="application/json"
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    "query, field",
    [
        ("status=lost", "status"),
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("after=-1", "after"),
        ("since=yesterday", "since"),
        ("customer_id=abc", "customer_id"),
    ],
)
def test_bad_query_parameters_are_400_naming_the_parameter(client, ids, query, field):
    response = client.get(f"/api/shop/orders?{query}")
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_a_bad_path_id_is_400_and_an_unknown_path_or_method_is_a_json_error(client, ids):
    assert client.get("/api/shop/orders/abc").status_code == 400
    assert client.get("/api/shop/orders/99999999999999999999").status_code == 400
    unknown = client.get("/api/shop/invoices")
    assert unknown.status_code == 404 and unknown.json()["error"] == "not_found"
    refused = client.delete(f"/api/shop/orders/{ids.order}")
    assert refused.status_code == 405 and refused["Allow"] == "GET, PATCH"
    assert refused.json()["error"] == "method_not_allowed"
    assert {m.kind for m in hops("api")} == {"orders.get", "unknown", "not-allowed"}


def test_paging_through_orders_is_stable_and_complete_while_orders_are_added(
    client, ids, generous_limit
):
    everything = [o["id"] for o in store.iter_orders()]
    seen, after, added = [], 0, []
    while True:
        page = client.get("/api/shop/orders", {"after": after, "limit": 7}).json()
        seen += [o["id"] for o in page["items"]]
        if len(seen) in (70, 210):  # orders placed mid-way appear later, once
            added.append(store.create_order(ids.customer, "5.00")["id"])
        if not page["has_more"]:
            break
        after = page["next_after"]
    assert seen == everything + added
    assert len(seen) == len(set(seen))


def test_list_filters_combine_and_the_next_page_is_linked(client, ids, generous_limit):
    response = client.get("/api/shop/orders", {"status": "paid", "limit": 3})
    body = response.json()
    assert len(body["items"]) == 3 and all(o["status"] == "paid" for o in body["items"])
    assert (
        response["Link"]
        == f'</api/shop/orders?status=paid&limit=3&after={body["next_after"]}>; rel="next"'
    )
    today = client.get(
        "/api/shop/orders", {"since": store.list_orders(limit=400)[-1]["created_at"], "limit": 200}
    ).json()
    assert len(today["items"]) >= 1
    mine = client.get("/api/shop/orders", {"customer_id": ids.customer, "limit": 200}).json()[
        "items"
    ]
    assert mine and {o["customer_id"] for o in mine} == {ids.customer}


def test_customers_show_only_the_agreed_fields(client, ids):
    page = client.get("/api/shop/customers", {"limit": 50}).json()
    assert len(page["items"]) == 40 and page["has_more"] is False
    assert set(page["items"][0]) == {"id", "name", "customer_since", "city", "country"}
    assert "password" not in str(page) and "@" not in str(page)


def test_a_client_that_asks_too_often_gets_429_with_retry_after(client, ids, slow_refill):
    answers = [
        client.get(f"/api/shop/orders/{ids.order}", HTTP_X_CLIENT_ID="greedy") for _ in range(25)
    ]
    codes = [a.status_code for a in answers]
    assert codes == [200] * 20 + [429] * 5
    refused = answers[codes.index(429)]
    assert refused.json()["error"] == "rate_limited" and int(refused["Retry-After"]) >= 1
    assert refused["RateLimit-Limit"] == "20" and refused["RateLimit-Remaining"] == "0"
    other = client.get(f"/api/shop/orders/{ids.order}", HTTP_X_CLIENT_ID="polite")
    assert other.status_code == 200  # the limit is per client
    assert Message.objects.filter(style="api", status_code=429).count() == codes.count(429)


def test_the_rate_limit_still_counts_after_redis_forgot_its_script(client, ids, slow_refill):
    # A restarted Redis (the embedded one is restarted by `playground`) knows no scripts: the gate
    # is called by the script's hash, gets NOSCRIPT, loads it and asks again.
    state.client().script_flush()
    answers = [
        client.get(f"/api/shop/orders/{ids.order}", HTTP_X_CLIENT_ID="forgotten").status_code
        for _ in range(21)
    ]
    assert answers == [200] * 20 + [429]
    assert state.client().script_exists(ratelimit.SHA) == [True]


def test_a_retried_create_with_the_same_idempotency_key_places_one_order(client, ids):
    before = Order.objects.using("shop").count()

    def send(body):
        return client.post(
            "/api/shop/orders",
            body,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="order-abc-1",
        )

    first, retry = (
        send({"customer_id": ids.customer, "total": "10.00"}),
        send({"customer_id": ids.customer, "total": "10.00"}),
    )
    assert first.status_code == retry.status_code == 201
    assert first.json() == retry.json() and retry["Idempotent-Replayed"] == "true"
    assert Order.objects.using("shop").count() == before + 1
    reused = send({"customer_id": ids.customer, "total": "99.00"})
    assert reused.status_code == 422 and reused.json()["field"] == "Idempotency-Key"


def test_the_switches_make_shop_fail_for_every_caller(client, ids):
    switches.set_mode("erroring")
    failing = client.get(f"/api/shop/orders/{ids.order}")
    assert failing.status_code == 500 and failing.json()["error"] == "internal_error"
    switches.set_mode("down")
    assert client.get(f"/api/shop/orders/{ids.order}").status_code == 503
    switches.set_mode("healthy")
    assert client.get(f"/api/shop/orders/{ids.order}").status_code == 200
    assert [m.status_code for m in hops("api") if m.hop == "response"] == [500, 503, 200]


def test_shop_follows_its_own_schema_changes_behind_the_same_contract(client, ids):
    from patterns.shop import schema

    before = client.get(f"/api/shop/orders/{ids.order}").json()
    for change in schema.CHANGES:
        schema.apply(change)
    after = client.get(f"/api/shop/orders/{ids.order}").json()
    assert after == before
    assert hops("api").last().valid is True


def test_a_body_with_nul_characters_is_refused_and_still_recorded(client, ids):
    # PostgreSQL cannot store NUL in JSON text; the ledger keeps the rest of what was sent.
    raw = client.post("/api/shop/orders", b"\x00", content_type="application/json")
    inside = client.post(
        "/api/shop/orders",
        '{"customer_id": "\\u0000", "total": 1}',
        content_type="application/json",
    )
    assert raw.status_code == 400 and inside.status_code == 422
    assert (
        len(hops("api", correlation_id=raw["X-Request-Id"]))
        == len(hops("api", correlation_id=inside["X-Request-Id"]))
        == 2
    )
