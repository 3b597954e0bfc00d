"""The guided tours: one short lesson per style, declared by the style itself (its `tour` part,
written with patterns.site.lessons) and served by GET /api/tours/…"""

from patterns.site.styles import styles


def tours():
    """{style key: tour} for every installed style that declares one, in the styles' order."""
    return {config.card.key: config.part("tour") for config in styles() if config.tour}


def tour_for(key):
    """The tour of style `key` with its style's words, or None."""
    config = next((c for c in styles() if c.card.key == key and c.tour), None)
    if config is None:
        return None
    style = config.card
    return {
        "style": key,
        "style_name": style.name,
        "page": style.url,
        "motto": style.motto,
        **config.part("tour"),
    }


def available():
    return [tour_for(config.card.key) for config in styles() if config.tour]
