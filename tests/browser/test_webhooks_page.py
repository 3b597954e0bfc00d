"""A person's view of the webhooks page: fire events, break Shop's receiver, watch the retries,
attack it, add an endpoint, compare push with poll. Screenshots go to test-results/screenshots."""

import re

import pytest
from playwright.sync_api import expect

from tests.servers import OUTSIDE_HOST

pytestmark = pytest.mark.usefixtures("celery_beat")
LOG = "[data-log] li[data-message-id]"


def open_page(page, server):
    page.goto(f"{server.url}/webhooks/")
    expect(page.locator("[data-feed-state]")).to_have_text("Live")
    return page


def test_fire_an_event_then_break_the_receiver_and_watch_the_retries(
    browser_server, page, screenshot
):
    open_page(page, browser_server)
    expect(page.get_by_text("Nothing delivered yet")).to_have_count(
        0
    )  # the Pending tab is shown first
    expect(page.locator("[data-delivery-list]")).to_contain_text("Nothing waiting")
    page.get_by_role("button", name="Send payment.completed").click()
    expect(page.locator("[data-action-status]")).to_contain_text("Sent payment.completed")
    expect(page.locator('[data-node-count="shop"]')).to_have_text(
        re.compile("received"), timeout=15000
    )
    page.get_by_role("tab", name=re.compile("Delivered")).click()
    delivered = page.locator("[data-delivery-list] li[data-state='delivered']")
    expect(delivered).to_have_count(1, timeout=15000)
    expect(delivered).to_contain_text("● 200")
    screenshot("1-delivered")

    page.get_by_label(re.compile("Broken: answers 500")).check()
    expect(page.locator("[data-action-status]")).to_contain_text("Shop's receiver is now: Broken")
    page.get_by_role("button", name="Send refund.created").click()
    page.get_by_role("tab", name=re.compile("Pending")).click()
    pending = page.locator("[data-delivery-list] li[data-state='pending']")
    expect(pending).to_contain_text("✕ 500  ✕ 500", timeout=20000)
    expect(page.locator("[data-countdown-text]")).to_contain_text(
        "refund.created → Shop (built-in endpoint)"
    )
    failed_answers = page.locator(f"{LOG}[data-status='error']")
    expect(failed_answers.first).to_be_visible()
    assert failed_answers.count() >= 2
    screenshot("2-retrying")

    # Retries come quickly at first (3 ms, 0.2 s, 1.2 s real); after the sixth attempt the next is
    # 5 story hours (12 s) away, time enough to mend the receiver and press Retry now first.
    expect(pending).to_contain_text("6 of 8 attempts made", timeout=30000)
    page.get_by_label(re.compile("Healthy")).check()
    pending.get_by_role("button", name="Retry now").click()
    expect(page.locator("[data-delivery-list]")).to_contain_text("Nothing waiting", timeout=20000)
    page.get_by_role("tab", name=re.compile("Delivered")).click()
    expect(page.locator("[data-delivery-list] li[data-state='delivered']")).to_have_count(
        2, timeout=15000
    )


def test_an_invalid_edit_is_refused_with_the_field_named_and_data_is_shown_as_text(
    browser_server, page, screenshot
):
    open_page(page, browser_server)
    page.get_by_text("Edit the data a button sends").click()
    page.get_by_label("Data for").select_option("user.signed_up")
    editor = page.get_by_label("Event data as JSON")
    editor.fill('{"user_id": "usr_1", "email": "nope", "name": "Ada"}')
    page.get_by_role("button", name="Send user.signed_up").click()
    expect(page.locator("[data-editor-problem]")).to_contain_text("data.email")
    expect(editor).to_have_attribute("aria-invalid", "true")
    screenshot("3-refused-edit")

    editor.fill(
        '{"user_id": "usr_2", "email": "x@example.com", "name": "<img src=x onerror=alert(1)>"}'
    )
    page.get_by_role("button", name="Send user.signed_up").click()
    attempt = page.locator(LOG, has_text=re.compile(r"attempt 1: .*user.signed_up")).first
    attempt.click()
    expect(page.locator("[data-inspector-payload]")).to_contain_text("<img src=x onerror=alert(1)>")
    assert page.locator("[data-inspector] img, [data-log] img").count() == 0
    expect(page.locator("[data-check-result]")).to_contain_text(
        "✓ the signature verifies", timeout=10000
    )
    expect(page.locator("[data-curl]")).to_contain_text("webhook-signature: v1,")
    screenshot("4-signature-check")


def test_attacks_are_refused_and_a_private_endpoint_is_not_accepted(
    browser_server, page, screenshot
):
    open_page(page, browser_server)
    page.get_by_role("button", name="Forge a delivery (wrong secret)").click()
    expect(page.locator(LOG, has_text="Shop rejected")).to_have_count(1, timeout=15000)
    page.get_by_role("button", name="Replay a delivery captured 10 min ago").click()
    expect(page.locator(LOG, has_text="Shop rejected")).to_have_count(2, timeout=15000)
    expect(page.locator(LOG, has_text="more than 5 minutes old")).to_have_count(1)

    page.get_by_text("Add your own endpoint").click()
    page.get_by_label("URL").fill("http://192.168.1.20/hooks")
    page.get_by_role("button", name="Add endpoint").click()
    expect(page.locator("[data-endpoint-problem]")).to_contain_text("private-network address")
    page.get_by_label("URL").fill("http://127.0.0.1:9/hooks")
    page.get_by_role("button", name="Add endpoint").click()
    expect(page.locator("[data-endpoint-problem]")).to_contain_text("only Shop's receiver")
    page.get_by_label("URL").fill(
        f"http://{OUTSIDE_HOST}:9/hooks"
    )  # opened for the tests, as a classroom LAN
    page.get_by_label("Description").fill("row 3 laptop")
    page.get_by_role("button", name="Add endpoint").click()
    expect(page.locator("[data-new-secret] code")).to_have_text(re.compile("^whsec_"))
    expect(page.locator("[data-endpoint-list] li")).to_have_count(2)
    screenshot("5-attacks-and-endpoints")


def test_push_beats_poll_on_the_same_events(browser_server, page, screenshot):
    open_page(page, browser_server)
    page.get_by_label("Poll every").select_option("900")
    page.get_by_role("button", name="Start polling beside the webhooks").click()
    expect(page.locator("[data-compare-state]")).to_contain_text("Polling every 15 min")
    for sent in ("1", "2"):  # one at a time: each pushed before the next is sent
        page.get_by_role("button", name="Send payment.completed").click()
        expect(page.locator('[data-push="found"]')).to_have_text(sent, timeout=15000)
    expect(page.locator('[data-poll="found"]')).to_have_text("2", timeout=15000)
    expect(page.locator(LOG, has_text="poll answer: nothing new").first).to_be_visible()
    expect(page.locator('[data-poll="empty"]')).to_have_text(
        re.compile(r"^[1-9]\d*$"), timeout=15000
    )
    expect(page.locator('[data-push="empty"]')).to_have_text("0")
    screenshot("6-push-vs-poll")
    page.get_by_role("button", name="Stop polling").click()
    expect(page.locator("[data-compare-state]")).to_contain_text("Polling stopped")


def test_when_gone_disables_shops_endpoint_the_stage_offers_to_re_enable_it(
    browser_server, page, screenshot
):
    open_page(page, browser_server)
    off = page.locator("[data-shop-disabled]")
    expect(off).to_be_hidden()
    page.get_by_label(re.compile("Gone: answers 410")).check()
    expect(page.locator("[data-action-status]")).to_contain_text("Shop's receiver is now: Gone")
    page.get_by_role("button", name="Send payment.completed").click()
    expect(off).to_be_visible(timeout=15000)
    expect(off).to_contain_text("Shop's endpoint is disabled (answered 410 Gone")
    screenshot("6-shop-endpoint-disabled", of=page.locator("[data-stage='stage']").locator(".."))
    page.get_by_label(re.compile("Healthy")).check()  # Shop is back: its endpoint heals with it
    expect(page.locator("[data-action-status]")).to_contain_text("Shop's endpoint re-enabled")
    expect(off).to_be_hidden()

    # Disabled by hand, the stage's button is the way back.
    shop = page.locator("[data-endpoint-list] li").first
    shop.get_by_role("button", name="Disable").click()
    expect(off).to_contain_text("Shop's endpoint is disabled (disabled by hand)")
    off.get_by_role("button", name="Re-enable").click()
    expect(page.locator("[data-action-status]")).to_contain_text("Endpoint enabled again")
    expect(off).to_be_hidden()
