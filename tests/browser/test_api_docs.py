"""A person opening /api/docs: Swagger UI lists every operation, with nothing wrong in the console."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_list_the_operations_with_no_console_errors(browser_server, page, screenshot):
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{browser_server.url}/api/docs")
    expect(page.locator(".opblock-summary").first).to_be_visible(timeout=15000)
    expect(page.locator(".opblock-summary-path", has_text="/api/messages").first).to_be_visible()
    assert page.locator(".opblock").count() > 20
    expect(page.get_by_text("duplicated mapping key")).to_have_count(0)
    expect(page.locator(".errors-wrapper")).to_have_count(0)
    # axe's html-has-lang and html-lang-valid: the page says which language it is in.
    assert page.evaluate("document.documentElement.lang") == "en"
    screenshot("docs")
    assert problems == []
