"""Students follow the instructor: the page the instructor opens, the students' pages open too,
unless a student ticked "Stay here"; a comparison run in one room is not seen in another."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from patterns.ledger.models import Message
from patterns.rooms.models import Room
from patterns.tours.models import Run

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "shop"])

PROJECTOR = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def instructor_in(browser, url, code, key):
    """The instructor's browser: the room's key in its storage, as the rooms page leaves it."""
    context = browser.new_context(viewport=PROJECTOR)
    context.add_init_script(f"localStorage.setItem('playground.roomKey.{code}', '{key}')")
    return context.new_page()


def student_on(browser, url, code, viewport, path="/webhooks/"):
    page = browser.new_context(viewport=viewport).new_page()
    page.goto(f"{url}{path}?room={code}")
    expect(page.locator("[data-room-banner]")).to_contain_text("You are following the instructor")
    expect(page.locator("[data-feed-state]")).to_have_text("Live")
    return page


def test_a_students_page_follows_the_instructor_unless_it_stays(
    browser_server, browser, screenshot
):
    room, key = Room.open("Week 5")
    url, code = browser_server.url, room.code
    teacher = instructor_in(browser, url, code, key)
    follower = student_on(browser, url, code, PROJECTOR)
    stayer = student_on(browser, url, code, PHONE)
    stay = stayer.get_by_label("Stay here")
    stay.focus()  # keyboard-reachable: a Tab stop, ticked with the space bar
    stayer.keyboard.press("Space")
    expect(stay).to_be_checked()
    expect(stayer.locator("[data-room-banner]")).to_contain_text("looking around on your own")
    assert Axe().run(stayer, context="[data-room-banner]").violations_count == 0
    screenshot("student-phone-stay-here", of=stayer)
    screenshot("student-projector-following", of=follower)

    teacher.goto(f"{url}/queue/?room={code}")
    expect(teacher.locator("[data-room-banner]")).to_contain_text("You are the instructor")
    expect(follower).to_have_url(f"{url}/queue/?room={code}", timeout=5000)
    expect(follower.locator("[data-room-banner]")).to_contain_text(f"Room {code}")
    # The student who stays is told where the class went, and is still where it was.
    elsewhere = stayer.locator("[data-room-elsewhere]")
    expect(elsewhere).to_have_text(re.compile(r"Your instructor is on: Message queue — go there"))
    assert stayer.url == f"{url}/webhooks/?room={code}"
    expect(stay).to_be_checked()  # remembered for the tab
    assert Axe().run(stayer, context="[data-room-banner]").violations_count == 0
    screenshot("student-phone-instructor-elsewhere", of=stayer)

    # Late joiners land where the class is.
    joiner = browser.new_context(viewport=PHONE).new_page()
    joiner.goto(f"{url}/r/{code}")
    expect(joiner.locator("[data-room-now]")).to_contain_text(
        "Your instructor is on: Message queue"
    )
    joiner.get_by_role("link", name="go there").click()
    expect(joiner).to_have_url(f"{url}/queue/?room={code}")

    # Unticking "Stay here" catches up with the class.
    stay.uncheck()
    expect(stayer).to_have_url(f"{url}/queue/?room={code}", timeout=5000)


def test_a_comparison_run_in_one_room_is_not_seen_in_another_or_the_shared_demo(
    browser_server, order_42, browser
):
    room, key = Room.open()
    other = Room.open()[0].code
    url = browser_server.url
    teacher = instructor_in(browser, url, room.code, key)
    teacher.goto(f"{url}/compare/?room={room.code}")
    expect(teacher.locator("[data-compare-progress]")).to_contain_text("Nothing sent yet")
    teacher.get_by_role("button", name="Ship order 42 through every style").click()
    expect(teacher.locator("[data-summary-caption]")).to_contain_text("Run #", timeout=15000)
    run = Run.objects.get()
    assert run.world == room.code
    # The room's students see it; another room and the shared demo still have nothing sent.
    student = student_on(browser, url, room.code, PROJECTOR, path="/compare/")
    expect(student.locator("[data-summary-caption]")).to_contain_text(f"Run #{run.id}")
    for where in (f"?room={other}", "?room="):
        page = browser.new_context(viewport=PROJECTOR).new_page()
        page.goto(f"{url}/compare/{where}")
        expect(page.locator("[data-feed-state]")).to_have_text("Live")
        page.wait_for_function("document.readyState === 'complete'")
        answer = page.evaluate(
            "async (headers) => (await fetch('/api/compare/runs/latest', {headers})).json()",
            {"X-Room": other} if where != "?room=" else {},
        )
        assert answer["id"] is None
        expect(page.locator("[data-compare-progress]")).to_contain_text("Nothing sent yet")
        expect(page.locator("[data-summary-caption]")).not_to_contain_text("Run #")


def test_students_follow_the_instructors_tour_step_by_step_and_their_panels_fire_nothing(
    browser_server, browser, screenshot
):
    room, key = Room.open()
    url, code = browser_server.url, room.code
    teacher = instructor_in(browser, url, code, key)
    student = student_on(browser, url, code, PHONE, path="/tours/")
    teacher.goto(f"{url}/tours/?room={code}")
    teacher.locator('[data-tour-card="queue"]').get_by_role("link", name="Start the tour").click()
    panel = teacher.locator("[data-tour]")
    expect(panel).to_have_attribute("data-tour-step", "1")
    expect(student).to_have_url(f"{url}/queue/?tour=queue&step=1&room={code}", timeout=5000)
    teacher.keyboard.press("ArrowRight")  # step 2 signs one person up, in the room
    expect(panel).to_have_attribute("data-tour-verified", "ok", timeout=30000)
    followed = student.locator("[data-tour]")
    expect(student).to_have_url(re.compile(r"step=2&room="), timeout=5000)
    expect(followed).to_have_attribute("data-tour-step", "2")
    expect(followed).to_contain_text("Your instructor sends this step's messages")
    expect(student.locator("[data-log] li[data-message-id]").first).to_be_visible(timeout=15000)
    screenshot("student-phone-tour-step-2", of=student)
    queued = Message.objects.filter(style="queue", hop="queued")
    assert list(queued.values_list("room", flat=True)) == [code]  # the student fired nothing
