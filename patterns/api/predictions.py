"""What a prediction about request/response is decided by: the answers Shop's API gave (or the
failures only the client saw), read from the ledger's hops of the requests a question sent."""

import uuid

from patterns.site.predictions import Measured, Measurement, Option, Predictions, Question, Step

BURST = 25  # five more than Shop's documented burst of 20 (SHOP_API_RATE_LIMIT = "20/10s")


def refused_too_many(run):
    responses = run.messages(style="api", hop="response")
    sent = run.messages(style="api", hop="request").count()
    if sent == 0:
        return Measured(None, "no request has reached Shop yet")
    n = responses.filter(status_code=429).count()
    return Measured(n, f"{n} of {sent} request(s) were answered 429 Too Many Requests")


def first_answer(run):
    """What the client got for the run's first request: an HTTP status, or "refused"/"timeout"."""
    ids = run.returned("correlation_id")
    if not ids:
        return Measured(None, "no request has been sent yet")
    hops = run.messages(style="api", correlation_id=ids[0])
    failed = hops.filter(hop__in=("refused", "timeout")).first()
    if failed is not None:
        return Measured(failed.hop, f"no HTTP answer: {failed.error}")
    answer = hops.filter(hop="response").first()
    if answer is None:
        return Measured(None, "Shop has not answered yet")
    return Measured(str(answer.status_code), f"Shop answered {answer.status_code}")


def _fresh_client():
    # A client of its own: its rate-limit bucket starts full, whoever asked before.
    return {
        "path": "/api/shop/orders",
        "repeat": BURST,
        "client_id": f"console-q{uuid.uuid4().hex[:12]}",
    }


def _shop(mode):
    def switch():
        from .switches import set_mode

        set_mode(mode)

    return switch


ANSWERS = {
    "200": "200 OK",
    "404": "404 Not Found",
    "500": "500 Internal Server Error",
    "refused": "no answer: connection refused",
    "timeout": "no answer in time: the client gave up",
}
MEASUREMENTS = (
    Measurement(
        "api.refused_429",
        "Requests Shop answered 429 Too Many Requests",
        refused_too_many,
        unit="requests",
    ),
    Measurement("api.first_answer", "What the client got back", first_answer, values=ANSWERS),
)
ASK = Step("api", "request", {"path": "/api/shop/orders"})
QUESTIONS = (
    Question(
        "api.rate-limit",
        "api",
        f"Shop's rate limit lets one client burst 20 requests, then 2 a second. A new client "
        f"sends {BURST} requests in a row. How many come back 429 Too Many Requests?",
        (
            Option("None: Shop serves everyone who asks", low=0, high=0),
            Option("1 to 3", low=1, high=3),
            Option("4 to 6: the ones over the limit, give or take a refill", low=4, high=6),
            Option(f"All {BURST}: the client is blocked", low=7),
        ),
        (Step("api", "request", _fresh_client),),
        "api.refused_429",
        "A token bucket: a full bucket of 20, refilled at 2 a second, one token per request.",
    ),
    Question(
        "api.shop-down",
        "api",
        "Shop's server is down. The client asks for the list of orders. What comes back?",
        (
            Option("404 Not Found", value="404"),
            Option("500 Internal Server Error", value="500"),
            Option("No answer at all: the connection is refused", value="refused"),
            Option("200 with an empty list", value="200"),
        ),
        (ASK,),
        "api.first_answer",
        "A server that is down cannot answer with a status code: only the client knows it "
        "failed. Shop is healthy again right after the question fires.",
        prepare=_shop("down"),
        finish=_shop("healthy"),
    ),
    Question(
        "api.shop-slow",
        "api",
        "Shop takes 3 s to answer, and the client gives up after 2 s. The client asks for the "
        "list of orders. What does the client get?",
        (
            Option("200 OK, just later", value="200"),
            Option("500 Internal Server Error", value="500"),
            Option("Nothing: it gives up waiting (a timeout)", value="timeout"),
        ),
        (ASK,),
        "api.first_answer",
        "Shop still does the work and records its answer, but nobody is waiting for it. Shop is "
        "healthy again right after the question fires.",
        prepare=_shop("slow"),
        finish=_shop("healthy"),
    ),
)
PREDICTIONS = Predictions(MEASUREMENTS, QUESTIONS)
