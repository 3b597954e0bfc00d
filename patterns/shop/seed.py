"""Believable data for Shop: customers (with the columns nobody outside Shop should see) and a
month of orders, some of them today. Deterministic: the same seed gives the same shop."""

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import transaction
from django.utils import timezone

from . import schema
from .models import Customer, Order

FIRST = [
    "Amira",
    "Ben",
    "Chloé",
    "Dmitri",
    "Elena",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Kasia",
    "Luca",
    "Maya",
    "Noah",
    "Olivia",
    "Pavel",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Umar",
    "Vera",
    "Wim",
    "Yara",
    "Zoe",
]
LAST = [
    "Andersen",
    "Bakker",
    "Costa",
    "Dubois",
    "Evans",
    "Fischer",
    "García",
    "Horvat",
    "Ivanova",
    "Jansen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Novak",
    "O'Brien",
    "Petrov",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Weber",
]
PLACES = [
    ("Amsterdam", "NL"),
    ("Berlin", "DE"),
    ("Lisbon", "PT"),
    ("Lyon", "FR"),
    ("Milan", "IT"),
    ("Ghent", "BE"),
    ("Kraków", "PL"),
    ("Dublin", "IE"),
    ("Vienna", "AT"),
    ("Gothenburg", "SE"),
    ("Valencia", "ES"),
]
STREETS = [
    "Mill Lane",
    "Station Road",
    "Canal Street",
    "Church Walk",
    "Market Square",
    "Harbour View",
    "Elm Avenue",
]
PASSWORDS = [
    "Summer2024!",
    "letmein",
    "Password1",
    "qwerty123",
    "correct-horse-battery",
    "iloveshopping",
]
# Most orders end up delivered; some are still on their way, a few fail.
STATUS_WEIGHTS = {
    "delivered": 45,
    "shipped": 20,
    "paid": 15,
    "pending": 10,
    "cancelled": 6,
    "refunded": 4,
}


def seed(customers=40, orders=400, seed_value=42):
    """Fill an empty Shop (on its original schema). Returns (customers, orders) created."""
    if Customer.objects.using(schema.DB).exists():
        return 0, 0
    if schema.applied():
        raise RuntimeError("restore Shop's schema before seeding")
    rng, now = random.Random(seed_value), timezone.now()
    hasher = PBKDF2PasswordHasher()
    people = []
    for n in range(customers):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        city, country = rng.choice(PLACES)
        people.append(
            Customer(
                name=f"{first} {last}",
                email=f"{first}.{last}.{n}@example.com".lower().replace("'", ""),
                # Few iterations keep seeding fast; the format is Django's real one.
                password_hash=hasher.encode(rng.choice(PASSWORDS), f"salt{n:04d}", iterations=1000),
                card_last4=f"{rng.randrange(10000):04d}",
                address=f"{rng.randrange(1, 200)} {rng.choice(STREETS)}",
                city=city,
                country=country,
                created_at=now - timedelta(days=rng.randrange(30, 900)),
            )
        )
    statuses, weights = zip(*STATUS_WEIGHTS.items())
    with transaction.atomic(using=schema.DB):
        Customer.objects.using(schema.DB).bulk_create(people)
        people = list(Customer.objects.using(schema.DB).order_by("id"))
        rows = []
        for n in range(orders):
            # The newest tenth of the orders were placed today, the rest over the past month.
            age = (
                timedelta(minutes=rng.randrange(1, 8 * 60))
                if n >= orders * 0.9
                else timedelta(hours=rng.randrange(24, 24 * 30))
            )
            created = now - age
            rows.append(
                Order(
                    customer=rng.choice(people),
                    total=Decimal(rng.randrange(500, 25000)) / 100,
                    status=rng.choices(statuses, weights)[0],
                    created_at=created,
                    updated_at=created + timedelta(minutes=rng.randrange(0, 120))
                    if age > timedelta(hours=3)
                    else created,
                )
            )
        rows.sort(key=lambda o: o.created_at)
        Order.objects.using(schema.DB).bulk_create(rows)
    return len(people), len(rows)
