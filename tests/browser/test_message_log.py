"""A person's view: send a ping from the home page, watch it on the stage and on the message log."""

import re

from playwright.sync_api import expect


def test_a_ping_from_the_home_page_appears_on_the_open_message_log_without_reloading(
    browser_server, page, context, screenshot
):
    log = page
    log.goto(f"{browser_server.url}/messages/")
    expect(log.locator("[data-feed-state]")).to_have_text("Live")
    expect(log.get_by_text("No messages yet")).to_be_visible()

    home = context.new_page()
    home.goto(browser_server.url + "/")
    expect(home.locator("[data-feed-state]")).to_have_text("Live")
    home.get_by_label("Note (optional)").fill("hello from row 3")
    home.get_by_role("button", name="Send a ping").click()
    expect(home.locator("[data-ping-status]")).to_have_text("Sent — watch it travel.")

    # The log page, never reloaded, shows all four hops, newest first.
    rows = log.locator("tbody tr[data-message-id]")
    expect(rows).to_have_count(4, timeout=15000)
    expect(rows.first).to_contain_text("worker → browser")
    expect(rows.last).to_contain_text("browser → web")

    # The home page animated it: the caption tells the last hop, the counter counted every hop.
    expect(home.locator("[data-stage-caption]")).to_contain_text("round trip", timeout=15000)
    expect(home.locator('[data-node-count="browser"]')).to_have_text("1 received")
    expect(home.locator("[data-total-count]")).to_have_text("4")
    expect(home.locator("[data-log] li[data-message-id]")).to_have_count(4)
    screenshot("home", of=home)

    # Clicking a row inspects it: payload, contract, every hop.
    log.locator("tbody tr", has_text="browser → web").click()
    inspector = log.locator("[data-inspector]")
    expect(inspector.locator("[data-inspector-payload]")).to_contain_text("hello from row 3")
    expect(inspector).to_contain_text("ping.request — ✓ valid")
    expect(inspector.locator(".timeline li")).to_have_count(4)
    screenshot("log")


def test_the_stage_can_slow_down_pause_and_step(browser_server, page, screenshot):
    page.goto(browser_server.url + "/")
    stage = page.locator('[data-stage="ping-stage"]')
    stage.get_by_role("button", name="0.1×").click()
    expect(stage).to_have_attribute("data-speed", "0.1")
    stage.get_by_role("button", name="Pause").click()
    expect(stage).to_have_attribute("data-paused", "true")
    page.get_by_role("button", name="Send a ping").click()
    # Paused: the messages have arrived on the page (the log shows them), the stage's frame loop
    # has run since (two animation frames), and nothing has landed yet.
    expect(page.locator("[data-log] li[data-message-id]")).to_have_count(4, timeout=15000)
    page.evaluate(
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )
    expect(page.locator('[data-node-count="web"]')).to_have_text("")
    step = stage.get_by_role("button", name=re.compile("Step"))
    step.click()  # one step: the first hop lands (and the next one leaves)
    expect(page.locator('[data-node-count="web"]')).to_have_text("1 received")
    expect(page.locator('[data-node-count="queue"]')).to_have_text("")
    step.click()
    expect(page.locator('[data-node-count="queue"]')).to_have_text("1 received")
    expect(page.locator('[data-node-count="worker"]')).to_have_text("")
    expect(page.locator("[data-stage-caption]")).to_contain_text("put a job in the queue")
    screenshot("stepped")
