from patterns.site.styles import STYLES


def playground(request):
    """What every page's header needs: the styles, for the navigation."""
    return {"styles": STYLES}
