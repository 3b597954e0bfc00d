"""What a prediction about webhooks is decided by: delivery attempts and what Shop's receiver did,
read from the ledger's hops for the events a question fired."""

from datetime import timedelta

from django.utils import timezone

from patterns.site import storytime
from patterns.site.predictions import Measured, Measurement, Option, Predictions, Question, Step

STORY_HOUR = 3600


def _events(run):
    return run.messages(style="webhooks", hop="event", correlation_id__in=run.returned("event_id"))


def _attempts_within_story_hour(run, hops):
    """How many `hops` rows of the run's events were recorded within one story hour of the event;
    None until that hour has passed."""
    first = _events(run).first()
    if first is None:
        return None, "the event has not been recorded yet"
    until = first.created_at + timedelta(seconds=storytime.to_real(STORY_HOUR))
    if timezone.now() < until:
        return None, f"waiting for one story hour ({storytime.describe(STORY_HOUR)}) to pass"
    found = hops(run).filter(correlation_id=first.correlation_id, created_at__lte=until)
    return found.count(), ""


def attempts_in_an_hour(run):
    value, waiting = _attempts_within_story_hour(
        run, lambda r: r.messages(style="webhooks", hop="attempt", target="shop")
    )
    if value is None:
        return Measured(None, waiting)
    return Measured(
        value, f"Payments sent {value} delivery attempt(s) to Shop within one story hour"
    )


def received_in_an_hour(run):
    value, waiting = _attempts_within_story_hour(
        run, lambda r: r.messages(style="webhooks", source="shop", target="shop")
    )
    if value is None:
        return Measured(None, waiting)
    return Measured(value, f"Shop's receiver recorded {value} request(s) within one story hour")


def attempts_until_processed(run):
    """Attempts up to and including the one Shop processed; None until Shop has processed it."""
    first = _events(run).first()
    if first is None:
        return Measured(None, "the event has not been recorded yet")
    done = run.messages(correlation_id=first.correlation_id, hop="processed").first()
    if done is None:
        return Measured(None, "Shop has not processed the event yet")
    tries = run.messages(
        style="webhooks", hop="attempt", target="shop", correlation_id=first.correlation_id
    ).filter(id__lt=done.id)
    n = tries.count()
    return Measured(n, f"attempt {n} was the one Shop processed")


def _mode(name):
    def prepare():
        from .shop import set_mode

        set_mode(name)

    return prepare


PAY = Step("webhooks", "payment.completed")
MEASUREMENTS = (
    Measurement(
        "webhooks.attempts_in_a_story_hour",
        "Delivery attempts to Shop within one story hour of the event",
        attempts_in_an_hour,
        unit="attempts",
    ),
    Measurement(
        "webhooks.received_in_a_story_hour",
        "Requests Shop's receiver saw within one story hour of the event",
        received_in_an_hour,
        unit="requests",
    ),
    Measurement(
        "webhooks.attempts_until_processed",
        "Delivery attempts until Shop processed the event",
        attempts_until_processed,
        unit="attempts",
    ),
)
QUESTIONS = (
    Question(
        "webhooks.offline-attempts",
        "webhooks",
        "Shop's receiver is offline. Payments fires payment.completed. How many delivery "
        "attempts will Payments have made one story hour later?",
        (
            Option("None: nobody is listening, so nothing is sent", low=0, high=0),
            Option("1, then it gives up", low=1, high=1),
            Option("A few (2 to 5), further and further apart", low=2, high=5),
            Option("All 8 tries of the retry ladder", low=6),
        ),
        (PAY,),
        "webhooks.attempts_in_a_story_hour",
        "The sender retries on a ladder: at once, 5 s, 5 min, 30 min, 2 h … (story time). "
        "The receiver stays offline until you switch it back or Reset.",
        prepare=_mode("offline"),
    ),
    Question(
        "webhooks.offline-received",
        "webhooks",
        "Shop's receiver is offline. Payments fires payment.completed and retries. How many "
        "requests will Shop's receiver have seen one story hour later?",
        (
            Option("None", low=0, high=0),
            Option("1: the first one", low=1, high=1),
            Option("One per attempt", low=2),
        ),
        (PAY,),
        "webhooks.received_in_a_story_hour",
        "An offline server refuses the connection: the attempts happen, but none arrives. "
        "The receiver stays offline until you switch it back or Reset.",
        prepare=_mode("offline"),
    ),
    Question(
        "webhooks.flaky-until-processed",
        "webhooks",
        "Shop's receiver is flaky: two requests out of three fail. Payments fires "
        "payment.completed. On which attempt does Shop process it?",
        (
            Option("The first", low=1, high=1),
            Option("The second", low=2, high=2),
            Option("The third", low=3, high=3),
            Option("Later, or never", low=4),
        ),
        (PAY,),
        "webhooks.attempts_until_processed",
        "Each failed attempt is retried by the ladder; Shop acts on the event once, whatever "
        "the number of tries. The receiver stays flaky until you switch it back or Reset.",
        prepare=_mode("flaky"),
    ),
)
PREDICTIONS = Predictions(MEASUREMENTS, QUESTIONS)
