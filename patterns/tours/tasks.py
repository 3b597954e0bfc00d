from celery import shared_task


@shared_task(name="tours.start_run", acks_late=True)
def start_run(run_id):
    """Ship the order and start every lane (in a worker: the lanes call the web server over HTTP)."""
    from .runs import start

    start(run_id)


@shared_task(name="tours.compare_tick", ignore_result=True)
def compare_tick():
    from .runs import tick

    return tick()
