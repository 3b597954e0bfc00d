"""Every style's declared measurements and built-in questions, read through the styles'
declarations (patterns.site.styles): this app never imports a style."""

import functools

from patterns.site import styles, triggers


@functools.cache
def _declared():
    measurements, questions, owners = {}, {}, {}
    for config in styles.styles():
        predictions = config.part("measurements")
        if predictions is None:
            continue
        measurements.update({m.key: m for m in predictions.measurements})
        questions.update({q.id: q for q in predictions.questions})
        owners.update({m.key: config.card.key for m in predictions.measurements})
    return measurements, questions, owners


def measurements():
    return _declared()[0]


def questions():
    return _declared()[1]


def option_dict(option):
    return {"text": option.text, "value": option.value, "low": option.low, "high": option.high}


def step_dict(step):
    # A step whose data is made fresh on every run shows what it sends without the fresh parts.
    data = {} if callable(step.data) else dict(step.data)
    return {"style": step.style, "kind": step.kind, "data": data, "count": step.count}


def spec_of(question):
    """A built-in question as stored and shown (what an instructor's own question looks like)."""
    return {
        "style": question.style,
        "text": question.text,
        "options": [option_dict(o) for o in question.options],
        "steps": [step_dict(s) for s in question.steps],
        "measurement": question.measurement,
        "explain": question.explain,
        "shared": question.shared,
    }


def describe_measurement(m):
    # `style`: the style that declares it, so a form can offer the measurements of the action's style.
    style = _declared()[2].get(m.key, "")
    return {"key": m.key, "style": style, "label": m.label, "unit": m.unit, "values": m.values}


def actions():
    """Every trigger an instructor's own question may fire (the twins of the styles' buttons)."""
    return [{"style": t.style, "kind": t.kind, "help": t.help} for t in triggers.all_triggers()]


def correct_option(options, value):
    """The index of the first option that describes `value`, or None."""
    for index, option in enumerate(options):
        if option.get("value") is not None:
            if str(value) == option["value"]:
                return index
            continue
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        low, high = option.get("low"), option.get("high")
        if (low is None or value >= low) and (high is None or value <= high):
            return index
    return None
