from patterns.site import styles


class QuestionsConfig(styles.PlaygroundApp):
    name = "patterns.questions"
    label = "questions"
    verbose_name = "Predict, vote, then fire"
    # Votes and rounds are ledger messages of their own, so a lesson can be read back.
    ledger_style = "questions"
    api = {
        "questions": "patterns.questions.api.router",
        "rooms": "patterns.questions.api.room_router",
    }
    urls = {"": "patterns.questions.urls"}  # /questions/, and /api/questions without the slash

    def ready(self):
        from . import contracts

        contracts.register()
