from tests.webhooks.parts import beat, outside  # noqa: F401  (fixtures)
