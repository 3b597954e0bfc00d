"""Group commit: concurrent requests' hops share one transaction, and one bad hop fails only its
own request, never its neighbours'."""

import asyncio

import pytest

from patterns.api import groupcommit
from patterns.ledger.models import Message

pytestmark = pytest.mark.django_db(transaction=True)


def hop(n, **extra):
    return {"style": "api", "kind": "test", "hop": "request", "source": "app", "target": "shop", "uid": f"gc-{n}", **extra}


def test_hops_recorded_together_are_all_written_once():
    async def many():
        await asyncio.gather(*(groupcommit.record([hop(n), hop(f"{n}-r", hop="response")]) for n in range(20)))
    asyncio.run(many())
    assert Message.objects.count() == 40
    asyncio.run(many())  # the same uids again: nothing doubled
    assert Message.objects.count() == 40


def test_one_bad_hop_fails_only_its_own_request():
    async def mixed():
        return await asyncio.gather(groupcommit.record([hop(1)]), groupcommit.record([hop(2, nonsense=True)]),
                                    groupcommit.record([hop(3)]), return_exceptions=True)
    results = asyncio.run(mixed())
    assert results[0] is None and isinstance(results[1], TypeError) and results[2] is None
    assert sorted(Message.objects.values_list("uid", flat=True)) == ["gc-1", "gc-3"]
