"""A person's view of the database style: both dashboards, Shop ships a change, the direct one
breaks while the API one stays green, the console refuses a write, and everything is restored."""

import re

import pytest
from playwright.sync_api import expect

from tests.servers import ARTIFACTS

pytestmark = pytest.mark.django_db(databases=["default", "shop"], transaction=True)


@pytest.fixture
def part(request):
    """Screenshot one part of the page (the shared fixture takes whole pages)."""

    def take(name, locator=None, page=None):
        path = ARTIFACTS / "screenshots" / f"{request.node.name}-{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        (locator or page).screenshot(path=str(path))  # a page: what the viewport shows
        return path

    return take


def test_renaming_a_column_breaks_the_direct_dashboard_while_the_api_one_stays_green(
    browser_server, shop, page, screenshot, part
):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{browser_server.url}/database/")
    direct, api = page.locator('[data-db-board="direct"]'), page.locator('[data-db-board="api"]')
    expect(direct).to_have_attribute("data-ok", "true", timeout=15000)
    expect(api).to_have_attribute("data-ok", "true", timeout=15000)
    expect(direct.locator('[data-db-panel="revenue_today"]')).to_contain_text("orders placed today")
    expect(page.locator("[data-log] li[data-message-id]").first).to_be_visible(timeout=15000)
    screenshot("1-both-dashboards-work")
    part("1a-stage-and-controls", page.locator(".style-main > .panel").first)

    rename = page.locator('[data-controls="break"]').get_by_role(
        "button", name=re.compile("Rename a column")
    )
    rename.click()
    expect(direct).to_have_attribute("data-ok", "false", timeout=15000)
    expect(direct.locator('[data-db-panel="revenue_today"] [data-db-error]')).to_contain_text(
        "total"
    )
    expect(direct.get_by_text("broken").first).to_be_visible()
    expect(api).to_have_attribute("data-ok", "true")
    expect(api.locator("[data-db-board-state]")).to_have_text("working")
    expect(page.locator('[data-db-table="shop_order"]')).to_contain_text("amount_cents")
    expect(rename).to_be_disabled()
    expect(rename).to_have_attribute("data-shipped", "true")
    expect(page.locator("[data-db-story]")).to_contain_text("still names the old columns")
    screenshot("2-direct-broken-api-green")
    part("2a-dashboards", page.locator("#dashboards"))
    page.evaluate("window.scrollTo(0, 0)")
    part("2b-top-of-page", page=page)
    assert not errors


def test_the_console_refuses_a_write_and_shows_data_as_text(browser_server, shop, page, part):
    page.goto(f"{browser_server.url}/database/")
    page.get_by_role("button", name="Delete every order").click()
    refusal = page.locator("[data-db-refusal]")
    expect(refusal).to_have_attribute("data-db-refusal", "read_only")
    expect(refusal).to_contain_text("nothing was changed")
    part("1-write-refused", page.locator("#console"))

    page.get_by_label("Your SQL (one statement)").fill(
        "SELECT '<img src=x onerror=\"window.pwned=1\">' AS html"
    )
    page.get_by_label("Your SQL (one statement)").press("Control+Enter")
    result = page.locator("[data-db-result]")
    expect(result.locator("td")).to_have_text('<img src=x onerror="window.pwned=1">')
    assert result.locator("img").count() == 0 and page.evaluate("window.pwned") is None

    page.get_by_role("button", name="Try the injection").click()
    expect(page.locator("[data-db-lookup-result]")).to_contain_text("0 found")
    expect(page.locator("[data-db-lookup-result]")).to_contain_text("as a value")
    part("2-injection-is-just-text", page.locator("#console"))


def test_the_intruder_view_shows_password_hashes_beside_the_apis_agreed_fields(
    browser_server, shop, page, part
):
    page.goto(f"{browser_server.url}/database/")
    intruder = page.locator("[data-db-exposure]")
    expect(intruder.locator(".db-side-direct")).to_contain_text("pbkdf2_sha256$", timeout=15000)
    expect(intruder.locator(".db-side-direct")).to_contain_text("password_hash ⚠ private")
    expect(intruder.locator(".db-side-api")).not_to_contain_text("password_hash")
    expect(intruder.locator(".db-risks")).to_contain_text("guessed offline")
    part("intruder", page.locator("#intruder"))


def test_a_change_shipped_elsewhere_refreshes_an_open_page_and_restore_mends_it(
    browser_server, shop, page, context, screenshot
):
    page.goto(f"{browser_server.url}/database/")
    direct = page.locator('[data-db-board="direct"]')
    expect(direct).to_have_attribute("data-ok", "true", timeout=15000)
    other = context.new_page()
    other.goto(f"{browser_server.url}/database/")
    other.locator('[data-controls="break"]').get_by_role(
        "button", name=re.compile("Split a table")
    ).click()
    # The first page, never touched, learns of the change over its live feed.
    expect(direct).to_have_attribute("data-ok", "false", timeout=15000)
    expect(direct.locator('[data-db-panel="top_customers"] [data-db-error]')).to_contain_text(
        "city"
    )
    expect(page.locator('[data-db-table="shop_customer_address"]')).to_be_visible()
    page.get_by_role("button", name="Restore Shop's original schema").click()
    expect(direct).to_have_attribute("data-ok", "true", timeout=15000)
    expect(page.locator('[data-db-table="shop_customer_address"]')).to_have_count(0)
    screenshot("restored")


def test_refresh_both_dashboards_works_first_thing_and_every_time_after(
    browser_server, shop, page, screenshot
):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{browser_server.url}/database/")
    refresh = page.get_by_role("button", name="Refresh both dashboards")
    status = page.locator("[data-action-status]")

    def press(expected):
        status.evaluate("el => { el.textContent = ''; }")  # so each press must say it again
        refresh.click()
        expect(status).to_contain_text(expected, timeout=15000)
        expect(refresh).to_be_enabled()

    press("Refreshed: direct SQL works, Shop's API works")  # first thing on the page
    press("Refreshed: direct SQL works, Shop's API works")
    page.locator('[data-controls="break"]').get_by_role(
        "button", name=re.compile("Rename a column")
    ).click()
    expect(page.locator('[data-db-board="direct"]')).to_have_attribute(
        "data-ok", "false", timeout=15000
    )
    press("Refreshed: direct SQL is broken, Shop's API works")  # after the other buttons
    page.get_by_role("button", name="Restore Shop's original schema").click()
    expect(page.locator('[data-db-board="direct"]')).to_have_attribute(
        "data-ok", "true", timeout=15000
    )
    press("Refreshed: direct SQL works, Shop's API works")
    screenshot("refreshed-again")
    assert not errors
