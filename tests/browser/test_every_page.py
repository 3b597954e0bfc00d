"""Every page, as a person sees it on a projector (1366×768) and on a phone (390×844): no WCAG 2.1
AA violation axe-core can find, nothing wider than the screen, a header that leaves room for the
page, and, on the home page, a ping to send and its stage without scrolling."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import expect

from tests.helpers import eventually, hops
from tests.servers import ARTIFACTS

# Shop's database, seeded: the request/response and database pages show its orders.
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "shop"])

SIZES = {"projector": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}

PAGES = [
    "/",
    "/request-response/",
    "/file-drop/",
    "/webhooks/",
    "/queue/",
    "/streaming/",
    "/database/",
    "/messages/",
    "/compare/",
    "/tours/",
    "/contracts/",
    "/health",
    "/rooms/",
    "/api/docs",
    "/owner/",
    "/questions/",
]

# One real event of every style, so that every live log, list and table has rows to check.
TRAFFIC = [
    ("ping", "ping", {}),
    ("api", "order", {}),
    ("files", "export", {}),
    ("queue", "email", {}),
    ("webhooks", "payment.completed", {}),
    ("database", "dashboard", {}),
    ("streams", "chat", {"nick": "ada", "text": "hello from row 3"}),
]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def fire_everything():
    try:
        for style, kind, data in TRAFFIC:
            call_command("fire", style, kind, "--data", json.dumps(data))
    finally:
        connections.close_all()


@pytest.fixture
def traffic(browser_server, shop):
    # In a thread of its own: sync Playwright's event loop in this one stops `fire` ringing the
    # pages' doorbell (asyncio.run inside a running loop).
    with ThreadPoolExecutor(1) as pool:
        pool.submit(fire_everything).result()
    for style, _, _ in TRAFFIC:
        eventually(lambda s=style: hops(s).exists(), message=f"a {style} message in the ledger")


def open_page(page, server, path, size):
    page.set_viewport_size(SIZES[size])
    page.goto(server.url + path)
    page.wait_for_load_state("networkidle")
    if path == "/api/docs":  # Swagger UI draws its list of operations itself
        expect(page.locator(".opblock-summary").first).to_be_visible(timeout=15000)
    elif page.locator("[data-feed-state]").is_visible():  # a page with a live feed: connected
        expect(page.locator("[data-feed-state]")).to_have_attribute(
            "data-feed-state", "live", timeout=15000
        )


def violations(page):
    found = Axe().run(page, options=WCAG_21_AA).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in found
    ]


def header_problems(page, size):
    if size == "phone":
        height = page.locator("header.topbar").bounding_box()["height"]
        problems = [f"the header is {height:.0f} px tall"] if height > 120 else []
        if page.locator("[data-present-toggle]").is_visible():
            problems.append("the phone shows the presenter-mode toggle")
        return problems
    tops = {round(link.bounding_box()["y"]) for link in page.locator(".topnav a").all()}
    return [f"the top nav wraps onto {len(tops)} rows"] if len(tops) > 1 else []


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    "path", PAGES, ids=lambda path: path.strip("/").replace("/", "-") or "home"
)
def test_every_page_is_accessible_and_fits_the_screen(
    browser_server, traffic, page, screenshot, path, size
):
    open_page(page, browser_server, path, size)
    screenshot(size)

    # Every problem of the page at once: a class of fault shows on several pages.
    problems = violations(page)
    width, screen = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if width > screen:
        problems.append(f"the page is {width} px wide on a {screen} px screen")
    if "{#" in page.inner_text("body"):  # a template comment Django printed (one spanning lines)
        problems.append("the page shows a template comment")
    if path != "/api/docs":  # Swagger UI's own page has no site header
        problems += header_problems(page, size)
    assert not problems, "\n".join(problems)


def within_first_screen(page, locator, part=None):
    """True if the element (or its first `part` pixels) shows without scrolling."""
    box, height = locator.bounding_box(), page.viewport_size["height"]
    return box["y"] >= 0 and box["y"] + (part or box["height"]) <= height


@pytest.mark.parametrize("size", SIZES)
def test_the_home_page_opens_on_a_ping_to_send_and_the_stage_it_travels(
    browser_server, page, request, size
):
    open_page(page, browser_server, "/", size)
    button = page.get_by_role("button", name="Send a ping")
    stage = page.locator('[data-stage="ping-stage"]')
    assert within_first_screen(page, button)
    assert within_first_screen(page, page.get_by_role("link", name="Start a guided tour"))
    assert within_first_screen(page, stage, part=60), "the stage's top is below the fold"
    page.screenshot(path=str(ARTIFACTS / "screenshots" / f"{request.node.name}-first-screen.png"))

    button.click()
    expect(page.locator("[data-ping-status]")).to_have_text("Sent — watch it travel.")
    expect(stage.locator("[data-stage-caption]")).to_contain_text("round trip", timeout=15000)
    expect(page.locator('[data-node-count="browser"]')).to_have_text("1 received")
    assert hops("ping").count() == 4  # a real ping: four recorded hops, browser to browser


def test_in_presenter_mode_space_sends_a_ping_where_the_class_can_see_it(browser_server, page):
    open_page(page, browser_server, "/?present=1", "projector")
    stage = page.locator('[data-stage="ping-stage"]')
    page.keyboard.press("End")  # the presenter has scrolled down to the six styles
    expect(stage).not_to_be_in_viewport()
    # End scrolls smoothly: a loaded machine may still be animating it when space is pressed, and
    # the rest of that scroll would carry the stage away again. A presenter presses space later.
    page.wait_for_function(
        "Math.ceil(scrollY + innerHeight) >= document.documentElement.scrollHeight - 2"
    )
    page.keyboard.press(" ")
    expect(stage).to_be_in_viewport()
    expect(stage.locator("[data-stage-caption]")).to_contain_text("round trip", timeout=15000)
