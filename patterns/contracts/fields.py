"""A contract's fields in words a learner can read, from its JSON Schema: name, type, required,
the rules a value must follow, and what it means."""

RULES = [
    ("minimum", "at least {}"),
    ("exclusiveMinimum", "more than {}"),
    ("maximum", "at most {}"),
    ("exclusiveMaximum", "less than {}"),
    ("minLength", "at least {} characters"),
    ("maxLength", "at most {} characters"),
    ("multipleOf", "a multiple of {}"),
    ("pattern", "matches {}"),
    ("format", "format: {}"),
]


def _ref_name(ref):
    return ref.rsplit("/", 1)[-1]


def type_of(prop):
    """'integer', 'text', 'list of Order', 'one of: paid, shipped', 'text or nothing' …"""
    if "$ref" in prop:
        return _ref_name(prop["$ref"])
    if "enum" in prop:
        return "one of: " + ", ".join(map(str, prop["enum"]))
    if "const" in prop:
        return f"always {prop['const']}"
    if "anyOf" in prop:
        options = [type_of(p) for p in prop["anyOf"]]
        plain = [o for o in options if o != "nothing"]
        return " or ".join(dict.fromkeys(plain)) + (
            " (or nothing)" if len(plain) < len(options) else ""
        )
    kind = prop.get("type")
    if kind == "array":
        return f"list of {type_of(prop.get('items', {}))}"
    names = {
        "string": "text",
        "integer": "whole number",
        "number": "number",
        "boolean": "true or false",
        "object": "object",
        "null": "nothing",
    }
    return (
        names.get(kind, "anything")
        if isinstance(kind, str)
        else " or ".join(names.get(k, k) for k in kind or [])
    )


def _rules(prop):
    # A pattern is for programs; when the field says in words what it wants, the words are enough.
    keys = [key for key, _ in RULES if not (key == "pattern" and prop.get("description"))]
    found = [text.format(prop[key]) for key, text in RULES if key in prop and key in keys]
    for option in prop.get("anyOf", []):
        found += [
            r
            for r in _rules({**option, "description": prop.get("description", "")})
            if r not in found
        ]
    return found


def describe(schema):
    """[{name, type, required, rules, meaning, default}] for the schema's top-level fields."""
    required = set(schema.get("required", []))
    rows = []
    for name, prop in schema.get("properties", {}).items():
        rows.append(
            {
                "name": name,
                "type": type_of(prop),
                "required": name in required,
                "rules": _rules(prop),
                "meaning": prop.get("description", ""),
                "default": prop.get("default"),
            }
        )
    return rows
