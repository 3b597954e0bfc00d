"""A person at the Message queue page: pause, send a spike, watch the line fill and drain to zero,
compare blocking and queued sign-ups, kill a worker mid-job, and requeue a dead job."""

import re

from playwright.sync_api import expect

from patterns.queue.models import Effect
from patterns.rooms.models import Room
from tests.servers import ARTIFACTS


def region(page, request, selector, name):
    """A close-up screenshot of one part of the page (the full-page ones are scaled down to look at)."""
    page.locator(selector).first.screenshot(
        path=str(ARTIFACTS / "screenshots" / f"{request.node.name}-{name}.png")
    )


def test_a_spike_fills_the_queue_a_crash_mid_drain_loses_nothing_and_it_drains_to_zero(
    browser_server, page, screenshot, request
):
    """One spike of 1,000 jobs for the whole story (each spike drains for most of a minute on a
    busy machine): the backlog while paused, the busy lanes, a crash mid-job, the drained queue."""
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{browser_server.url}/queue/")
    expect(page.locator("[data-feed-state]")).to_have_text("Live")
    expect(page.locator("[data-broker-name]")).to_have_text("Redis")
    expect(page.locator("[data-lanes] li[data-pid]").first).to_be_visible(timeout=15000)
    screenshot("empty")

    page.get_by_role("button", name="Pause taking jobs").click()
    expect(page.locator("[data-paused-note]")).to_be_visible(timeout=15000)
    page.get_by_role("button", name="1,000 jobs").click()
    expect(page.locator("[data-action-status]")).to_contain_text(
        "1,000 analytics jobs on the queue", timeout=30000
    )
    depth = page.locator("[data-depth]")
    expect(depth).to_have_text("1,000", timeout=15000)  # the broker holds every one of them
    expect(page.locator("[data-queue-tokens] .q-more")).to_contain_text("more")
    screenshot("backlog")

    page.get_by_role("button", name="Resume taking jobs").click()
    expect(page.locator("[data-progress]")).to_be_visible(timeout=15000)
    expect(page.locator("[data-progress-text]")).to_contain_text(
        re.compile(r"left at|Drained"), timeout=15000
    )
    screenshot("draining")
    region(page, request, ".style-main > .panel", "stage-draining")
    # Jobs of ~20 ms: a process between two of them is still working through the queue.
    expect(page.locator("[data-lanes] li[data-busy=true]")).not_to_have_count(0, timeout=15000)
    region(page, request, "[data-queue-board]", "board-busy")
    page.get_by_role("button", name="Crash a worker mid-job").click()
    expect(page.locator("[data-action-status]")).to_contain_text("SIGKILL", timeout=15000)

    # The broker puts the killed job back at the end of the queue: it runs again after the spike.
    expect(depth).to_have_text("0", timeout=120000)
    expect(page.locator('[data-count="done"]')).to_have_text("1,000", timeout=60000)
    expect(page.locator('[data-count="redelivered"]')).to_have_text("1", timeout=15000)
    expect(page.locator('[data-effect="analytics"]')).to_have_text("1,000")
    expect(page.locator("[data-reconcile]")).to_contain_text(
        "✓ Every job accounted for: 1,000 sent = 1,000 done + 0 dead", timeout=30000
    )
    screenshot("drained")
    assert not errors


def test_blocking_and_queued_sign_ups_show_how_long_the_user_waited(
    browser_server, page, screenshot
):
    page.goto(f"{browser_server.url}/queue/")
    expect(page.locator("[data-feed-state]")).to_have_text("Live")
    page.get_by_label("Send the email inside the request (the user waits)").check()
    page.get_by_role("button", name="Sign up", exact=True).click()
    blocking = page.locator('[data-compare-row="blocking"] [data-compare-ms]')
    expect(blocking).to_contain_text("server:", timeout=15000)
    page.get_by_label("Put it on the queue (the user gets an answer at once)").check()
    page.get_by_role("button", name="Sign up", exact=True).click()
    queued = page.locator('[data-compare-row="queued"] [data-compare-ms]')
    expect(queued).to_contain_text("server:", timeout=15000)
    expect(page.locator('[data-effect="email"]')).to_have_text("2", timeout=15000)
    assert Effect.objects.filter(kind="email").count() == 2
    screenshot("compare")


def test_a_crash_mid_job_and_a_dead_job_can_be_seen_and_recovered(
    browser_server, page, screenshot, request
):
    page.goto(f"{browser_server.url}/queue/")
    expect(page.locator("[data-feed-state]")).to_have_text("Live")
    page.get_by_role("button", name="Send a job that always fails").click()
    page.get_by_label("Or send").fill("4")
    page.get_by_label("Kind of job", exact=True).select_option("thumbnail")
    page.get_by_role("button", name="Send them").click()
    expect(page.locator("[data-lanes] li[data-busy=true]")).not_to_have_count(0, timeout=15000)
    page.get_by_role("button", name="Crash a worker mid-job").click()
    expect(page.locator("[data-action-status]")).to_contain_text("SIGKILL", timeout=15000)
    expect(page.locator('[data-count="redelivered"]')).to_have_text("1", timeout=30000)
    expect(page.locator('[data-effect="thumbnail"]')).to_have_text(
        "4", timeout=30000
    )  # four photos, four thumbnails: none lost, none doubled
    expect(page.locator("[data-reconcile]")).to_contain_text(
        "✓ Every job accounted for: 5 sent = 4 done + 1 dead", timeout=60000
    )

    dead = page.locator("[data-dead-list] li[data-dead-id]")
    expect(dead).to_have_count(1, timeout=60000)
    expect(dead).to_contain_text("after 4 attempts")
    screenshot("dead")
    region(page, request, ".style-main > .panel", "stage-dead")
    region(page, request, ".style-side", "side-dead")
    dead.get_by_role("button", name="Requeue").click()
    expect(page.locator("[data-dead-empty]")).to_be_visible(timeout=15000)
    expect(page.locator('[data-effect="email"]')).to_have_text("1", timeout=30000)
    page.locator("[data-log] li[data-message-id]").first.get_by_role("button").click()
    expect(page.locator("[data-inspector] .timeline li").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        "the page scrolls sideways"
    )
    screenshot("recovered")


def test_text_from_the_ledger_is_shown_as_text_never_as_markup(browser_server, page):
    from patterns.queue.models import DeadLetter

    DeadLetter.objects.create(
        job_id="feedfacecafe",
        kind="email",
        job={},
        attempts=4,
        error='<img src=x onerror="document.body.dataset.pwned=1">',
    )
    page.goto(f"{browser_server.url}/queue/")
    dead = page.locator("[data-dead-list] li[data-dead-id]")
    expect(dead).to_contain_text('<img src=x onerror="document.body.dataset.pwned=1">')
    assert dead.locator("img").count() == 0
    assert page.evaluate("document.body.dataset.pwned") is None


def test_a_rooms_board_counts_the_rooms_jobs_and_the_shared_demos_board_does_not(
    browser_server, browser, page, request
):
    room, key = Room.open("queue")
    instructor = browser.new_context(viewport={"width": 1366, "height": 768})
    instructor.add_init_script(f"localStorage.setItem('playground.roomKey.{room.code}', '{key}')")
    in_room = instructor.new_page()
    try:
        in_room.goto(f"{browser_server.url}/queue/?room={room.code}")
        expect(in_room.locator("[data-room-banner]")).to_contain_text(f"Room {room.code}")
        expect(in_room.locator("[data-feed-state]")).to_have_text("Live")
        in_room.get_by_role("button", name="Upload a photo → make a thumbnail").click()
        expect(in_room.locator('[data-count="done"]')).to_have_text("1", timeout=30000)
        expect(in_room.locator("[data-effect=thumbnail]")).to_have_text("1")
        expect(in_room.locator("[data-depth-note]")).to_contain_text("every room's waiting jobs")
        region(in_room, request, "[data-queue-board]", "room-board")

        page.goto(f"{browser_server.url}/queue/")
        expect(page.locator("[data-feed-state]")).to_have_text("Live")
        expect(page.locator("[data-lanes] li[data-pid]").first).to_be_visible(timeout=15000)
        expect(page.locator('[data-count="sent"]')).to_have_text("0")
        expect(page.locator("[data-effect=thumbnail]")).to_have_text("0")
        assert Effect.objects.get().room == room.code
    finally:
        instructor.close()
