"""Predict first, in a room: the instructor asks, two students (one on a phone) vote with one tap,
the instructor sees "2 of 2 voted", reveals, fires the real action, and everyone sees what the
ledger measured and which answer was right. Then a learner alone predicts and fires."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from patterns.ledger.models import Message
from tests.browser.test_rooms_page import open_room

pytestmark = pytest.mark.django_db(databases=["default", "shop"], transaction=True)
PROJECTOR = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def no_axe_violations(page):
    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    assert results.violations_count == 0, results.generate_report()


def student(browser, url, code, viewport):
    context = browser.new_context(viewport=viewport, is_mobile=viewport == PHONE)
    page = context.new_page()
    page.goto(f"{url}/r/{code}")
    page.goto(f"{url}/questions/")  # the tab remembers its room
    return page


def test_instructor_and_two_students_open_vote_reveal_fire(
    browser_server, browser, page, screenshot, shop
):
    url = browser_server.url
    page.set_viewport_size(PROJECTOR)
    code = open_room(page, url)
    desk = student(browser, url, code, PROJECTOR)
    phone = student(browser, url, code, PHONE)
    expect(desk.get_by_role("heading", name="No question yet")).to_be_visible()

    page.goto(f"{url}/questions/?room={code}")
    page.get_by_label("Built-in question").select_option("database.console-delete")
    page.get_by_role("button", name="Ask the class").click()
    page.get_by_role("button", name="Open voting").click()
    for who in (desk, phone):  # the room's feed brings the open question, no reload
        expect(who.locator("[data-q-text]")).to_contain_text("DELETE FROM shop_order", timeout=5000)
    expect(phone.locator("[data-q-status]")).to_contain_text("tap your answer")
    screenshot("phone-question", of=phone)
    no_axe_violations(phone)

    desk.get_by_role("button", name=re.compile("Every order is deleted")).click()
    phone.get_by_role("button", name=re.compile("read-only")).click()
    expect(phone.get_by_role("button", name=re.compile("read-only"))).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator("[data-q-status]")).to_contain_text("2 of 2 voted", timeout=5000)
    expect(page.locator("[data-q-options]")).to_contain_text("1 vote")
    expect(desk.locator(".q-bars")).to_have_count(0)  # students do not see the counts yet
    screenshot("instructor-votes")
    no_axe_violations(page)

    page.get_by_role("button", name="Lock votes").click()
    page.get_by_role("button", name="Show the votes").click()
    expect(phone.locator(".q-bars").first).to_be_visible(timeout=5000)
    page.get_by_role("button", name="Fire it for real").click()
    refused = Message.objects.filter(kind="console.query", room=code)
    expect(page.locator("[data-q-verdict]")).to_contain_text("The right answer is", timeout=15000)
    right = "B" if refused.get().status == "error" else "A"  # what the console recorded decides
    for who in (page, desk, phone):
        expect(who.locator("[data-q-verdict]")).to_contain_text(
            f"The right answer is {right}", timeout=5000
        )
        expect(who.locator(".q-correct")).to_contain_text("what happened")
    expect(phone.locator("[data-q-verdict]")).to_contain_text(
        "Your prediction held" if right == "B" else "did not hold"
    )
    screenshot("instructor-outcome")
    screenshot("phone-outcome", of=phone)
    screenshot("desk-outcome", of=desk)
    no_axe_violations(phone)


def test_a_learner_alone_predicts_fires_and_sees_whether_it_held(
    browser_server, page, screenshot, shop
):
    page.set_viewport_size(PHONE)
    page.goto(f"{browser_server.url}/questions/?room=")
    page.get_by_label("Built-in question").select_option("database.console-delete")
    page.get_by_role("button", name=re.compile("read-only")).click()
    page.get_by_role("button", name="Fire it for real").click()
    expect(page.locator("[data-q-verdict]")).to_contain_text("The right answer is", timeout=15000)
    expect(page.locator("[data-q-measured]")).to_contain_text("Measured:")
    screenshot("alone-outcome")
    no_axe_violations(page)


def test_the_instructor_writes_a_question_asks_it_and_the_ledger_decides(
    browser_server, browser, page, screenshot, shop
):
    url = browser_server.url
    page.set_viewport_size(PROJECTOR)
    code = open_room(page, url)
    phone = student(browser, url, code, PHONE)
    page.goto(f"{url}/questions/?room={code}")
    page.get_by_text("Write your own question").click()
    form = page.locator("[data-q-form]")
    form.get_by_label("Question").fill("Someone types DELETE FROM shop_order in the console. Then?")
    form.get_by_label("Action to fire").select_option("database query")
    form.get_by_label("Data it sends").fill('{"sql": "DELETE FROM shop_order"}')
    form.get_by_label("Decided by").select_option("database.console_statement")

    # A form with one option is refused by the API; the page says so beside the options.
    form.get_by_role("button", name="Remove option B").click()
    form.get_by_label("Option A", exact=True).fill("The orders are gone")
    form.get_by_role("button", name="Save question").click()
    expect(form.locator("[data-q-field-error=options]")).to_contain_text("2 to 5 options")
    expect(form.locator("[data-q-field-error=text]")).to_be_empty()
    screenshot("write-refused")

    form.get_by_label("Option A is right when it finds").select_option("ran")
    for letter, text, value in (
        ("B", "It is refused: the console only reads", "refused"),
        ("C", "Only some orders are deleted", "ran"),
    ):
        form.get_by_role("button", name="Add an option").click()
        form.get_by_label(f"Option {letter}", exact=True).fill(text)
        form.get_by_label(f"Option {letter} is right when it finds").select_option(value)
    form.get_by_role("button", name="Save question").click()
    expect(form.locator("[data-q-w-saved]")).to_contain_text("Saved")
    expect(form.locator("[data-q-field-error=options]")).to_be_empty()
    picker = page.get_by_label("Built-in question")
    expect(picker.locator("optgroup[label='Your questions'] option")).to_have_text(
        ["Someone types DELETE FROM shop_order in the console. Then?"]
    )
    screenshot("write-saved")
    no_axe_violations(page)

    page.get_by_role("button", name="Ask the class").click()
    page.get_by_role("button", name="Open voting").click()
    expect(phone.locator("[data-q-text]")).to_contain_text("DELETE FROM", timeout=5000)
    phone.get_by_role("button", name=re.compile("only reads")).click()
    expect(page.locator("[data-q-status]")).to_contain_text("1 of 1 voted", timeout=5000)
    page.get_by_role("button", name="Lock votes").click()
    page.get_by_role("button", name="Fire it for real").click()
    expect(page.locator("[data-q-verdict]")).to_contain_text("The right answer is", timeout=15000)
    page.get_by_role("button", name="Show the votes").click()
    refused = Message.objects.get(kind="console.query", room=code).status == "error"
    right = "B" if refused else "A"  # what the console recorded decides
    for who in (page, phone):
        expect(who.locator("[data-q-verdict]")).to_contain_text(
            f"The right answer is {right}", timeout=5000
        )
        expect(who.locator(".q-bars").first).to_be_visible(timeout=5000)
    screenshot("write-outcome")
    screenshot("write-outcome-phone", of=phone)
    no_axe_violations(phone)

    page.get_by_text("Import or export your questions").click()
    page.get_by_role("button", name="Export").click()
    expect(page.get_by_label("Questions as JSON")).to_have_value(re.compile("only reads"))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("[data-q-pick-error]")).to_contain_text("Added 0 questions")
