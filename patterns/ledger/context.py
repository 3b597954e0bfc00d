from .styles import STYLES


def playground(request):
    """What every page's header needs: the styles (built ones are links) for the navigation."""
    return {"styles": STYLES, "built_styles": [s for s in STYLES if s.built]}
