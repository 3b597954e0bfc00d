"""A lecture on a served playground: the owner, two rooms, and a student in each (one on a phone)
who presses every button on every page of their room without a key. Nothing any of them sees
changes: the shared demo and both rooms keep every piece of their demo state and their logs. The
owner, holding the owner link's key, changes the shared demo and resets it; the rooms stay as
they were."""

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from patterns.files import clock
from patterns.ledger.models import Message
from patterns.rooms.models import Room
from patterns.site import resets
from patterns.site.styles import STYLES
from playground.embedded_redis import free_port
from playground.processes import stop
from tests.helpers import demo_state, eventually
from tests.servers import start_daphne

pytestmark = pytest.mark.django_db(transaction=True, databases="__all__")  # demo state reads Shop's
OWNER = "owner-key-for-the-browser-test-0123456789"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def served(server_env):
    """A daphne serving the playground to others: the shared demo needs the owner's key."""
    port = free_port()
    env = {
        **server_env,
        "PLAYGROUND_OWNER_KEY": OWNER,
        "PLAYGROUND_BASE_URL": f"http://127.0.0.1:{port}",
    }
    server = start_daphne(env, name="daphne-served-owner", port=port)
    yield server
    stop([server.process])


def pages_of(code):
    return ["/", *[s.url for s in STYLES], "/compare/", "/tours/", "/messages/"]


def press_everything(page, base, code):
    """Every enabled button, radio and checkbox in the page's main part, as a curious student
    presses them."""
    page.on("dialog", lambda dialog: dialog.dismiss())
    pressed = 0
    for path in pages_of(code):
        page.goto(f"{base}{path}?room={code}")
        expect(page.locator("[data-room-banner]")).to_contain_text(f"Room {code}")
        buttons = page.locator(
            "main button:visible:enabled, main input[type=radio]:visible:enabled, "
            "main input[type=checkbox]:visible:enabled"
        )
        for index in range(buttons.count()):
            button = buttons.nth(index)
            try:
                button.click(timeout=1500)
                pressed += 1
            except PlaywrightError:  # hidden or covered by now (a panel opened): next one
                continue
            page.keyboard.press("Escape")  # close whatever the button opened
        page.wait_for_load_state("networkidle")
    return pressed


def snapshot(worlds):
    return {w: (demo_state(w), Message.objects.filter(room=w).count()) for w in worlds}


def test_students_without_a_key_change_nothing_and_the_owner_changes_only_the_shared_demo(
    browser_server, served, browser, screenshot
):
    rooms = [Room.open(title)[0].code for title in ("Room A", "Room B")]
    worlds = ["", *rooms]
    resets.reset_world("")  # from defaults: what earlier tests left would decay meanwhile (buckets)
    clock.set_running(False)  # the story clock would export at midnight whoever pressed what
    before = snapshot(worlds)

    students = []
    for code, viewport in zip(rooms, ({"width": 1366, "height": 768}, PHONE)):
        student = browser.new_context(viewport=viewport).new_page()
        student.goto(f"{served.url}/r/{code}")
        expect(student.locator("[data-joined-room]")).to_have_text(code)
        assert press_everything(student, served.url, code) > 20
        students.append(student)
    screenshot("student-phone", of=students[1])
    assert snapshot(worlds) == before  # no world changed: not the rooms, not the shared demo

    owner = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    owner.goto(f"{served.url}/owner/#key={OWNER}")
    expect(owner.locator("[data-owner-state]")).to_contain_text("holds the owner key")
    assert "key=" not in owner.url  # the key leaves the address bar at once
    owner.goto(f"{served.url}/webhooks/")
    owner.locator('[data-mode="offline"]').check()
    eventually(lambda: demo_state("")["webhooks.receiver"] == "offline")
    assert {w: demo_state(w) for w in rooms} == {w: before[w][0] for w in rooms}

    owner.on("dialog", lambda dialog: dialog.accept())
    owner.get_by_role("button", name="Reset the demo").click()
    # Every shared-demo page starts afresh: the owner's own page reloads, healthy again.
    expect(owner.get_by_text("Shop's receiver is now: Offline")).to_be_hidden(timeout=10000)
    expect(owner.locator('[data-mode="healthy"]')).to_be_checked()
    after, expected = demo_state(""), dict(before[""][0])
    assert after.pop("files.story_clock") == "running"  # the owner's Reset starts the clock again
    expected.pop("files.story_clock")
    assert after == expected
    assert Message.objects.filter(room="", kind="demo.reset").count() >= len(STYLES)
    screenshot("owner-after-reset", of=owner)
