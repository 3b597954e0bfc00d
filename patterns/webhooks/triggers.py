"""The twins of the webhook buttons, for the API and `manage.py fire`: one trigger per event type."""

from patterns.site import triggers

from . import catalog
from .outbox import event_type_sample, fire, summary


def register():
    for name, event_type in catalog.TYPES.items():

        def fire_one(data, name=name):
            # --data overrides fields of the sample, so `--data '{"amount": 5}'` is enough.
            return summary(*fire(name, {**event_type_sample(name), **(data or {})}))

        triggers.register(
            "webhooks",
            name,
            fire_one,
            help=f"{catalog.SOURCES[event_type.source]}: {event_type.summary}",
        )
