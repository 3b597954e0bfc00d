"""Work that outlives the request or consumer that started it.

asyncio copies the starter's context into every task it creates, and with it the starter's way
back to its thread: Django runs an async view under synchronous middleware through async_to_sync,
so sync_to_async inside that view returns to the request's own thread, an executor that quits
once the request has answered. A task started there that touches the database later — a writer
that batches the hops of many requests, a catch-up that runs after its page has gone — then fails
for every request after the first ("CurrentThreadExecutor already quit"), and what it was writing
is lost. So background tasks start in an empty context, and their database work runs on a thread
that belongs to them.
"""

import asyncio
import contextvars
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import sync_to_async
from django.db import connection


def spawn(coro):
    """Run `coro` as a task that borrows nothing (no context, no executor) from its starter."""
    return asyncio.get_running_loop().create_task(coro, context=contextvars.Context())


class DatabaseThread:
    """One thread, and so one database connection, kept for one background writer's work."""

    def __init__(self, name):
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)

    async def run(self, fn, *args):
        return await sync_to_async(
            _on_a_sound_connection, thread_sensitive=False, executor=self.executor
        )(fn, *args)


def _on_a_sound_connection(fn, *args):
    try:
        return fn(*args)
    except Exception:
        # The connection may be what failed (a database restart): the next call opens a new one.
        connection.close_if_unusable_or_obsolete()
        raise
