"""A person's view of the file drop: upload a CSV with a bad row and read the report; export and
pick up with the buttons; a renamed column lands in Rejected; the clock runs and pauses."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from patterns.files import folders
from patterns.files.models import Clock
from tests.servers import ARTIFACTS

pytestmark = pytest.mark.django_db(databases=["default", "shop"], transaction=True)

CSV = (
    "order_id,customer_id,customer_name,total,currency,status,created_at,updated_at\r\n"
    "9001,1,Ada Lovelace,19.99,EUR,paid,2026-11-27T09:00:00+00:00,2026-11-27T09:05:00+00:00\r\n"
    "9002,2,Alan Turing,5.50,EUR,shipped,2026-11-27T10:00:00+00:00,2026-11-27T11:00:00+00:00\r\n"
    "9003,3,Grace Hopper,twelve,EUR,paid,2026-11-27T10:30:00+00:00,2026-11-27T10:31:00+00:00\r\n"
)


@pytest.fixture
def paused(transactional_db):
    import shutil

    shutil.rmtree(folders.root(), ignore_errors=True)
    Clock.objects.create(
        pk=1,
        running=False,
        anchor_real=timezone.now(),
        anchor_story=2 * 86400 + 23 * 3600,
        last_export_day=3,
        last_pickup_day=3,
    )
    yield
    Clock.objects.filter(pk=1).update(running=False)
    shutil.rmtree(folders.root(), ignore_errors=True)


@pytest.fixture
def part(request):
    """Screenshot one part of the page (the shared fixture takes whole pages)."""

    def take(name, locator):
        path = ARTIFACTS / "screenshots" / f"{request.node.name}-{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        locator.screenshot(path=str(path))
        return path

    return take


def test_uploading_a_csv_with_a_bad_row_shows_the_report_by_line(
    browser_server, shop, paused, page, screenshot, part, tmp_path
):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{browser_server.url}/file-drop/")
    expect(page.locator('[data-folder="inbox"] [data-folder-empty]')).to_contain_text(
        "nothing waiting"
    )
    expect(page.locator("[data-files-time]")).to_have_text("Day 3 · 23:00")
    screenshot("1-empty")

    upload = tmp_path / "my orders.csv"
    upload.write_text(CSV, newline="")
    page.locator("[data-files-input]").set_input_files(str(upload))
    page.get_by_role("button", name="Put it in the inbox").click()
    report = page.locator("[data-files-report]")
    expect(report).to_contain_text("2 of 3 rows imported", timeout=15000)
    expect(report.locator("[data-files-bad-rows]")).to_contain_text(
        "Line 4: total: 'twelve' is not an amount"
    )
    expect(page.locator('[data-folder="processed"] [data-file="my_orders.csv"]')).to_contain_text(
        "2 imported, 1 refused"
    )
    expect(page.locator("[data-files-table] tr.files-bad")).to_have_count(1)
    expect(page.locator("[data-log] li[data-message-id]").first).to_be_visible(timeout=15000)
    screenshot("2-upload-report")
    part("2a-stage", page.locator(".style-main > .panel").first)

    page.get_by_role("button", name="Export now (Shop)").click()
    expect(page.locator('[data-folder="inbox"] [data-state="ready"]')).to_have_count(
        1, timeout=15000
    )
    expect(page.locator('[data-folder="outbox"] [data-state="sent"]')).to_have_count(1)
    page.get_by_role("button", name="Pick up now (Accounting)").click()
    expect(page.locator("[data-files-report]")).to_contain_text(
        re.compile(r"(\d+) of \1 rows imported"), timeout=15000
    )  # every order Shop has: its 400, and the few it took before exporting
    expect(page.locator("[data-files-age-value]")).to_contain_text("old")

    page.get_by_role("button", name=re.compile("Schema change")).click()
    expect(page.locator('[data-folder="rejected"] [data-state="rejected"]')).to_have_count(
        1, timeout=15000
    )
    expect(page.locator("[data-files-report]")).to_contain_text("missing column 'total'")
    expect(page.locator("[data-files-table] th.files-bad-col")).to_have_text("✕ amount")
    screenshot("3-rejected-schema-change")
    part("3a-folders", page.locator("[data-files-folders]"))

    page.get_by_role("button", name="Start the story clock").click()
    expect(page.locator("[data-files-running]")).to_have_text("running")
    expect(page.locator("[data-files-next]")).to_contain_text("Next:")
    page.get_by_role("button", name="Pause the story clock").click()
    expect(page.locator("[data-files-running]")).to_have_text("paused")
    assert not errors


def test_a_paused_page_stops_the_story_clock_it_shows_while_the_server_runs_on(
    browser_server, shop, paused, page, screenshot
):
    # The needle moves by itself, on a timer: pausing the page (the stage's Pause here, a room's
    # pause alike) must stop it, as it stops the dots, although the server's story clock runs on.
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{browser_server.url}/file-drop/")
    shown = page.locator("[data-files-time]")
    needle = page.locator("[data-files-needle]")
    page.get_by_role("button", name="Start the story clock").click()
    expect(page.locator("[data-files-running]")).to_have_text("running")
    moving = shown.text_content()
    expect(shown).not_to_have_text(moving)  # running: the page moves the needle itself

    stage = page.locator('[data-stage="stage"]')
    stage.get_by_role("button", name="Pause", exact=True).click()
    expect(stage).to_have_attribute("data-paused", "true")
    frozen, at = shown.text_content(), needle.get_attribute("style")
    story = "async () => (await (await fetch('/api/files')).json()).clock.story_seconds"
    since = page.evaluate(story)
    page.wait_for_function(
        f"async (since) => (await ({story})()) > since + 3600", arg=since, polling=250
    )  # an hour on the server
    expect(shown).to_have_text(frozen)
    assert needle.get_attribute("style") == at
    screenshot("paused")

    stage.get_by_role("button", name="Play", exact=True).click()
    expect(shown).not_to_have_text(frozen)
    assert not errors


def test_export_then_pickup_imports_new_orders_first_thing_and_after_every_other_demo(
    browser_server, shop, paused, page, screenshot, part
):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{browser_server.url}/file-drop/")
    status = page.locator("[data-action-status]")

    def export_then_pickup():
        page.get_by_role("button", name="Export now (Shop)").click()
        expect(status).to_contain_text("new orders since its last export", timeout=15000)
        page.get_by_role("button", name="Pick up now (Accounting)").click()
        expect(status).to_contain_text("1 file(s) read: 1 imported, 0 rejected.", timeout=15000)
        expect(status).not_to_contain_text("already imported")

    export_then_pickup()  # first thing on the page
    export_then_pickup()

    page.get_by_role("button", name=re.compile("Schema change")).click()
    rejected = page.locator('[data-stage="stage"] [data-node="rejected"]')
    expect(rejected).to_have_attribute("data-rejected", "true", timeout=15000)
    expect(rejected).to_contain_text("✕ orders-day-")
    part("1-stage-rejected", page.locator('[data-stage="stage"]'))
    for demo, answer in (
        ("One bad row", "reported line 5 with its reason"),
        ("Partial file (writer dies)", "no manifest: Accounting leaves it alone"),
    ):
        page.get_by_role("button", name=demo).click()
        expect(status).to_contain_text(answer, timeout=15000)
    export_then_pickup()  # after the other demos
    screenshot("2-after-every-demo")
    assert not errors


def test_the_late_file_counts_down_its_night_so_something_moves_while_the_class_waits(
    browser_server, shop, paused, page, screenshot, part
):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{browser_server.url}/file-drop/")
    page.get_by_role("button", name="Late file").click()
    watch = page.locator("[data-files-late-watch]")
    expect(watch).to_be_visible(timeout=15000)
    expect(watch).to_contain_text("The story clock is paused")
    page.get_by_role("button", name="Start the story clock").click()
    expect(watch).to_contain_text(
        "The file is late: Accounting looks at 08:00 and finds nothing", timeout=15000
    )
    countdown = watch.locator("[data-files-late-countdown]")
    expect(countdown).to_contain_text(re.compile(r"Day 4 · 08:00 — in \d+ s"))
    progress = watch.locator("[data-files-late-progress]")
    first = int(progress.get_attribute("value"))
    page.wait_for_function(
        "(v) => Number(document.querySelector('[data-files-late-progress]').value) > v", arg=first
    )  # it moves on its own
    part("1-late-counting-down", page.locator('[data-controls="break"]'))
    # The night really happens: 08:00 finds nothing, and the countdown moves on to 10:00.
    expect(watch).to_contain_text("Accounting found nothing at 08:00", timeout=60000)
    expect(page.locator("[data-log]")).to_contain_text("today's is missing", timeout=15000)
    part("2-late-found-nothing", page.locator('[data-controls="break"]'))
    page.get_by_role("button", name="Pause the story clock").click()
    screenshot("3-late")
    assert not errors
