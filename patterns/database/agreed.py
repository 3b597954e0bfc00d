"""The same dashboard, the agreed way: numbers computed from Shop's REST API over real HTTP.

The API promises fields (an order's `total` in euros, its `status` as a word, a customer's `city`)
and keeps that promise whatever Shop does inside its database. It costs more — several HTTP
requests and the arithmetic done here — and that is the trade-off the page shows.
"""

import asyncio
import time
from collections import Counter, defaultdict
from datetime import datetime
from decimal import Decimal

import httpx
from django.conf import settings

from patterns.ledger.roomctx import world_header

from .reporting import PANELS, euros, start_of_today

SHOP_API = "/api/shop"  # Shop's REST API (patterns/api): each call is recorded as an exchange too
PAGE = 200  # the largest page Shop's API serves
TIMEOUT = httpx.Timeout(5.0, connect=2.0)
MAX_WAIT = 5.0  # seconds one refresh waits, at most, when Shop says "too many requests"
CLIENT = {"X-Client-Id": "reporting"}  # who is asking, for Shop's per-client rate limit and its log


class ApiFailed(Exception):
    pass


def _retry_after(response):
    try:
        return max(0.0, float(response.headers.get("Retry-After", "1")))
    except ValueError:
        return 1.0


async def fetch_all(client, path, calls):
    """Every item of a paged list, following `next_after`. Each request is noted in `calls`."""
    items, after, waited = [], 0, 0.0
    while True:
        url = f"{SHOP_API}{path}?after={after}&limit={PAGE}"
        started = time.perf_counter()
        try:
            response = await client.get(url)
        except httpx.HTTPError as exc:
            calls.append(
                {
                    "method": "GET",
                    "path": url,
                    "status": 0,
                    "rows": 0,
                    "error": str(exc) or type(exc).__name__,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 3),
                    "fields": [],
                }
            )
            raise ApiFailed(f"GET {url}: {exc or type(exc).__name__}") from None
        body = (
            response.json()
            if response.headers.get("content-type", "").startswith("application/json")
            else {}
        )
        page = body.get("items", []) if response.status_code == 200 else []
        calls.append(
            {
                "method": "GET",
                "path": url,
                "status": response.status_code,
                "rows": len(page),
                "fields": sorted(page[0]) if page else [],
                "error": ""
                if response.status_code == 200
                else body.get("detail", response.reason_phrase),
                "duration_ms": round((time.perf_counter() - started) * 1000, 3),
            }
        )
        if response.status_code == 429 and waited + _retry_after(response) <= MAX_WAIT:
            # A well-behaved client waits as Shop asks and tries again: the dashboard gets slower,
            # not wrong. The refused call stays in `calls`, so the page shows the wait.
            waited += _retry_after(response)
            await asyncio.sleep(_retry_after(response))
            continue
        if response.status_code != 200:
            raise ApiFailed(f"GET {url} answered {response.status_code}")
        items += page
        if not body.get("next_after"):
            return items
        after = body["next_after"]


def numbers(orders, customers):
    """The three panels' values from the agreed fields — the same rules as Reporting's SQL."""
    names = {c["id"]: c for c in customers}
    real = [o for o in orders if o["customer_id"] in names]  # the SQL's inner join
    today = start_of_today()
    placed_today = [o for o in real if datetime.fromisoformat(o["created_at"]) >= today]
    by_status = Counter(
        o["status"] for o in real if not names[o["customer_id"]]["name"].startswith("Test ")
    )
    spent, count = defaultdict(Decimal), Counter()
    for o in real:
        spent[o["customer_id"]] += Decimal(o["total"])
        count[o["customer_id"]] += 1
    top = sorted(spent, key=lambda cid: (-spent[cid], cid))[:5]
    return {
        "revenue_today": {
            "orders": len(placed_today),
            "revenue": euros(sum((Decimal(o["total"]) for o in placed_today), Decimal(0))),
        },
        "orders_by_status": [{"status": s, "orders": by_status[s]} for s in sorted(by_status)],
        "top_customers": [
            {
                "name": names[c]["name"],
                "city": names[c]["city"],
                "orders": count[c],
                "spent": euros(spent[c]),
            }
            for c in top
        ],
    }


def shop_client():
    """Reporting's HTTP client for Shop's API, in the world at hand (signed, never recorded)."""
    return httpx.AsyncClient(
        base_url=settings.PLAYGROUND_BASE_URL,
        timeout=TIMEOUT,
        headers={**CLIENT, **world_header()},
    )


async def dashboard():
    """Every panel through Shop's API. Returns (panels, calls)."""
    calls = []
    try:
        async with shop_client() as client:
            orders = await fetch_all(client, "/orders", calls)
            customers = await fetch_all(client, "/customers", calls)
        values, error = numbers(orders, customers), ""
    except ApiFailed as exc:
        values, error = {}, str(exc)
    duration = round(sum(c["duration_ms"] for c in calls), 3)
    panels = {
        panel: {
            "title": title,
            "ok": not error,
            "value": values.get(panel),
            "error": error,
            "duration_ms": duration,
        }
        for panel, (title, _) in PANELS.items()
    }
    return panels, calls
