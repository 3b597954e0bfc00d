from django.contrib import admin

from .models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """The ledger, read-only: it records what happened, so nobody edits history by hand."""

    list_display = (
        "id",
        "created_at",
        "style",
        "kind",
        "hop",
        "source",
        "target",
        "status",
        "attempt",
        "valid",
    )
    list_filter = ("style", "status", "hop", "valid", "kind")
    search_fields = ("correlation_id", "uid", "kind")
    ordering = ("-id",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
