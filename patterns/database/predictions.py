"""What a prediction about direct database access is decided by: which of Reporting's reads broke
(report.query / report.api_call hops) and what the console's statement did (console.query)."""

from patterns.site.predictions import Measured, Measurement, Option, Predictions, Question, Step


def _broken(run, kind):
    reads = run.messages(style="database", kind=kind)
    if not reads.exists():
        return Measured(None, "Reporting has not refreshed yet")
    broken = reads.filter(status="error")
    names = sorted({m.payload.get("panel") or m.payload.get("path", "") for m in broken})
    return Measured(
        broken.count(),
        f"{broken.count()} of {reads.count()} read(s) failed"
        + (f": {', '.join(names)}" if names else ""),
    )


def panels_broken(run):
    return _broken(run, "report.query")


def api_calls_broken(run):
    return _broken(run, "report.api_call")


def console_statement(run):
    answer = run.messages(style="database", kind="console.query").first()
    if answer is None:
        return Measured(None, "the console has not answered yet")
    if answer.status == "ok":
        return Measured("ran", "the statement ran")
    return Measured("refused", answer.error)


MEASUREMENTS = (
    Measurement(
        "database.panels_broken",
        "Dashboard panels whose query failed (reading Shop's tables directly)",
        panels_broken,
        unit="panels",
    ),
    Measurement(
        "database.api_calls_broken",
        "Dashboard calls to Shop's API that failed",
        api_calls_broken,
        unit="calls",
    ),
    Measurement(
        "database.console_statement",
        "What happened to the console's statement",
        console_statement,
        values={"ran": "it ran", "refused": "it was refused"},
    ),
)
RENAME = Step("database", "schema", {"change": "rename_column"})
RESTORE = Step("database", "schema", {"change": "restore"})
QUESTIONS = (
    Question(
        "database.rename-direct",
        "database",
        "Shop renames the column total to amount in its orders table. Reporting's dashboard "
        "reads Shop's tables directly. How many of its 3 panels break?",
        (
            Option("None: the database tells Reporting about the change", low=0, high=0),
            Option("Some: the panels whose queries name total", low=1, high=2),
            Option("All 3", low=3),
        ),
        (RENAME, Step("database", "dashboard", {"via": "direct"}), RESTORE),
        "database.panels_broken",
        "A direct reader depends on every column it names, and nobody told it. Shop's schema is "
        "restored right after the dashboard refreshes.",
        shared=True,
    ),
    Question(
        "database.rename-api",
        "database",
        "Shop renames the column total to amount again, but this time Reporting reads through "
        "Shop's API instead of its tables. How many of the dashboard's calls break?",
        (
            Option("None: the API's contract stays the same", low=0, high=0),
            Option("Some", low=1, high=2),
            Option("All of them", low=3),
        ),
        (RENAME, Step("database", "dashboard", {"via": "api"}), RESTORE),
        "database.api_calls_broken",
        "An agreed interface lets Shop change its insides. Shop's schema is restored right after.",
        shared=True,
    ),
    Question(
        "database.console-delete",
        "database",
        "In the console, connected to Shop's database, someone types DELETE FROM shop_order. "
        "What happens?",
        (
            Option("Every order is deleted", value="ran"),
            Option("It is refused: the connection is read-only", value="refused"),
        ),
        (Step("database", "query", {"sql": "DELETE FROM shop_order"}),),
        "database.console_statement",
        "Read-only in fact, not by convention: the database itself refuses the write.",
    ),
)
PREDICTIONS = Predictions(MEASUREMENTS, QUESTIONS)
