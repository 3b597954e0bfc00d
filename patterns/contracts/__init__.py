"""Contracts: the agreement both sides of every exchange make, as one schema per message kind.

Each contract has a name (e.g. `webhooks.payment.completed`), a version and a pydantic model.
The ledger records, for every message, which contract it claims and whether it met it.
"""
