"""Where the playground reads what its apps declare (patterns.site.styles) and wires it up.

Every route, page, socket, periodic job and process of an app comes from its declaration, read
here; no other code looks for apps or their modules.
"""

from django.urls import include, path
from django.utils.module_loading import import_string

from patterns.site.styles import declared


def routers():
    """(prefix, ninja router) for every API an app serves, mounted at /api/<prefix>/."""
    return [
        (prefix, import_string(router)) for app in declared() for prefix, router in app.api.items()
    ]


def openapi_extenders():
    return [app.part("openapi") for app in declared() if app.openapi]


def url_patterns():
    return [
        path(prefix, include(module)) for app in declared() for prefix, module in app.urls.items()
    ]


def websocket_routes():
    return [
        route
        for app in declared()
        if app.websocket_routes
        for route in app.part("websocket_routes")
    ]


def beat_schedule():
    return {name: entry for app in declared() for name, entry in app.beat_schedule.items()}


def children(python, manage):
    """(label, command line) of every process an app needs beside the web server and workers."""
    return [
        (label, [python, str(manage), *args]) for app in declared() for label, args in app.children
    ]
