"""A learner's view of the guided tours and of "one order, six ways": every tour runs to its end
on its style's own page, keyboard only, and every step's actions put their messages in the ledger;
the comparison shows every built style for one order, and says which are not built yet."""

import re

import pytest
from django.db.models import Max
from playwright.sync_api import expect

from patterns.ledger.models import Message
from patterns.site.styles import BY_KEY, STYLES
from patterns.tours import lanes
from patterns.tours.scripts import tours
from tests.servers import ARTIFACTS

PANEL = "[data-tour]"
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "shop"])

TOURS = tours()


def last_id():
    return Message.objects.aggregate(last=Max("id"))["last"] or 0


@pytest.mark.parametrize("style", sorted(key for key in TOURS if key in BY_KEY))
def test_each_tour_runs_to_the_end_and_every_step_records_its_messages(
    browser_server, shop, page, screenshot, style, request
):
    if style == "streams":  # its tour starts the ticker, which needs the streams producer
        request.getfixturevalue("producer")
    tour = TOURS[style]
    cursor = last_id()
    page.goto(f"{browser_server.url}/tours/{style}/")
    expect(page).to_have_url(re.compile(rf"{BY_KEY[style].url}\?tour={style}$"))
    panel = page.locator(PANEL)
    for number, step in enumerate(tour["steps"], start=1):
        expect(panel).to_have_attribute("data-tour-step", str(number))
        expect(panel.locator(".tour-title")).to_have_text(step["title"])
        if step["actions"]:
            expect(panel).to_have_attribute("data-tour-verified", "ok", timeout=60000)
            hops = Message.objects.filter(style=style, id__gt=cursor).values_list("hop", flat=True)
            for hop, count in step["expect"].items():
                assert list(hops).count(hop) >= count, (step["title"], hop, list(hops))
        if number == 2:
            screenshot("step-2")
        cursor = last_id()
        page.keyboard.press("Enter" if number % 2 else "ArrowRight")
    expect(panel).to_have_attribute("data-tour-done", "true")
    expect(panel).to_contain_text("done")
    screenshot("done")


def test_a_step_that_records_more_than_a_page_of_messages_is_still_checked(
    browser_server, shop, page
):
    """Six letters already wait in Accounting's inbox: the tour's pickup reads all seven (some
    700 messages), and its own `check` comes last, beyond the first page of the ledger."""
    from patterns.files import night

    for _ in range(6):
        night.export_now()
    page.goto(f"{browser_server.url}/tours/files/")
    panel = page.locator(PANEL)
    expect(panel).to_have_attribute("data-tour-step", "1")
    page.keyboard.press("Enter")
    expect(panel).to_have_attribute("data-tour-step", "2")
    expect(panel).to_have_attribute("data-tour-verified", "ok", timeout=30000)  # the export
    page.keyboard.press("ArrowRight")
    expect(panel.locator(".tour-title")).to_have_text("Open the mail")
    expect(panel).to_have_attribute("data-tour-verified", "ok", timeout=60000)
    recorded = panel.locator("[data-tour-state]").inner_text()
    assert int(re.search(r"✓ (\d+) messages", recorded)[1]) > 500, recorded


def test_back_escape_and_the_index(browser_server, shop, page, screenshot):
    page.goto(f"{browser_server.url}/tours/")
    cards = page.locator("[data-tour-card]")
    expect(cards).to_have_count(len(STYLES))
    for style in STYLES:
        card = page.locator(f'[data-tour-card="{style.key}"]')
        if style.key in TOURS:
            expect(card.get_by_role("link", name="Start the tour")).to_be_visible()
        else:
            expect(card).to_contain_text("No tour yet")
    screenshot("index")
    page.locator('[data-tour-card="webhooks"]').get_by_role("link", name="Start the tour").click()
    panel = page.locator(PANEL)
    expect(panel).to_have_attribute("data-tour-step", "1")
    page.keyboard.press("ArrowLeft")  # nothing before the first step
    expect(panel).to_have_attribute("data-tour-step", "1")
    for number in (2, 3, 4):
        page.keyboard.press("ArrowRight")
        expect(panel).to_have_attribute("data-tour-step", str(number))
    expect(panel).to_have_attribute(
        "data-tour-verified", "ok", timeout=30000
    )  # the receiver is offline now
    page.keyboard.press("ArrowLeft")
    expect(panel).to_have_attribute("data-tour-step", "3")
    expect(
        panel.get_by_role("button", name="Again ↻")
    ).to_be_visible()  # going back fires nothing twice
    page.keyboard.press("Escape")
    expect(panel).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/webhooks/$"))
    # Leaving puts the style back as it was: Shop's receiver is healthy again.
    page.wait_for_function(
        "async () => (await (await fetch('/api/webhooks/receiver')).json()).mode === 'healthy'"
    )


def test_arrow_keys_during_a_tour_move_the_tour_and_not_the_stage(
    browser_server, shop, page, screenshot
):
    # The tour and the stage both answer →; while a tour is open only the tour may take it.
    page.goto(f"{browser_server.url}/tours/webhooks/")
    panel = page.locator(PANEL)
    stage = page.locator('[data-stage="stage"]')
    expect(panel).to_have_attribute("data-tour-step", "1")
    expect(stage).to_have_attribute("data-paused", "false")
    page.keyboard.press("ArrowRight")
    expect(panel).to_have_attribute("data-tour-step", "2")
    expect(stage).to_have_attribute(
        "data-paused", "false"
    )  # a stage step would have paused it first
    expect(stage.locator("[data-stage-step]")).to_be_disabled()
    screenshot("arrow-in-a-tour")
    page.keyboard.press("ArrowLeft")
    expect(panel).to_have_attribute("data-tour-step", "1")
    expect(stage).to_have_attribute("data-paused", "false")
    page.keyboard.press("p")  # a key the tour does not own still reaches the stage
    expect(stage).to_have_attribute("data-paused", "true")
    page.keyboard.press("p")
    expect(stage).to_have_attribute("data-paused", "false")
    expect(panel).to_have_attribute("data-tour-step", "1")
    page.keyboard.press("Escape")
    expect(panel).to_have_count(0)
    page.keyboard.press("ArrowRight")  # no tour: → is the stage's step again (it pauses first)
    expect(stage).to_have_attribute("data-paused", "true")


def _lane_keys():
    return [s.key for s in STYLES if s.key in lanes.REGISTRY]


def test_one_order_through_every_built_style_side_by_side(
    browser_server, order_42, page, screenshot
):
    page.goto(f"{browser_server.url}/compare/")
    expect(page.locator("[data-compare-progress]")).to_contain_text("Nothing sent yet")
    for style in STYLES:
        if style.key not in _lane_keys():
            expect(page.locator(f'[data-lane="{style.key}"]')).to_contain_text("not built yet")
    page.get_by_role("button", name="Ship order 42 through every style").click()
    expect(page.locator("body")).to_have_attribute("data-run-state", "done", timeout=60000)
    expect(page.locator("[data-compare-progress]")).to_contain_text(
        f"{len(_lane_keys())} of {len(_lane_keys())} consumers learned"
    )
    for key in _lane_keys():
        lane = page.locator(f'[data-lane="{key}"]')
        expect(lane).to_have_attribute("data-state", "learned")
        expect(lane.locator("[data-lane-fresh]")).to_have_text(re.compile(r"\d+(\.\d+)? m?s"))
    rows = page.locator("[data-summary] tbody tr")
    expect(rows).to_have_count(len(STYLES))
    screenshot("all-lanes")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as image (SVG)").click()
    svg = open(download.value.path(), encoding="utf-8").read()
    assert svg.startswith("<svg") and "order 42 shipped" in svg and "Polled REST" in svg


def test_a_broken_receiver_and_a_renamed_column_show_what_broke(
    browser_server, order_42, page, screenshot
):
    page.goto(f"{browser_server.url}/compare/")
    page.locator('[data-fault="webhooks"]').check()
    page.locator('[data-fault="database"]').check()
    page.get_by_role("button", name="Ship order 42 through every style").click()
    expect(page.locator('[data-lane="database"] [data-lane-broke]')).to_contain_text(
        "renamed a column", timeout=20000
    )
    screenshot("broken-while-running")
    expect(page.locator("body")).to_have_attribute("data-run-state", "done", timeout=60000)
    expect(page.locator('[data-lane="webhooks"] [data-lane-broke]')).to_contain_text("retried")
    expect(page.locator('[data-summary-row="queue"]')).to_contain_text(
        "nothing (no failure injected)"
    )
    # The failures were lifted: late, but they learned; the receiver is healthy and Shop's schema the original.
    expect(page.locator('[data-lane="webhooks"]')).to_have_attribute("data-state", "learned")
    expect(page.locator('[data-lane="database"]')).to_have_attribute("data-state", "learned")
    assert (
        page.evaluate("async () => (await (await fetch('/api/webhooks/receiver')).json()).mode")
        == "healthy"
    )
    assert (
        page.evaluate("async () => (await (await fetch('/api/database/schema')).json()).applied")
        == []
    )
    screenshot("broken-done")
    page.emulate_media(media="print")
    expect(page.locator("[data-compare-start]")).to_be_hidden()
    expect(page.locator("[data-summary]")).to_be_visible()
    screenshot("print")


def page_errors(page):
    """Script errors and console errors as they happen. The browser's own line for the newest run's
    404 (no run yet) is left out: the page treats it as the empty state it is, and logs nothing."""
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def console(message):
        no_run_yet = message.location.get("url", "").endswith("/api/compare/runs/latest")
        if message.type == "error" and not (no_run_yet and "404" in message.text):
            errors.append(message.text)

    page.on("console", console)
    return errors


def test_shipping_brings_the_lanes_into_view_and_moves_a_dot_along_each_without_console_errors(
    browser_server, order_42, page, screenshot
):
    page.set_viewport_size({"width": 1366, "height": 768})
    errors = page_errors(page)
    page.goto(f"{browser_server.url}/compare/")
    expect(page.locator("[data-compare-progress]")).to_contain_text("Nothing sent yet")
    first_lane = page.locator(f'[data-lane="{_lane_keys()[0]}"]')
    expect(first_lane).not_to_be_in_viewport(ratio=0.5)  # below the fold on a projector
    page.get_by_role("button", name="Ship order 42 through every style").click()
    expect(first_lane).to_be_in_viewport(ratio=0.5, timeout=10000)
    expect(page.locator("[data-compare-progress]")).to_be_in_viewport()
    dots = page.locator("[data-lane-track] .lane-dot")
    expect(dots).to_have_count(len(_lane_keys()), timeout=15000)
    screenshot("lanes-in-view")
    expect(page.locator("body")).to_have_attribute("data-run-state", "done", timeout=60000)
    for key in _lane_keys():
        dot = page.locator(f'[data-lane="{key}"] .lane-dot')
        expect(dot).to_have_attribute("data-lane-dot", "learned")
    screenshot("lanes-learned")
    assert not errors


@pytest.mark.parametrize(
    "style", sorted(key for key in TOURS if key in BY_KEY and key != "streams")
)
def test_on_a_projector_the_tour_panel_keeps_next_in_sight_and_the_stage_most_of_the_width(
    browser_server, shop, page, request, style
):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{browser_server.url}/tours/{style}/")
    panel = page.locator(PANEL)
    expect(panel).to_have_attribute("data-tour-step", "1")
    stage = page.locator("[data-stage]").first
    assert stage.bounding_box()["width"] >= 0.6 * 1366, stage.bounding_box()
    for number in range(1, len(TOURS[style]["steps"]) + 1):
        expect(panel).to_have_attribute("data-tour-step", str(number))
        next_button = panel.locator("[data-tour-next]")
        expect(next_button).to_be_in_viewport()  # whole, not scrolled out of its panel
        box = panel.bounding_box()
        assert box["y"] + box["height"] <= 768
        if number == 2:  # what the room sees: the viewport, not the whole page
            path = ARTIFACTS / "screenshots" / f"{request.node.name}-step-2-viewport.png"
            page.screenshot(path=str(path))
        next_button.click()
    expect(panel).to_have_attribute("data-tour-done", "true")
