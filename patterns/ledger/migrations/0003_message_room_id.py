from django.db import migrations, models


class Migration(migrations.Migration):
    """Each room's pages chain their cursor through "the largest id in this room": an index on
    (room, id) answers that, and a room's log, without scanning other rooms' rows."""

    dependencies = [("ledger", "0002_healthstate")]

    operations = [
        migrations.AddIndex(model_name="message", index=models.Index(fields=["room", "id"], name="ledger_room_id")),
    ]
