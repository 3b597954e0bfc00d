"""A person's view of the Streaming page: two pages chat, one drops its connection and resumes
without a gap, an HTML attack stays text, the ticker runs and the comparison counts requests.
Screenshots go to test-output/screenshots."""

import re

import httpx
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.usefixtures("producer", "streams_state")
XSS = "<img src=x onerror=\"document.body.dataset.pwned='yes'\">"


def open_page(page, server, nick):
    page.goto(f"{server.url}/streaming/")
    expect(page.locator("[data-conn-state]")).to_have_attribute("data-conn-state", "live")
    page.get_by_label("Your nickname").fill(nick)
    return page


def say(page, text):
    page.get_by_label("Chat message").fill(text)
    page.get_by_label("Chat message").press("Enter")


def test_two_pages_chat_and_a_dropped_page_resumes_without_a_gap(
    browser_server, browser, page, screenshot
):
    ada = open_page(page, browser_server, "ada")
    bob = open_page(browser.new_page(), browser_server, "bob")
    expect(ada.locator("[data-viewers]")).to_have_text(re.compile(r"^[2-9]"), timeout=20000)
    say(ada, "hello bob")
    expect(bob.locator("[data-chat-list]")).to_contain_text("hello bob")
    say(bob, "hi ada")
    expect(ada.locator("[data-chat-list]")).to_contain_text("hi ada")
    screenshot("1-chatting")

    bob.get_by_role("button", name="Sleep for 10 seconds").click()
    expect(bob.locator("[data-conn-state]")).to_have_attribute("data-conn-state", "sleeping")
    for n in range(1, 5):  # 4 lines: with "hello bob" that is the burst a page may send at once
        say(ada, f"while you slept {n}")
        expect(ada.locator("[data-chat-list]")).to_contain_text(f"while you slept {n}")
    for n in range(3):  # and a script, through the API
        assert (
            httpx.post(
                f"{browser_server.url}/api/streams/chat/messages",
                json={"nick": "script", "text": f"from a script {n}"},
                headers={"X-Client-Id": "browser-test"},
                timeout=10,
            ).status_code
            == 201
        )
    expect(bob.locator("[data-conn-state]")).to_have_attribute(
        "data-conn-state", "live", timeout=20000
    )
    note = bob.locator("[data-resume-note]")
    expect(note).to_contain_text("7 missed message(s) replayed", timeout=10000)
    expect(note).to_contain_text("No gap, no duplicate")
    lines = bob.locator("[data-chat-list] li[data-seq]")
    expect(lines).to_have_count(9)
    assert [int(s) for s in lines.evaluate_all("els => els.map(e => e.dataset.seq)")] == list(
        range(1, 10)
    )
    chat_row = bob.locator('[data-stream-row="chat"]')
    expect(chat_row.locator('[data-col="replayed"]')).to_have_text("7")
    expect(chat_row.locator('[data-col="gaps"]')).to_have_text("0")
    expect(chat_row.locator('[data-col="duplicates"]')).to_have_text("0")
    screenshot("2-resumed", of=bob)

    bob.get_by_role("button", name="Drop my connection").click()
    say(ada, "after the drop")
    expect(bob.locator("[data-chat-list]")).to_contain_text("after the drop", timeout=20000)
    expect(bob.locator("[data-chat-list] li[data-seq]")).to_have_count(10)


def test_an_html_attack_and_a_flood_are_shown_as_text_and_limited(browser_server, page, screenshot):
    open_page(page, browser_server, "mallory")
    page.get_by_role("button", name="Send an HTML attack").click()
    expect(page.locator("[data-chat-list]")).to_contain_text(XSS)
    assert page.locator("[data-chat-list] img").count() == 0
    assert page.evaluate("document.body.dataset.pwned") is None
    page.get_by_role("button", name="Flood the chat (20 lines)").click()
    expect(page.locator('[data-post-error="chat"]')).to_contain_text("Slow down")
    # A connection may send 5 lines at once, then 1 a second. The attack took one token; whether
    # it is back by the flood, and whether a loaded machine takes a second or two over the 20
    # lines, depends on the machine: 4 to 7 get through, and at least 13 are refused.
    flood = page.locator("[data-chat-list] li[data-seq]", has_text="flood ")
    expect(flood.nth(3)).to_be_visible()
    assert 4 <= flood.count() <= 7, flood.all_inner_texts()
    screenshot("1-limited")


def test_the_ticker_streams_prices_and_polling_counts_its_requests(
    browser_server, page, screenshot
):
    open_page(page, browser_server, "ada")
    page.get_by_label("Ask for the ACME price every").select_option("1")
    page.locator("[data-rate-input]").fill("50")
    page.get_by_role("button", name="Start the ticker").click()
    expect(page.locator("[data-action-status]")).to_contain_text(
        "Ticker started: 50 prices a second"
    )
    expect(page.locator('[data-symbol="ACME"] [data-price]')).not_to_have_text("–", timeout=15000)
    page.get_by_role("button", name="Start asking").click()
    expect(page.locator("[data-cmp-requests]")).to_have_text(re.compile(r"^[3-9]"), timeout=15000)
    expect(page.locator("[data-rate]")).not_to_have_text("0")
    expect(page.locator('[data-node-count="hub"]')).to_contain_text("received", timeout=15000)
    expect(page.locator('[data-stream-row="ticker"] [data-col="gaps"]')).to_have_text("0")
    page.get_by_role("button", name="Kick off the match").click()
    expect(page.locator("[data-match-list]")).to_contain_text("Kick-off", timeout=15000)
    page.get_by_label("Comment on the match").fill("here we go")
    page.get_by_label("Comment on the match").press("Enter")
    expect(page.locator("[data-match-list]")).to_contain_text("here we go")
    page.wait_for_timeout(1500)  # prices moving in the screenshot; nothing is asserted on it
    screenshot("1-ticker-and-match")
    page.get_by_role("button", name="Stop the ticker").click()
    expect(page.locator("[data-action-status]")).to_contain_text("Ticker stopped")


def test_a_rooms_ticker_moves_only_that_rooms_prices(browser_server, browser, page, screenshot):
    from patterns.rooms.models import Room

    room, key = Room.open("streams")
    page.goto(f"{browser_server.url}/streaming/?room={room.code}")
    page.evaluate(f"localStorage.setItem('playground.roomKey.{room.code}', '{key}')")
    instructor = open_page(page, browser_server, "teacher")  # again, now holding the room's key
    instructor.get_by_role("button", name="Start the ticker").click()
    expect(instructor.locator("[data-action-status]")).to_contain_text("Ticker started")
    acme = '[data-symbol="ACME"] [data-price]'
    expect(instructor.locator(acme)).not_to_have_text("–", timeout=15000)

    outside = open_page(browser.new_context().new_page(), browser_server, "visitor")
    say(outside, "anyone trading?")
    # The line came through the same fan-out after the room's prices: none of them reached here.
    expect(outside.locator("[data-chat-list]")).to_contain_text("anyone trading?")
    expect(outside.locator(acme)).to_have_text("–")
    expect(instructor.locator("[data-chat-list]")).not_to_contain_text("anyone trading?")
    screenshot("3-a-rooms-ticker", of=instructor)
    instructor.get_by_role("button", name="Stop the ticker").click()
    expect(instructor.locator("[data-action-status]")).to_contain_text("Ticker stopped")
