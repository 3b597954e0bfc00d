"""The broker, asked directly: how many jobs wait in the queue, and which broker this is.

Depth is never guessed from the ledger: it is the broker's own count (a passive queue declare,
which kombu answers with LLEN on Redis and with the queue's message count on RabbitMQ).
"""

from urllib.parse import urlsplit, urlunsplit

from .kinds import QUEUE

NAMES = {
    "redis": "Redis",
    "rediss": "Redis",
    "redis+socket": "Redis",
    "amqp": "RabbitMQ",
    "amqps": "RabbitMQ",
    "pyamqp": "RabbitMQ",
}


def app():
    from celery import current_app as app  # the project's, made current when Django loads

    return app


def depth(queue=QUEUE):
    """Jobs waiting in the broker queue (not counting those a worker holds unacknowledged)."""
    with app().pool.acquire(block=True, timeout=5) as connection:
        channel = connection.channel()
        try:
            return channel.queue_declare(queue=queue, passive=True).message_count
        except connection.channel_errors:
            return 0  # the queue does not exist yet: nothing was ever sent to it
        finally:
            try:
                channel.close()
            except Exception:  # a failed passive declare closes an AMQP channel by itself
                pass


def _safe(url):
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":•••@")
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    return url


def describe():
    url = app().conf.broker_url
    scheme = urlsplit(url).scheme
    name = NAMES.get(scheme, scheme)
    dead = (
        "RabbitMQ could route dead jobs to a dead-letter exchange; the playground keeps its own list in "
        "the database so both brokers behave alike."
        if name == "RabbitMQ"
        else "Redis has no dead-letter exchange: the playground keeps dead jobs in its database."
    )
    return {
        "name": name,
        "transport": scheme,
        "url": _safe(url),
        "queue": QUEUE,
        "dead_letters": dead,
    }
