"""Settings for the Communication Playground.

Everything is configured by environment variables (see README "Configuration"). The defaults
serve a laptop demo: SQLite and an embedded Redis under PLAYGROUND_DATA_DIR, DEBUG on. A
production profile (DEBUG=false, SECRET_KEY and ALLOWED_HOSTS set) passes `check --deploy`.
"""

import ipaddress
import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

# Under pytest every run gets its own data dir, test database name and Redis DB numbers, so a
# test run never hands work to (or flushes the data of) a playground running on the same machine.
TESTING = "pytest" in sys.modules


def env_str(name, default=""):
    return os.environ.get(name, default).strip()


def env_bool(name, default):
    value = env_str(name).lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name, default):
    value = env_str(name)
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_float(name, default):
    value = env_str(name)
    try:
        return float(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}") from None


def env_list(name, default):
    value = env_str(name)
    return [item.strip() for item in value.split(",") if item.strip()] if value else default


# On for a laptop; `playground --host` beyond loopback starts its processes with it off (playground/served.py).
DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "django-insecure-playground-dev-key-only-for-local-demos"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
# Set when the playground is served to others (`playground --host` beyond loopback, or
# `--behind-proxy`): then the shared demo and what every room shares change only with this key
# (patterns/rooms/owner.py). Empty on a laptop used alone: nobody needs a key.
PLAYGROUND_OWNER_KEY = env_str("PLAYGROUND_OWNER_KEY")

if env_str("PLAYGROUND_DATA_DIR"):
    DATA_DIR = Path(env_str("PLAYGROUND_DATA_DIR")).expanduser().resolve()
elif TESTING:
    DATA_DIR = Path(tempfile.mkdtemp(prefix="playground-test-"))
else:
    DATA_DIR = BASE_DIR / "data"
DATA_DIR.mkdir(parents=True, exist_ok=True)

# Where the playground itself is served, for systems in it that call it over the wire (a webhook
# sender posting to Shop's receiver, a poller asking Shop's API). `manage.py playground` sets it.
PLAYGROUND_BASE_URL = env_str("PLAYGROUND_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Webhook endpoints may be public addresses (and Shop's own receiver) only; networks listed here
# are opened by choice, e.g. "192.168.1.0/24" for a classroom LAN (comma-separated).
WEBHOOKS_ALLOWED_NETWORKS = env_list("WEBHOOKS_ALLOWED_NETWORKS", [])
try:
    [ipaddress.ip_network(net, strict=False) for net in WEBHOOKS_ALLOWED_NETWORKS]
except ValueError as exc:
    raise ImproperlyConfigured(f"WEBHOOKS_ALLOWED_NETWORKS: {exc}") from None

# Story time: schedules are written in story time and run this many times faster
# (1440: a story day lasts one real minute).
PLAYGROUND_TIME_SCALE = env_float("PLAYGROUND_TIME_SCALE", 1440.0)
if PLAYGROUND_TIME_SCALE <= 0:
    raise ImproperlyConfigured("PLAYGROUND_TIME_SCALE must be greater than 0")

# Shop's REST API: each client (X-Client-Id, else IP) may burst this many requests, then this
# many per window ("20/10s": 20 at once, then 2 a second).
SHOP_API_RATE_LIMIT = env_str("SHOP_API_RATE_LIMIT", "20/10s")

# Request bodies (patterns/site/bodies.py): the most a JSON body may have, and an upload.
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 1024 * 1024)
FILES_UPLOAD_MAX_BYTES = env_int("FILES_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)

# The six styles: each is one app under patterns/ that declares itself (patterns.site.styles).
# Adding a style is its folder and one line here.
STYLE_APPS = [
    "patterns.api",
    "patterns.files",
    "patterns.webhooks",
    "patterns.queue",
    "patterns.streams",
    "patterns.database",
]

INSTALLED_APPS = [
    "daphne",  # first, so `runserver` serves ASGI (HTTP and WebSockets)
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # for its locally served API docs assets
    "playground",  # for the `playground` management command
    "patterns.ledger",
    "patterns.contracts",
    "patterns.feed",
    "patterns.site",
    "patterns.shop",
    *STYLE_APPS,
    "patterns.rooms",
    "patterns.tours",
    "patterns.questions",
    # Apps of your own beside these, e.g. a style you are writing (comma-separated module paths).
    *env_list("PLAYGROUND_EXTRA_APPS", []),
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "patterns.site.deliveries.DeliveriesOnlyReachReceivers",  # so a delivery never fires an event
    "patterns.site.bodyguard.BodyMiddleware",  # bodies checked once, before anything reads them; errors in JSON
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "patterns.site.csrf.ApiCsrfMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: it is synchronous, so every middleware above runs in one synchronous pass. Above them,
    # Django would run each in async mode for an async view (Shop's API), a trip to the request's
    # thread per step: a fifth of Shop's API's CPU under bench/api.py.
    "patterns.rooms.guard.RoomGuardMiddleware",  # the room of a fired event, and who may fire it
]

ROOT_URLCONF = "playground.urls"
ASGI_APPLICATION = "playground.asgi.application"
CSRF_FAILURE_VIEW = "patterns.site.csrf.csrf_failure"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "patterns.site.context.playground",
            ],
        },
    },
]


def _database(url, sqlite_file, test_suffix):
    """SQLite at `sqlite_file` by default; PostgreSQL (or anything dj-database-url knows) from `url`."""
    db = (
        dj_database_url.parse(url)
        if url
        else {"ENGINE": "django.db.backends.sqlite3", "NAME": str(sqlite_file)}
    )
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # WAL alone does not stop "database is locked" for read-then-write transactions from daphne
        # and Celery at once; IMMEDIATE transactions plus a busy timeout do (STACK-NOTES.md).
        db["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        # A file, not :memory:, so the ASGI server and workers started by tests share it.
        db["TEST"] = {"NAME": str(DATA_DIR / f"test{test_suffix}.sqlite3")}
    else:
        db["TEST"] = {"NAME": f"test_{db['NAME']}_{os.getpid()}"}
    return db


# The ledger (and everything of the playground itself) lives in "default". Shop, the business in
# every style's story, owns a second database: Reporting reads it directly in the database style.
DATABASE_URL = env_str("DATABASE_URL")
SHOP_DATABASE_URL = env_str("SHOP_DATABASE_URL")
DATABASES = {
    "default": _database(DATABASE_URL, DATA_DIR / "playground.sqlite3", ""),
    "shop": _database(SHOP_DATABASE_URL, DATA_DIR / "shop.sqlite3", "-shop"),
}
DATABASE_ROUTERS = ["patterns.shop.router.ShopRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: REDIS_URL when set; otherwise the embedded Redis that `manage.py playground` (or the
# test suite) starts on a Unix socket in the data dir. Each use gets its own DB number.
REDIS_URL = env_str("REDIS_URL")
EMBEDDED_REDIS = not REDIS_URL
REDIS_SOCKET = DATA_DIR / "redis.sock"
# A test run's pytest-xdist workers (gw0, gw1, …) share one Redis server when REDIS_URL is set:
# each takes three DB numbers of its own (gw0: 8-10, gw1: 11-13). Their child processes are given
# the final number (PLAYGROUND_REDIS_DB) and are not TESTING, so they add nothing again.
_XDIST_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:] or 0) if TESTING else 0
REDIS_DB_BASE = env_int("PLAYGROUND_REDIS_DB", 8 if TESTING else 0) + 3 * _XDIST_WORKER
REDIS_DB = {"broker": REDIS_DB_BASE, "channels": REDIS_DB_BASE + 1, "state": REDIS_DB_BASE + 2}


def redis_url(use, celery=False):
    """The URL for one use of Redis ("broker", "channels", "state"), in the form each client wants."""
    db = REDIS_DB[use]
    if EMBEDDED_REDIS:
        if celery:
            return f"redis+socket://{REDIS_SOCKET}?virtual_host={db}"
        return f"unix://{REDIS_SOCKET}?db={db}"
    parts = urlsplit(REDIS_URL)
    if parts.scheme == "unix":
        query = dict(parse_qsl(parts.query), db=str(db))
        if celery:
            query.pop("db")
            query["virtual_host"] = str(db)
            return urlunsplit(("redis+socket", "", parts.path, urlencode(query), ""))
        return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, ""))


REDIS_URLS = {use: redis_url(use) for use in REDIS_DB}  # for redis-py; the layer and cache below

# A frozen or vanished Redis never holds a request for more than a couple of seconds: every client
# (the state clients of patterns/site/redisclient.py, the cache, the broker, the channel layer's
# connect) gives up after this long. redis-py's own default, 5 s retried 10 times, held a request
# for most of a minute when Redis was stopped with SIGSTOP.
REDIS_TIMEOUT_S = env_float("PLAYGROUND_REDIS_TIMEOUT", 1.0)
if REDIS_TIMEOUT_S <= 0:
    raise ImproperlyConfigured("PLAYGROUND_REDIS_TIMEOUT must be greater than 0 (seconds)")

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        # redis-py 8 reads with a 5 s socket timeout by default, the same 5 s channels_redis blocks
        # for (BZPOPMIN) while a page is idle: without a longer timeout idle pages get disconnected.
        # Not much longer: after a Redis restart a read left hanging holds new pages until it times out.
        # A lecture hall (200 pages joining a room at once) needs more than redis-py's default pool:
        # over the limit, redis-py 8 raises MaxConnectionsError instead of waiting (bench/classroom.py).
        # Connecting is not blocking: that gives up as quickly as every other client.
        "CONFIG": {
            "hosts": [
                {
                    "address": REDIS_URLS["channels"],
                    "socket_timeout": 10,
                    "socket_connect_timeout": REDIS_TIMEOUT_S,
                    "max_connections": 1000,
                }
            ]
        },
    }
}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URLS["state"],
        "KEY_PREFIX": "playground",
        "OPTIONS": {"socket_timeout": REDIS_TIMEOUT_S, "socket_connect_timeout": REDIS_TIMEOUT_S},
    }
}

# Celery. Tasks take ids and load rows; the ledger (not a result backend) keeps what happened.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or redis_url("broker", celery=True)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a job is acknowledged only when done ...
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # ... and redelivered if its worker dies mid-job
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# On Redis, a job taken by a worker whose machine died (no acknowledgement, no goodbye) stays
# invisible this many seconds, then goes back to the queue for another worker. Keep it longer than
# any job's run and retry wait (the default, an hour, is Celery's).
PLAYGROUND_VISIBILITY_TIMEOUT = env_int("PLAYGROUND_VISIBILITY_TIMEOUT", 3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": PLAYGROUND_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": max(1, min(10, PLAYGROUND_VISIBILITY_TIMEOUT // 10)),
    "unacked_restore_throttle": 1,
    # A publish or an acknowledgement gives up like any Redis call (kombu's default: wait forever).
    # Workers' BRPOP runs in their event loop, which this timeout does not touch.
    "socket_timeout": REDIS_TIMEOUT_S,
    "socket_connect_timeout": REDIS_TIMEOUT_S,
}
# `.delay()` tries twice at most, at once: a second try gets past a pooled connection left over from
# before a Redis restart; a timeout is not tried again (playground/celery.py), so a frozen broker
# costs one timeout and the job waits in its outbox (Celery's default, four tries a while apart,
# held a request for seconds more).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0,
    "interval_max": 0,
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_DEFAULT_QUEUE = "playground"
# Every worker started without -Q consumes these. "jobs" holds the Message queue style's background
# jobs (patterns/queue), kept apart so a 10,000-job spike never delays another style's task and
# pausing the jobs queue pauses only the jobs.
CELERY_TASK_QUEUES = {
    name: {"exchange": name, "routing_key": name} for name in ("playground", "jobs")
}
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")


# Periodic jobs are declared by each app; playground/celery.py hands them to beat.

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"

# Production profile: behind HTTPS. PLAYGROUND_HTTPS=false keeps DEBUG off on plain HTTP
# (a classroom LAN), at the cost of the deploy check's HTTPS warnings.
PLAYGROUND_HTTPS = env_bool("PLAYGROUND_HTTPS", not DEBUG)
if PLAYGROUND_HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.channels.server": {"level": "WARNING"}},
}
