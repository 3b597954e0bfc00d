"""The stage as a class sees it on a projector (1366×768) and a phone (390×844): after the page's
main action, mid-flight, every label is big enough to read and none covers another; a message
that never arrived stops at the edge of the system it missed and is not counted there; a
system's state is a badge on its node; a lost live connection shows on the stage.

Sizes are measured as rendered: a text's computed font size times the SVG's scale on screen."""

import pytest
from playwright.sync_api import expect

from tests.servers import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "shop"])

SIZES = {"projector": (1366, 768), "phone": (390, 844)}
# The smallest rendered size (px) of a node's name, of any other label, and a dot's diameter.
NAME_MIN = {"projector": 18, "phone": 12}
LABEL_MIN = {"projector": 14, "phone": 12}
DOT_MIN = {"projector": 12, "phone": 12}
PAGES = {
    "home": ("/", "ping-stage"),
    "api": ("/request-response/", "stage"),
    "files": ("/file-drop/", "stage"),
    "webhooks": ("/webhooks/", "stage"),
    "queue": ("/queue/", "stage"),
    "streams": ("/streaming/", "stage"),
    "database": ("/database/", "stage"),
}

MEASURE = """(stage) => {
  const svg = stage.querySelector("[data-stage-svg]");
  const frame = svg.getBoundingClientRect();
  const shown = (el) => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none"
      && r.right > frame.left && r.left < frame.right && !el.closest("[aria-hidden=true]");
  };
  const labels = [...svg.querySelectorAll("text")].filter(shown).map((t) => {
    const r = t.getBoundingClientRect();
    return { text: t.textContent, cls: t.getAttribute("class") || "",
      px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
      box: [r.left, r.top, r.right, r.bottom] };
  });
  const dots = [...svg.querySelectorAll(".dot > :first-child")].map((d) => {
    const r = d.getBoundingClientRect();
    return Math.min(r.width, r.height);
  });
  return { labels, dots, width: frame.width };
}"""


def overlapping(labels):
    """Pairs of labels whose boxes overlap by more than a pixel each way."""
    pairs = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            (al, at, ar, ab), (bl, bt, br, bb) = a["box"], b["box"]
            if min(ar, br) - max(al, bl) > 1 and min(ab, bb) - max(at, bt) > 1:
                pairs.append((a["text"], b["text"], a["box"], b["box"]))
    return pairs


SETTLED = """(stage) => {
  const svg = stage.querySelector("[data-stage-svg]");
  return stage.dataset.layoutWidth === String(Math.round(svg.getBoundingClientRect().width));
}"""


def check_legible(stage, size):
    # The stage lays itself out again when its width changes (a style sheet, a scrollbar).
    stage.page.wait_for_function(SETTLED, arg=stage.element_handle())
    seen = stage.evaluate(MEASURE)
    assert seen["labels"], "the stage shows no labels at all"
    small = [
        (label["text"], round(label["px"], 1))
        for label in seen["labels"]
        if label["px"]
        < (NAME_MIN[size] if "node-label" in label["cls"] else LABEL_MIN[size]) - 0.01
    ]
    assert small == [], f"labels too small to read: {small}"
    covered = overlapping(seen["labels"])
    assert covered == [], f"labels cover each other: {covered}"
    tiny = [d for d in seen["dots"] if d < DOT_MIN[size]]
    assert tiny == [], f"dots too small: {tiny}"
    return seen


@pytest.fixture
def open_stage(browser_server, shop, clean_shop_state, page):
    errors = []

    def open_(name, size):
        path, stage_id = PAGES[name]
        width, height = SIZES[size]
        page.set_viewport_size({"width": width, "height": height})
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{browser_server.url}{path}")
        expect(page.locator("[data-feed-state]")).to_have_text("Live", timeout=15000)
        return page.locator(f'[data-stage="{stage_id}"]')

    yield open_
    assert errors == [], "the page's scripts failed"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", PAGES)
def test_every_stage_label_reads_and_none_covers_another_mid_demo(
    name, size, open_stage, page, request, screenshot
):
    if name == "streams":
        request.getfixturevalue("producer")
        request.getfixturevalue("streams_state")
    stage = open_stage(name, size)
    screenshot("at-rest", of=stage)
    at_rest = check_legible(stage, size)
    if size == "phone":
        assert stage.get_attribute("data-layout") == "portrait"
        assert at_rest["width"] <= SIZES["phone"][0]
    stage.locator('[data-speed="0.25"]').click()
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press(" ")  # the page's main action (presenter.js), as a presenter does
    expect(stage.locator(".dot").first).to_be_attached(timeout=20000)
    stage.locator("[data-stage-pause]").click()
    expect(stage).to_have_attribute("data-paused", "true")
    check_legible(stage, size)
    stage.scroll_into_view_if_needed()
    screenshot("mid-demo", of=stage)
    page.screenshot(path=str(ARTIFACTS / "screenshots" / f"{request.node.name}-viewport.png"))


def test_presenter_mode_gives_the_stage_the_whole_width_above_the_fold(open_stage, page):
    stage = open_stage("api", "projector")
    page.get_by_role("button", name="Presenter mode").click()
    expect(page.locator("body")).to_have_class("presenting")
    box = stage.locator("[data-stage-svg]").bounding_box()
    assert box["width"] >= 0.9 * 1366
    assert box["y"] + box["height"] <= 768
    check_legible(stage, "projector")


def test_a_request_to_shop_switched_off_stops_at_shops_edge_and_is_not_counted(
    open_stage, page, screenshot
):
    stage = open_stage("api", "projector")
    page.get_by_role("button", name="Switch Shop off").click()
    expect(stage.locator('[data-node-badge="shop"]')).to_contain_text("OFF")
    expect(stage.locator('[data-node="shop"]')).to_have_attribute("data-node-state", "OFF")
    stage.locator("[data-stage-pause]").click()
    page.get_by_role("button", name="Place an order").click()
    expect(page.locator("[data-action-status]")).to_contain_text("did not place", timeout=15000)
    dot = stage.locator(".dot[data-to='shop']")
    expect(dot).to_have_count(1, timeout=15000)
    expect(dot).to_have_attribute("data-status", "error")
    stage.locator("[data-stage-step]").click()  # to where it ends
    expect(dot).to_have_attribute("data-stopped", "true")
    d = dot.bounding_box()
    shop = stage.locator('[data-node="shop"] .node-box').bounding_box()
    centre_x = d["x"] + d["width"] / 2
    assert centre_x < shop["x"], "the ✕ must stay outside Shop"
    assert shop["x"] - centre_x < 30, "the ✕ stops at Shop's edge, not on the way"
    assert shop["y"] <= d["y"] + d["height"] / 2 <= shop["y"] + shop["height"]
    expect(stage.locator('[data-node-count="shop"]')).to_have_text("")
    caption = stage.locator("[data-stage-caption]")
    expect(caption).to_contain_text("never arrived: connection refused")
    assert "never arrived: never arrived" not in caption.text_content()
    check_legible(stage, "projector")
    screenshot("stopped-at-shop", of=stage)
    page.get_by_role("button", name="Make Shop healthy").click()
    expect(stage.locator('[data-node-badge="shop"]')).to_have_count(0)


def test_a_lost_connection_shows_on_the_stage_until_it_is_back(open_stage, page):
    stage = open_stage("home", "projector")
    overlay = stage.locator("[data-stage-offline]")
    expect(overlay).to_be_hidden()
    badge = page.locator("[data-feed-state]")
    # What feed.js reports when its socket drops (the stage listens to the header's badge).
    badge.evaluate("(el) => { el.dataset.feedState = 'reconnecting'; }")
    expect(overlay).to_be_visible()
    expect(overlay).to_contain_text("Connection lost — reconnecting")
    badge.evaluate("(el) => { el.dataset.feedState = 'live'; }")
    expect(overlay).to_be_hidden()
