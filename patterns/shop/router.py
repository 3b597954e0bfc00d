class ShopRouter:
    """Shop's tables live in the "shop" database; everything else in "default"."""

    def db_for_read(self, model, **hints):
        return "shop" if model._meta.app_label == "shop" else None

    db_for_write = db_for_read

    def allow_relation(self, a, b, **hints):
        return (a._meta.app_label == "shop") == (b._meta.app_label == "shop")

    def allow_migrate(self, db, app_label, **hints):
        return db == "shop" if app_label == "shop" else db != "shop"
