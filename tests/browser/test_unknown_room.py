"""A page naming a room that does not exist says so where a learner looks, and its feed stops
asking (the server refused it: asking again would be refused again)."""

from playwright.sync_api import expect

TEXT = "No room ZZZZZ — check the code"


def test_a_page_in_an_unknown_room_says_so_and_stops_reconnecting(browser_server, page, screenshot):
    sockets = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.goto(f"{browser_server.url}/webhooks/?room=ZZZZZ")
    state = page.locator("header [data-feed-state]")
    expect(state).to_have_text(TEXT)
    expect(state).to_have_attribute("data-feed-state", "refused")
    expect(page.locator("[data-room-banner]")).to_contain_text(TEXT)
    screenshot("projector")
    # The network "coming back" would reconnect a live feed at once; a refused one stays put. The
    # page's own fetch afterwards is a round trip by which a new socket would have been opened.
    page.evaluate(
        "async () => { window.dispatchEvent(new Event('online')); await fetch('/api/health'); }"
    )
    feeds = [url for url in sockets if "/ws/feed/" in url]
    assert len(feeds) == 1 and "room=ZZZZZ" in feeds[0]
    page.set_viewport_size({"width": 390, "height": 844})
    expect(state).to_be_visible()
    screenshot("phone")
