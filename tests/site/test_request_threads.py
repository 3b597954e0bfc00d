"""The web server's request threads: a finished request's thread serves the next request, but only
once it is idle, and no more are kept than asked."""

import threading

from playground.asgi_handler import RequestThreads
from tests.helpers import eventually


def thread_of(executor):
    return executor.submit(threading.current_thread).result()


def test_a_finished_requests_thread_serves_the_next_request():
    threads = RequestThreads()
    first = threads.take()
    worker = thread_of(first)
    threads.give_back(first)
    eventually(lambda: threads.idle == [first], message="the thread to be idle again")
    assert threads.take() is first and thread_of(first) is worker


def test_a_thread_still_busy_with_a_hung_up_request_is_not_handed_out_until_its_work_is_done():
    threads = RequestThreads()
    busy = threads.take()
    release = threading.Event()
    busy.submit(release.wait, 10)  # sync work a request left running when its client hung up
    threads.give_back(busy)
    other = threads.take()
    assert other is not busy and threads.idle == []
    release.set()
    eventually(lambda: threads.idle == [busy], message="the busy thread to come back once idle")


def test_no_more_idle_threads_are_kept_than_asked():
    threads = RequestThreads(keep=1)
    taken = [threads.take() for _ in range(3)]
    for executor in taken:
        threads.give_back(executor)
    eventually(
        lambda: len(threads.idle) == 1 and all(e._shutdown for e in taken if e not in threads.idle)
    )
