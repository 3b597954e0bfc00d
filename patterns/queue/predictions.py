"""What a prediction about the queue is decided by: what the workers did with the jobs a question
queued (their "started", "done" and "dead" hops in the ledger)."""

from django.db.models import Max

from patterns.site import storytime
from patterns.site.predictions import Measured, Measurement, Option, Predictions, Question, Step

SIGNUPS = 12  # scaled down from 10,000 so the run takes seconds; the shape is the same


def _jobs(run):
    return run.returned("job_id")


def emails_sent(run):
    """Jobs done once every job of the run is done or dead (None before)."""
    ids = _jobs(run)
    hops = run.messages(style="queue", correlation_id__in=ids)
    done = hops.filter(hop="done").values("correlation_id").distinct().count()
    dead = hops.filter(hop="dead").values("correlation_id").distinct().count()
    if done + dead < len(ids):
        return Measured(None, f"{done + dead} of {len(ids)} jobs finished so far")
    return Measured(done, f"{done} of {len(ids)} queued emails were sent, {dead} gave up")


def tries_before_dead(run):
    ids = _jobs(run)[:1]
    hops = run.messages(style="queue", correlation_id__in=ids)
    if not hops.filter(hop="dead").exists():
        if hops.filter(hop="done").exists():
            return Measured(0, "the job succeeded: it never became a dead letter")
        return Measured(None, "the job is still being tried")
    n = hops.filter(hop="started").count()
    return Measured(n, f"a worker started the job {n} time(s), then put it aside as dead")


def longest_wait(run):
    """The longest any of the run's jobs waited in the queue, in story minutes."""
    ids = _jobs(run)
    started = run.messages(style="queue", hop="started", attempt=1, correlation_id__in=ids)
    if started.values("correlation_id").distinct().count() < len(ids):
        return Measured(None, "some jobs are still waiting for a worker")
    waited_ms = started.aggregate(m=Max("duration_ms"))["m"] or 0
    minutes = round(storytime.to_story(waited_ms / 1000) / 60, 1)
    return Measured(minutes, f"the last job waited {minutes} story minutes before a worker took it")


MEASUREMENTS = (
    Measurement("queue.emails_sent", "Queued emails that were sent", emails_sent, unit="emails"),
    Measurement(
        "queue.tries_before_dead",
        "Times a worker tried the job before it became a dead letter",
        tries_before_dead,
        unit="tries",
    ),
    Measurement(
        "queue.longest_wait",
        "Longest wait in the queue before a worker took a job",
        longest_wait,
        unit="story minutes",
    ),
)
SIGNUP = Step("queue", "email", count=SIGNUPS)
QUESTIONS = (
    Question(
        "queue.spike-all-sent",
        "queue",
        f"A spike: {SIGNUPS} people sign up at once (scaled down from 10,000) and each welcome "
        "email takes a worker 20 story minutes. The sign-up page answered every one at once. "
        "How many welcome emails are sent once the workers catch up?",
        (
            Option("Fewer: a queue drops what it cannot handle", low=0, high=SIGNUPS - 1),
            Option(f"All {SIGNUPS}, later", low=SIGNUPS, high=SIGNUPS),
            Option(f"More than {SIGNUPS}: some are sent twice", low=SIGNUPS + 1),
        ),
        (SIGNUP,),
        "queue.emails_sent",
        "The queue absorbs the spike: nobody is turned away, the work waits its turn.",
    ),
    Question(
        "queue.spike-wait",
        "queue",
        f"{SIGNUPS} sign-ups arrive at once and the workers share them (each email: 20 story "
        "minutes of work). How long does the last email wait in the queue before a worker "
        "takes it?",
        (
            Option("No wait: queues are instant", high=5),
            Option("About one email's time (5 to 30 story minutes)", low=5, high=30),
            Option("Much longer: more than half a story hour", low=30),
        ),
        (SIGNUP,),
        "queue.longest_wait",
        "The page answers at once; the wait moves into the queue and grows with the backlog "
        "divided by the number of workers.",
    ),
    Question(
        "queue.always-fails",
        "queue",
        "A thumbnail job fails every time it runs. How many times will a worker try it before "
        "it is put aside as a dead letter?",
        (
            Option("Once", low=1, high=1),
            Option("2 or 3 times", low=2, high=3),
            Option(
                "4 times: the first try and 3 retries, further and further apart", low=4, high=4
            ),
            Option("Forever, until someone stops it", low=5),
        ),
        (Step("queue", "thumbnail", {"fail_rate": 1}),),
        "queue.tries_before_dead",
        "Retries back off (30, 60, 120 story minutes); after the last one the job waits in the "
        "dead-letter list for a person to look at it.",
    ),
)
PREDICTIONS = Predictions(MEASUREMENTS, QUESTIONS)
