"""What a prediction about streaming is decided by: the stream messages a question published, as
the ledger stored them (their sequence numbers and how long storing took)."""

from django.db.models import Max

from patterns.site.predictions import Measured, Measurement, Option, Predictions, Question, Step

PRICES = 20  # 1 s of prices at 20 a second (scaled down from 10 s)
LINES = 10


def _published(run, kind):
    return run.messages(style="streams", hop="published", kind=kind)


def prices_stored(run):
    fired = len(run.returned("seq"))
    n = _published(run, "ticker.price").filter(payload__seq__in=run.returned("seq")).count()
    if fired < PRICES:
        return Measured(None, f"{fired} prices published so far")
    return Measured(n, f"{n} of the {fired} prices are stored with their sequence numbers")


def chat_sequence(run):
    seqs = sorted(run.returned("seq"))
    if not seqs:
        return Measured(None, "no chat line has been sent yet")
    if len(set(seqs)) < len(seqs):
        return Measured("duplicates", f"sequence numbers {seqs}: some lines share one")
    if seqs[-1] - seqs[0] + 1 != len(seqs):
        return Measured("gaps", f"sequence numbers {seqs}: some numbers were skipped")
    return Measured("consecutive", f"sequence numbers {seqs[0]} to {seqs[-1]}, one after another")


def storing_ms(run):
    rows = _published(run, "ticker.price").filter(payload__seq__in=run.returned("seq"))
    if not rows.exists():
        return Measured(None, "no price has been stored yet")
    worst = round(rows.aggregate(m=Max("latency_ms"))["m"] or 0, 1)
    return Measured(worst, f"the slowest price took {worst} ms from being made to being stored")


MEASUREMENTS = (
    Measurement(
        "streams.prices_stored",
        "Prices stored in the stream's log, ready for a viewer who comes back",
        prices_stored,
        unit="prices",
    ),
    Measurement(
        "streams.chat_sequence",
        "The chat lines' sequence numbers",
        chat_sequence,
        values={
            "consecutive": "one after another, no gaps",
            "gaps": "some numbers skipped",
            "duplicates": "some lines share a number",
        },
    ),
    Measurement(
        "streams.storing_ms",
        "Slowest time from a price being made to being stored (before it is pushed)",
        storing_ms,
        unit="ms",
    ),
)
TICK = Step("streams", "ticker", count=PRICES)
QUESTIONS = (
    Question(
        "streams.prices-while-away",
        "streams",
        f"Your connection drops while {PRICES} prices are published (1 s at 20 a second, scaled "
        "down from 10 s). How many of those prices does the server keep for you when you come "
        "back?",
        (
            Option("None: a stream only pushes to whoever is connected", low=0, high=0),
            Option("Only the latest one", low=1, high=1),
            Option(f"All {PRICES}: each is stored with a sequence number", low=PRICES, high=PRICES),
        ),
        (TICK,),
        "streams.prices_stored",
        "Every message is stored before it is pushed, so a viewer resumes after the last sequence "
        "number it saw. The ticker page then shows only the newest price and says how many it "
        "skipped; chat replays every line.",
    ),
    Question(
        "streams.chat-sequence",
        "streams",
        f"{LINES} chat lines are sent one after another. What sequence numbers do they get?",
        (
            Option("One after another, no gaps", value="consecutive"),
            Option("Some numbers are skipped", value="gaps"),
            Option("Some lines share a number", value="duplicates"),
        ),
        (Step("streams", "chat", {"nick": "quiz", "text": "hello"}, count=LINES),),
        "streams.chat_sequence",
        "The server hands out the next number under a lock, so a viewer can tell a gap from "
        "nothing new.",
    ),
    Question(
        "streams.storing-delay",
        "streams",
        f"{PRICES} prices are published. How long does the slowest take from being made to "
        "being stored, ready to push?",
        (
            Option("Under 50 ms", high=50),
            Option("50 ms to 1 s", low=50, high=1000),
            Option("More than a second", low=1000),
        ),
        (TICK,),
        "streams.storing_ms",
        "Storing first costs a database write per message; it is what makes resuming possible.",
    ),
)
PREDICTIONS = Predictions(MEASUREMENTS, QUESTIONS)
