from django.core.management.base import BaseCommand
from django.db import transaction

from patterns.shop import schema
from patterns.shop.models import Customer, Order
from patterns.shop.seed import seed


class Command(BaseCommand):
    help = "Fill Shop's database with believable customers and orders (--reset starts over)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="restore the schema and replace all data"
        )

    def handle(self, *args, reset, **options):
        if reset:
            schema.restore()
            with transaction.atomic(using=schema.DB):
                Order.objects.using(schema.DB).all().delete()
                Customer.objects.using(schema.DB).all().delete()
        customers, orders = seed()
        self.stdout.write(
            f"Shop: {customers} customers and {orders} orders added"
            if customers
            else "Shop already has data"
        )
