from celery import shared_task


@shared_task(name="files.tick", ignore_result=True)
def tick():
    """Beat's tick: run the export or the pickup if the story clock says one is due."""
    from .night import tick as run

    run()
