from patterns.ledger.roomctx import world
from patterns.site.styles import STYLES


def playground(request):
    """What every page's header needs: the styles, for the navigation; and the world the page is
    in ("" for the shared demo), so its links to other views of the ledger stay in it."""
    return {"styles": STYLES, "world": world()}
