"""A person's view of the request/response page: send requests from the console and watch them
travel, break Shop and the contract, poll for news; and the contracts page with its versioning demo."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "shop"])


@pytest.fixture
def api_page(browser_server, shop, page):
    page.goto(f"{browser_server.url}/request-response/")
    expect(page.locator("[data-feed-state]")).to_have_text("Live")
    return page


def status_line(page):
    return page.locator("[data-console-status-line]")


def test_the_console_sends_a_request_and_the_exchange_travels_on_the_stage(api_page, screenshot):
    page = api_page
    expect(page.get_by_text("No request sent yet")).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Send: Get order \d+$")).click()
    expect(status_line(page)).to_contain_text("200 OK", timeout=15000)
    expect(page.locator("[data-console-explain]")).to_contain_text("Shop found it")
    expect(page.locator("[data-console-response-body]")).to_contain_text('"currency": "EUR"')
    expect(page.locator("[data-console-response-headers]")).to_contain_text("ratelimit-remaining")
    expect(page.locator("[data-console-sequence] .seq-arrow")).to_have_count(2)
    # The stage animates both hops: the request lands at Shop, the answer back at the console.
    expect(page.locator('[data-node-count="shop"]')).to_have_text("1 received", timeout=15000)
    expect(page.locator('[data-node-count="client"]')).to_have_text("1 received", timeout=15000)
    expect(page.locator("[data-stage-caption]")).to_contain_text("Shop answered 200")
    expect(page.locator("[data-log] li[data-message-id]")).to_have_count(2)
    screenshot("get-order")

    page.get_by_role("button", name="Send: Create an invalid order").click()
    expect(status_line(page)).to_contain_text("422", timeout=15000)
    expect(page.locator("[data-console-response-body]")).to_contain_text('"field": "total"')
    page.get_by_role("button", name="Copy as curl").click()
    expect(page.locator("[data-console-curl-text]")).to_contain_text("curl -i")
    expect(page.locator("[data-console-curl-text]")).to_contain_text("--data-raw")
    screenshot("invalid-order")


def test_breaking_the_contract_shows_who_rejects_it_and_why(api_page, screenshot):
    page = api_page
    page.get_by_role("button", name="Break the contract").click()
    expect(page.locator("[data-action-status]")).to_contain_text(
        "Shop's API rejected it with 422", timeout=15000
    )
    request_row = page.locator("[data-log] li[data-message-id]", has_text="asks POST /orders")
    expect(request_row).to_have_count(1, timeout=15000)
    request_row.locator("button").click()
    expect(page.locator("[data-inspector]")).to_contain_text(
        "api.order.new — ✕ breaks the contract"
    )
    expect(page.locator("[data-contract-panel]")).to_contain_text("api.order.new")
    screenshot("broken-contract")


def test_each_failure_switch_shows_what_the_client_meets(api_page, screenshot):
    page = api_page
    get = page.get_by_role("button", name=re.compile(r"^Send: Get order \d+$"))
    page.get_by_role("button", name="Make Shop fail (500)").click()
    expect(page.locator("[data-shop-mode-badge]")).to_have_text("failing (500)")
    get.click()
    expect(status_line(page)).to_contain_text("500", timeout=15000)

    page.get_by_role("button", name="Switch Shop off").click()
    expect(page.locator("[data-shop-mode-badge]")).to_have_text("off (refuses connections)")
    get.click()
    expect(status_line(page)).to_contain_text("connection refused", timeout=15000)
    expect(page.locator("[data-console-sequence]")).to_contain_text("nobody is listening")
    screenshot("shop-down")

    page.get_by_role("button", name="Make Shop slow").click()
    get.click()
    expect(status_line(page)).to_contain_text("timeout", timeout=15000)
    expect(page.locator("[data-console-sequence]")).to_contain_text("gave up after 2 s")
    expect(page.locator("[data-console-sequence]")).to_contain_text("never sent", timeout=15000)
    expect(page.locator("[data-stage-caption]")).to_contain_text("never sent", timeout=15000)
    screenshot("shop-slow")
    page.get_by_role("button", name="Make Shop healthy").click()
    expect(page.locator("[data-shop-mode-badge]")).to_have_text("healthy")


def test_asking_too_often_shows_the_rate_limit(api_page, screenshot):
    page = api_page
    page.get_by_role("button", name="Ask too often (25 in a row)").click()
    expect(status_line(page)).to_contain_text("429", timeout=20000)
    expect(status_line(page)).to_contain_text(re.compile(r"all 25: 2\d × 200, \d+ × 429"))
    # The answer shown is the first refusal, even when the bucket refilled before the last request.
    expect(status_line(page)).to_contain_text(
        re.compile(r"429 .* answer \d+ of 25, the first refused")
    )
    expect(page.locator("[data-console-response-headers]")).to_contain_text("retry-after")
    screenshot("rate-limited")


def test_output_from_the_server_is_shown_as_text(api_page):
    page = api_page
    page.locator("[data-console-path]").fill("/api/shop/<img/src=x/onerror=window.__xss=1>")
    page.get_by_role("button", name="Send request").click()
    expect(status_line(page)).to_contain_text("404", timeout=15000)
    expect(page.locator("[data-console-response-body]")).to_contain_text("<img/src=x")
    assert page.locator("[data-console-result] img").count() == 0
    assert page.evaluate("window.__xss") is None


def test_the_poller_counts_requests_and_what_they_found(api_page, celery_beat, screenshot):
    page = api_page
    page.get_by_label("Ask every").select_option(index=0)
    page.get_by_role("button", name="Start polling").click()
    expect(page.locator("[data-poller-state]")).to_contain_text("polling")
    expect(page.locator('[data-poller-count="requests"]')).not_to_have_text("0", timeout=15000)
    page.get_by_role("button", name="Place an order").click()
    expect(page.locator('[data-poller-count="orders"]')).to_have_text("1", timeout=20000)
    expect(page.locator("[data-poller-verdict]")).to_contain_text("found nothing new")
    expect(page.locator("[data-poller-verdict]")).to_contain_text(
        "A webhook would have made 1 request"
    )
    expect(page.locator('[data-node-count="poller"]')).not_to_have_text("", timeout=15000)
    screenshot("poller")
    page.get_by_role("button", name="Stop").click()
    expect(page.locator("[data-poller-state]")).to_have_text("stopped")


def test_the_contracts_page_lists_every_contract_and_shows_versioning(
    browser_server, page, screenshot
):
    page.goto(f"{browser_server.url}/contracts/")
    expect(page.locator('[data-contract="api.order.new"]')).to_be_visible()
    expect(page.locator('[data-contract="feed.messages"]')).to_be_visible()
    page.get_by_role("button", name="Rename a field (v2)").click()
    verdict = page.locator("[data-versioning-verdict]")
    expect(verdict).to_contain_text("breaks: Accounting, Fraud check")
    expect(page.locator("[data-versioning-result]")).to_contain_text(
        "looks like a rename: total → amount"
    )
    screenshot("versioning-rename")
    page.get_by_role("button", name="Add a field (v1.1)").click()
    expect(verdict).to_contain_text("breaks: Fraud check")
    page.get_by_label("Contract", exact=True).select_option("api.order.new")
    page.get_by_label("Message (JSON)").fill('{"customer_id": 7, "total": "free"}')
    page.get_by_role("button", name="Check it").click()
    expect(page.locator("[data-checker-result]")).to_contain_text("total")
    screenshot("contracts")


def test_the_page_fits_the_screen_without_sideways_scrolling(api_page):
    page = api_page
    page.get_by_role("button", name="Break the contract").click()
    page.locator("[data-log] li[data-message-id] button").first.click()
    expect(page.locator("[data-inspector-payload]")).to_be_visible(timeout=15000)
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert wide == []
