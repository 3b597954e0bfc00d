"""The kinds of background job a user action can enqueue, and the limits of the style.

Work durations are told in story time (a welcome email takes "20 min" of the story) and run
PLAYGROUND_TIME_SCALE times faster, like every schedule in the playground.
"""

from dataclasses import dataclass

from patterns.site import storytime

QUEUE = "jobs"  # the broker queue the jobs wait in (settings.CELERY_TASK_QUEUES)
MAX_COUNT = 10_000  # most jobs one request may enqueue (a spike)
MAX_DURATION_MS = 60_000
MAX_RETRIES = 3  # after the first attempt: a job gets 4 tries, then it is dead
BACKOFF_STORY_SECONDS = 30 * 60  # first retry waits 30 min (story), then 60, then 120


@dataclass(frozen=True)
class JobKind:
    key: str
    action: str  # the user action that enqueues it
    job: str  # what the worker does
    target: str  # the system the job's side effect reaches (a stage node)
    effect: str  # the side effect, counted on the page
    story_seconds: float  # how long the work takes, in story time

    def duration_ms(self):
        return round(storytime.to_real(self.story_seconds) * 1000, 1)


KINDS = {
    k.key: k
    for k in [
        JobKind("email", "sign up", "send a welcome email", "mailer", "emails sent", 20 * 60),
        JobKind(
            "thumbnail", "upload a photo", "make a thumbnail", "storage", "thumbnails made", 40 * 60
        ),
        JobKind(
            "analytics",
            "view a page",
            "update the analytics",
            "analytics",
            "page views counted",
            30,
        ),
        JobKind(
            "noop", "benchmark", "do nothing (for the benchmark)", "analytics", "no-op jobs", 0
        ),
    ]
}


def backoff_seconds(attempt):
    """Real seconds to wait after failed attempt `attempt` (1, 2, 3 …): exponential."""
    return storytime.to_real(BACKOFF_STORY_SECONDS * 2 ** (attempt - 1))
