"""Shop: the business whose story every style tells — its customers and orders, in its own database.

Shop is a system of the cast, not a style: its REST API (request/response style), its nightly CSV
(file drop), its order events and the tables Reporting peeks into (direct database access) all
show the same orders. It lives in a second database ("shop"), separate from the ledger, and its
own code reads it through `store` — which knows about Shop's schema changes, because Shop ships
a migration together with the code that understands it. Outsiders reading the tables do not.
"""
