import hashlib
import hmac
import secrets

from django.db import models
from django.utils import timezone

# No 0/O, 1/I/L, 5/S, 2/Z: a code read aloud or off a projector is typed right the first time.
ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"
CODE_LENGTH = 5
SPEEDS = (1.0, 0.5, 0.25, 0.1)


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def hash_key(key):
    # The key is 32 random bytes, not a password: a plain SHA-256 is enough to keep it out of the
    # database, and is cheap enough to check on every fired event.
    return hashlib.sha256(key.encode()).hexdigest()


class Room(models.Model):
    """One classroom. The ledger keeps every message; `reset_after` is where the room's views start."""

    code = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    title = models.CharField(max_length=80, blank=True, default="")
    students_may_fire = models.BooleanField(default=False)
    speed = models.FloatField(default=1.0)
    paused = models.BooleanField(default=False)
    reset_after = models.BigIntegerField(default=0)
    # The page the instructor has open (a same-site path, without the room), so a student who joins
    # late lands where the class is.
    page_path = models.CharField(max_length=200, blank=True, default="")
    page_label = models.CharField(max_length=80, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.code

    @classmethod
    def open(cls, title=""):
        """A new room and its control key (returned once, never stored)."""
        key = secrets.token_urlsafe(32)
        for _ in range(20):
            code = new_code()
            if not cls.objects.filter(code=code).exists():
                return cls.objects.create(code=code, key_hash=hash_key(key), title=title), key
        raise RuntimeError("no free room code")

    def key_matches(self, key):
        return bool(key) and hmac.compare_digest(self.key_hash, hash_key(key))

    def settings(self):
        return {
            "students_may_fire": self.students_may_fire,
            "speed": self.speed,
            "paused": self.paused,
        }


def normalise(code):
    return (code or "").strip().upper()


def well_formed(code):
    """Could `code` be a room's code at all? Anything else is unknown without asking the database
    (PostgreSQL refuses a NUL in text outright: a fuzzed `?room=` was a 500, not a 404)."""
    return 0 < len(code) <= 16 and code.isascii() and code.isalnum()


def find(code):
    """The room with this code (as typed: any case, spaces around), or None."""
    code = normalise(code)
    return Room.objects.filter(code=code).first() if well_formed(code) else None


def floor_of(code):
    """The ledger id a room's views start after (its last reset); 0 for an unknown room."""
    if not well_formed(code):
        return 0
    return Room.objects.filter(code=code).values_list("reset_after", flat=True).first() or 0
