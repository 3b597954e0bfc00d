"""The six communication styles: what the home page, the navigation and the filters show.

`key` is the style's name in the ledger, the API (`/api/<key>/…`) and `manage.py fire <key>`;
`app` is its Django app; `path` is its page. A style counts as built once its app is installed.
"""

from dataclasses import dataclass

from django.conf import settings

IDEA = (
    "Every style is the same story told differently: one system shares information, another "
    "consumes it, and both agree on how the exchange works — the contract. The clearer that "
    "agreement, the easier the systems are to build, connect and grow."
)


@dataclass(frozen=True)
class Style:
    key: str
    app: str
    path: str
    name: str
    motto: str
    sentence: str
    used_when: str
    analogy: str

    @property
    def built(self):
        return self.app in settings.INSTALLED_APPS

    @property
    def url(self):
        return f"/{self.path}/"


STYLES = [
    Style(
        key="api",
        app="patterns.api",
        path="request-response",
        name="Request / response API",
        motto="Ask, and get an answer.",
        sentence="One system asks a question over HTTP and waits while the other answers it.",
        used_when="Used when you need an answer right now: show an order, check a price, log in.",
        analogy="Like asking at a counter and waiting for the reply.",
    ),
    Style(
        key="files",
        app="patterns.files",
        path="file-drop",
        name="File drop",
        motto="I left you a letter.",
        sentence="One system leaves a file (say, a CSV at midnight); the other reads it later.",
        used_when="Used between organisations and older systems, for daily or nightly batches.",
        analogy="Like leaving a letter instead of having a conversation.",
    ),
    Style(
        key="webhooks",
        app="patterns.webhooks",
        path="webhooks",
        name="Webhooks",
        motto="Don't call us, we'll call you.",
        sentence="When something happens, the system that knows calls you at an address you gave it.",
        used_when="Used for events from other companies: a payment completed, a parcel shipped.",
        analogy="Like a fishing hook that only moves when a fish bites.",
    ),
    Style(
        key="queue",
        app="patterns.queues",
        path="queue",
        name="Message queue",
        motto="Take a ticket; we'll get to it.",
        sentence="Work is put in a line and background workers take it one job at a time.",
        used_when="Used for slow or bursty work: sending emails, resizing photos, absorbing spikes.",
        analogy="Like the queue at a counter: nobody is turned away, everyone is served in turn.",
    ),
    Style(
        key="streams",
        app="patterns.streams",
        path="streaming",
        name="Streaming",
        motto="Stay connected; it comes as it happens.",
        sentence="Systems keep a connection open and data flows the moment it exists.",
        used_when="Used for live things: chat, live comments, prices, dashboards.",
        analogy="Like a phone call that stays open instead of sending letters.",
    ),
    Style(
        key="database",
        app="patterns.database",
        path="database",
        name="Direct database access",
        motto="Walk straight in.",
        sentence="One system reads another system's tables directly, skipping any agreed interface.",
        used_when="Rare and risky: quick reports and legacy integrations. Fast, but tightly coupled.",
        analogy="Like walking into someone's house instead of knocking on the door.",
    ),
]

BY_KEY = {style.key: style for style in STYLES}
