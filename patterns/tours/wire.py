"""Calls to the playground's own public API over real HTTP, as any outside script would make them."""

import httpx
from django.conf import settings

from patterns.ledger.roomctx import world_header

TIMEOUT = httpx.Timeout(10.0, connect=3.0)


class Wire:
    """One httpx client for a run's calls; every answer comes back as (status, JSON body or None)."""

    def __init__(self, base=None):
        self.base = (base or settings.PLAYGROUND_BASE_URL).rstrip("/")
        self.http = httpx.Client(timeout=TIMEOUT, trust_env=False)

    def call(self, method, path, body=None, headers=None):
        try:
            response = self.http.request(
                method, self.base + path, json=body, headers={**world_header(), **(headers or {})}
            )
        except httpx.HTTPError as exc:
            return 0, {"error": "unreachable", "detail": str(exc)}
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, None

    def close(self):
        self.http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
