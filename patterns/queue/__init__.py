"""Message queue: work is put in a line and background workers take it one job at a time.

What it demonstrates: a web request only *enqueues* a job (a real Celery task on the broker) and
answers at once; worker processes drain the line at their own pace, so a slow email or a spike of
10,000 page views never blocks a user or topples the site. Jobs are acknowledged late, so a worker
that dies mid-job hands its job back; every side effect is idempotent on the job's id, so a job
delivered twice does its work once. Failing jobs retry with back-off, then wait in a dead-letter list.

The trade-off: the answer comes later (the user is told "we'll email you", not "emailed"), a
backlog can grow unseen unless you watch it, and you must design for delivery more than once.
"""
