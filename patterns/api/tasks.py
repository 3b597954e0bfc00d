from celery import shared_task


@shared_task(name="api.poll_tick", ignore_result=True)
def poll_tick():
    """Beat's tick: the poller asks Shop if a poll is due (it decides; the tick is cheap otherwise)."""
    from .poller import tick

    tick()
