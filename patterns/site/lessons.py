"""The words of a guided tour: a style writes its tour (its `tour.py`) with these, as data.

A step says one or two sentences, may fire real actions through the style's own public API
(the endpoints its page's buttons use) and names the ledger hops those actions must produce
(`expect`: hop -> at least how many). `highlight` points at a part of the style page.
`cleanup` runs when a tour ends or is left, so a tour never leaves a style broken.
"""


def act(method, path, body=None):
    return {"method": method, "path": path, "body": body}


def step(title, say, *, do=(), expect=None, highlight="", wait_note=""):
    return {
        "title": title,
        "say": say,
        "actions": list(do),
        "expect": expect or {},
        "highlight": highlight,
        "wait_note": wait_note,
    }


STAGE, DO, BREAK, LOG = (
    "[data-stage]",
    '[data-controls="do"]',
    '[data-controls="break"]',
    "[data-log]",
)
