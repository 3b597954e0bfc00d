"""Setting the scene before a comparison run: order N must be "paid" so Shop can ship it again.

This is the stage hand, not part of the lesson: Shop's rules never let a shipped order go back,
so a re-run puts it back in Shop's own database (the foundation's Shop, not another style),
following whichever schema change is applied.
"""

from django.db import connections, transaction
from django.utils import timezone

from patterns.shop import schema


def ready_to_ship(order_id):
    """Put order `order_id` back to paid. False if Shop has no such order."""
    column, value = (
        ("status_code", schema.STATUS_CODES["paid"])
        if "change_type" in schema.applied()
        else ("status", "paid")
    )
    stamp = connections[schema.DB].ops.adapt_datetimefield_value(timezone.now())
    with transaction.atomic(using=schema.DB), connections[schema.DB].cursor() as cursor:
        cursor.execute(
            f"UPDATE shop_order SET {column} = %s, updated_at = %s WHERE id = %s",
            [value, stamp, order_id],
        )
        return cursor.rowcount == 1
