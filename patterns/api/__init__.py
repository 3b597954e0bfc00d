"""Request/response: a client asks Shop's REST API a question over HTTP and waits for the answer.

It is the baseline every other style is compared with: simple, immediate, easy to reason about
(one request, one response, a status code that says how it went). The trade-off: the client must
be there, wait, and handle everything that can go wrong on the way — a slow server (timeouts), a
failing one (500), one that is gone (connection refused), one that says "slow down" (429) — and to
learn about news it must keep asking (polling), mostly for nothing.
"""
