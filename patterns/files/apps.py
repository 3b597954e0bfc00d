from patterns.site import styles


class FilesConfig(styles.StyleConfig):
    name = "patterns.files"
    label = "files"
    verbose_name = "File drop"
    card = styles.Style(
        key="files",
        app="patterns.files",
        path="file-drop",
        name="File drop",
        motto="I left you a letter.",
        sentence="One system leaves a file (say, a CSV at midnight); the other reads it later.",
        used_when="Used between organisations and older systems, for daily or nightly batches.",
        analogy="Like leaving a letter instead of having a conversation.",
    )
    contracts = "patterns.files.contracts.register"
    triggers = "patterns.files.triggers.register"
    api = {"files": "patterns.files.api.router", "": "patterns.files.api.listing_router"}
    urls = {"file-drop/": "patterns.files.urls"}
    tour = "patterns.files.tour.TOUR"
    measurements = "patterns.files.predictions.PREDICTIONS"
    reset = "patterns.files.demo.reset"
    # One for the whole server, so one for every room: only the owner changes it.
    shared_controls = (
        "/api/files/clock",
        "/api/files/demo",
    )
    # A tick a second is 24 story minutes at the default scale: fine enough for 00:00 and 08:00.
    beat_schedule = {
        "files-tick": {"task": "files.tick", "schedule": 1.0, "options": {"expires": 3}}
    }

    def ready(self):
        super().ready()
        from patterns.site import bodies

        from . import uploads

        bodies.guard("/api/files/upload", max_bytes=uploads.MAX_BYTES + uploads.MULTIPART_OVERHEAD)
