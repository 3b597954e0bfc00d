from patterns.site import styles


class PigeonConfig(styles.StyleConfig):
    name = "tests.pigeon"
    label = "pigeon"
    verbose_name = "Carrier pigeon"
    card = styles.Style(
        key="pigeon",
        app="tests.pigeon",
        path="pigeon",
        name="Carrier pigeon",
        motto="Tie a note to a bird.",
        sentence="One system ties a note to a pigeon; it flies to the other system's window.",
        used_when="Used when nothing else reaches: no wires, and plenty of patience.",
        analogy="Like a letter with wings.",
    )
    contracts = "tests.pigeon.loft.register_contracts"
    triggers = "tests.pigeon.loft.register_triggers"
    api = {"pigeon": "tests.pigeon.loft.router"}
    urls = {"pigeon/": "tests.pigeon.loft"}
