"""The guided tour of this style: its steps, fired through the style's own public API."""

from patterns.site.lessons import BREAK, DO, LOG, STAGE, act, step

SHOP_42 = act("POST", "/api/api/console", {"method": "GET", "path": "/api/shop/orders/42"})

TOUR = {
    "title": "Asking at the counter",
    "summary": "A client asks Shop's REST API, waits, and gets an answer — or learns what went wrong.",
    "cleanup": [act("PUT", "/api/api/shop-mode", {"mode": "healthy"})],
    "steps": [
        step(
            "The counter",
            "A request/response API is like asking at a counter: you walk up, ask one "
            "question and wait while the clerk answers. On the stage, callers on the left ask Shop on the right.",
            highlight=STAGE,
        ),
        step(
            "Ask one question",
            "The app asks: “how is order 42?” — one GET request. Shop looks it up and "
            "answers 200 with the order. Two dots: the question, then the answer.",
            do=[SHOP_42],
            expect={"request": 1, "response": 1},
            highlight=STAGE,
        ),
        step(
            "Ask Shop to do something",
            "Now the app places an order: a POST with a JSON body. Shop checks "
            "the body against its contract and answers 201 Created with the new order.",
            do=[act("POST", "/api/api/orders", {})],
            expect={"request": 1, "response": 1},
            highlight=DO,
        ),
        step(
            "Ask for something that is not there",
            "The clerk can also say no. Order 999999 does not "
            "exist, so Shop answers 404 — a clear status code, not silence.",
            do=[
                act(
                    "POST", "/api/api/console", {"method": "GET", "path": "/api/shop/orders/999999"}
                )
            ],
            expect={"request": 1, "response": 1},
            highlight=LOG,
        ),
        step(
            "The counter is closed",
            "Shop goes down. The app asks again and nobody answers: the "
            "connection is refused. The client must be there, and Shop must be there, at the same moment.",
            do=[act("PUT", "/api/api/shop-mode", {"mode": "down"}), SHOP_42],
            expect={"refused": 1},
            highlight=BREAK,
        ),
        step(
            "Open again",
            "Shop is back; the same question gets its answer at once. Notice what the app "
            "never hears about: news. To learn that order 42 shipped, it has to keep asking (polling).",
            do=[act("PUT", "/api/api/shop-mode", {"mode": "healthy"}), SHOP_42],
            expect={"request": 1, "response": 1},
            highlight=STAGE,
        ),
    ],
}
