from datetime import datetime

from celery import shared_task


@shared_task(name="ledger.answer_ping")
def answer_ping(correlation_id, started, note="", room=""):
    from .ping import answer

    answer(correlation_id, datetime.fromisoformat(started), note, room)
