"""How an app of the playground declares itself, and how a style does.

An app serves the playground by declaring its parts on its AppConfig (a `PlaygroundApp`); a
communication style is a `StyleConfig`, which adds the card a learner reads, its contracts, its
triggers and its lessons. `playground/` reads the declarations (`declared()`, `styles()`) and
wires them up in one loop each: API routers, pages, WebSocket routes, beat schedules, processes.
Nothing else looks for apps, so adding a style is one folder and one line in INSTALLED_APPS.

Parts are dotted paths, imported only when they are needed, so declaring costs nothing at start.
An apps.py imports this module rather than its classes (`class XConfig(styles.StyleConfig)`):
Django picks an app's config automatically only when its apps.py holds exactly one AppConfig.
"""

from dataclasses import dataclass

from django.apps import AppConfig, apps
from django.utils.module_loading import import_string

IDEA = (
    "Every style is the same story told differently: one system shares information, another "
    "consumes it, and both agree on how the exchange works — the contract. The clearer that "
    "agreement, the easier the systems are to build, connect and grow."
)


@dataclass(frozen=True)
class Style:
    """What the home page, the navigation and the filters show of a style. `key` is its name in
    the ledger, the API (`/api/<key>/…`) and `manage.py fire <key>`; `path` is its page."""

    key: str
    app: str
    path: str
    name: str
    motto: str
    sentence: str
    used_when: str
    analogy: str

    @property
    def url(self):
        return f"/{self.path}/"


class PlaygroundApp(AppConfig):
    """An app's parts, as the playground wires them (all optional):

    - `api`: {prefix: router} — ninja routers mounted at /api/<prefix>/ ("" for /api/ itself);
    - `openapi`: a callable(schema) that extends the OpenAPI document;
    - `urls`: {path prefix: urls module} — pages, e.g. {"webhooks/": "patterns.webhooks.urls"};
    - `websocket_routes`: a list of WebSocket URL patterns;
    - `beat_schedule`: Celery beat entries (periodic jobs, run by the one beat);
    - `children`: [(label, manage.py arguments)] — processes `manage.py playground` starts;
    - `shared_controls`: paths under /api/ whose POST/PUT/PATCH/DELETE change something that is
      physically one for the whole server (the worker pool, Shop's schema): every room shares it,
      so only the owner may change it (patterns.rooms.guard);
    - `firing_reads`: paths under /api/ whose GETs fire a recorded exchange (a call to Shop's API,
      a dashboard's queries): whoever may not fire in a world may not send them there, or a
      student's page load would put messages on everyone's stage;
    - `reset`: a callable(world) that puts the app's demo state in that world back to its
      defaults (patterns.site.resets); a world's Reset calls every app's.
    """

    api: dict = {}
    openapi: str | None = None
    urls: dict = {}
    websocket_routes: str | None = None
    beat_schedule: dict = {}
    children: tuple = ()
    shared_controls: tuple = ()
    firing_reads: tuple = ()
    reset: str | None = None

    def part(self, name):
        """The object a dotted part points at (None when the app has no such part)."""
        path = getattr(self, name)
        return import_string(path) if path else None


class StyleConfig(PlaygroundApp):
    """A communication style. Besides an app's parts it declares:

    - `card`: its Style (name, idea, when it is used, an analogy);
    - `contracts`, `triggers`: callables that register its message contracts and the twins of its
      buttons (for the API and `manage.py fire`), run when the app is ready;
    - `tour`: its guided tour (see patterns.site.lessons);
    - `measurements`: what a prediction about it can be decided by.
    """

    card: Style
    contracts: str | None = None
    triggers: str | None = None
    tour: str | None = None
    measurements: str | None = None

    def ready(self):
        for name in ("contracts", "triggers"):
            if register := self.part(name):
                register()


def declared():
    """Every installed app that declares parts, in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if isinstance(config, PlaygroundApp)]


def styles():
    """The installed styles' configs, in INSTALLED_APPS order."""
    return [config for config in declared() if isinstance(config, StyleConfig)]


def __getattr__(name):
    # STYLES and BY_KEY are read from the installed apps, so they exist once Django has set up.
    if name == "STYLES":
        return [config.card for config in styles()]
    if name == "BY_KEY":
        return {config.card.key: config.card for config in styles()}
    raise AttributeError(name)
