"""`python manage.py playground`: everything the playground needs, in one command.

Runs migrations, starts an embedded Redis (unless REDIS_URL is set), daphne (HTTP and
WebSockets), a Celery worker, Celery beat and any process a style declares in its `children.py`
as child processes, and prints what it started.
Ctrl-C or SIGTERM stops them all; if one dies, it says which and stops the rest. The embedded
Redis is the exception: when it exits it is started again on the same socket and port (every
process reconnects by itself); only if it exits REDIS_EXITS_ALLOWED times within a minute does the
playground stop.
"""

import ipaddress
import os
import signal
import socket
import sys
import time
import urllib.request
from pathlib import Path

import redis
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError

from patterns.site import health, redisclient
from playground import processes
from playground.embedded_redis import EmbeddedRedis, RedisError
from playground.plugins import children
from playground.processes import start_child, stop
from playground.served import is_loopback, served_env

READY_TIMEOUT = 60
HEARTBEAT_WAIT_S = 30  # a worker is ready in a few seconds; on a slow machine, say which is late
REDIS_EXITS_ALLOWED, REDIS_EXITS_WINDOW_S = 3, 60


class Stop(Exception):
    pass


def _port_free(host, port):
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _tail(path, lines=15):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _up(probe):
    """Does the health page's probe find its part alive (the same rule the health strip shows)?"""
    try:
        probe()
    except RuntimeError:
        return False
    return True


class Command(BaseCommand):
    help = "Run the playground: migrations, Redis (embedded unless REDIS_URL), daphne, a Celery worker and beat."

    def add_arguments(self, parser):
        parser.add_argument(
            "--host", default="127.0.0.1", help="address to serve on (0.0.0.0: the whole network)"
        )
        parser.add_argument(
            "--port", type=int, default=8000, help="port to serve on (default 8000)"
        )
        parser.add_argument(
            "--workers", type=int, default=2, help="Celery worker processes (default 2)"
        )
        parser.add_argument(
            "--web",
            type=int,
            default=1,
            help="web (daphne) processes, on consecutive ports from --port (default 1)",
        )
        parser.add_argument(
            "--behind-proxy",
            action="store_true",
            help="served to others through a proxy (nginx, the large-class recipe) although "
            "listening on loopback: the shared demo then needs the owner link, as with --host",
        )

    def handle(self, *args, host, port, workers, web, behind_proxy=False, **options):
        if workers < 1 or web < 1:
            raise CommandError("--workers and --web must be at least 1")
        for p in range(port, port + web):
            if not _port_free(host, p):
                raise CommandError(f"port {p} on {host} is already in use; try --port {p + 1}")
        self.logs = settings.DATA_DIR / "logs"
        self.logs.mkdir(exist_ok=True)
        self.children, self.redis, self.redis_exits = [], None, []
        self.served = behind_proxy or not is_loopback(host)
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self._on_signal)
        try:
            self._start(host, port, workers, web)
            self._watch()  # returns only by Stop (a signal) or CommandError (a child died)
        except Stop:
            self.say("Stopping …")
        finally:
            self._stop_all()
            self.say("Stopped: no process left running.")

    def say(self, text, style=None):
        self.stdout.write(style(text) if style else text)
        self.stdout.flush()

    def _on_signal(self, signum, frame):
        raise Stop()

    def _start(self, host, port, workers, web):
        for alias, what in (("default", "ledger"), ("shop", "Shop's own")):
            database = settings.DATABASES[alias]
            try:
                call_command("migrate", database=alias, interactive=False, verbosity=0)
            except OperationalError as exc:
                raise CommandError(
                    f"cannot use the {what} database {database['NAME']!r}: {exc}".strip()
                ) from None
            self.say(
                f"✓ {what} database migrated ({database['ENGINE'].rsplit('.', 1)[-1]}: {database['NAME']})"
            )
        env = self._child_env(host, port)
        if settings.EMBEDDED_REDIS:
            try:
                self.redis = EmbeddedRedis(settings.DATA_DIR, settings.REDIS_SOCKET).start()
            except RedisError as exc:
                raise CommandError(str(exc)) from None
            self.say(
                f"✓ Redis (embedded) on {settings.REDIS_SOCKET} and 127.0.0.1:{self.redis.port}"
            )
        else:
            self._check_redis()
            self.say(f"✓ Redis at {settings.REDIS_URL}")
        python = sys.executable
        for n, p in enumerate(range(port, port + web), start=1):
            # Several web processes share the channel layer and the ledger: a page on any of them
            # sees everything. --proxy-headers: behind a proxy, client addresses and https are real.
            name = "web (daphne)" if web == 1 else f"web{n} (daphne, port {p})"
            self._spawn(name, processes.daphne(p, host, proxy_headers=True), env)
        self._spawn(
            f"worker (celery, {workers} processes)",
            processes.worker(f"playground-{os.getpid()}@%h", workers),
            env,
        )
        self._spawn("beat (celery)", processes.beat(settings.CELERY_BEAT_SCHEDULE_FILENAME), env)
        for name, cmd in children(
            python, settings.BASE_DIR / "manage.py"
        ):  # e.g. a stream producer
            self._spawn(name, cmd, env)
        local = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        urls = [f"http://{local}:{p}/" for p in range(port, port + web)]
        for url in urls:
            self._wait_until_serving(url)
        self._wait_for_heartbeats()
        self.say(f"\nThe playground is ready: open {urls[0]}", self.style.SUCCESS)
        if env.get("DEBUG") == "false":
            self.say(
                "Served beyond this machine, so DEBUG is off: errors show a plain page, never a traceback."
            )
        if web > 1:
            self.say(f"Also serving: {', '.join(urls[1:])} (put a proxy in front: see the README)")
        if key := env.get("PLAYGROUND_OWNER_KEY"):
            # An address students' machines can reach: this machine's LAN IPv4 address, if known.
            lan = [
                a
                for a in self._local_addresses(host)
                if self._is_ip(a) and ":" not in a and not is_loopback(a)
            ]
            base = f"http://{lan[0]}:{port}" if lan and host in ("0.0.0.0", "::") else urls[0]
            self.say(
                "\nYou own the shared demo. Open this owner link in your own browser only "
                "(students join rooms instead):"
            )
            self.say(f"  {base.rstrip('/')}/owner/#key={key}", self.style.WARNING)
            if getattr(self, "served", False) and is_loopback(host):
                self.say("  (through your proxy: the same path, /owner/#key=…, on its address)")
        self.say(f"Logs: {self.logs}/   Stop: Ctrl-C\n")

    def _child_env(self, host, port):
        local = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        env = dict(
            os.environ,
            PLAYGROUND_DATA_DIR=str(settings.DATA_DIR),
            PYTHONUNBUFFERED="1",
            PLAYGROUND_BASE_URL=f"http://{'[' + local + ']' if ':' in local else local}:{port}",
        )
        env.setdefault("DJANGO_SETTINGS_MODULE", "playground.settings")
        if host not in ("127.0.0.1", "localhost", "::1") and "ALLOWED_HOSTS" not in os.environ:
            # Serving the classroom network: accept this machine's addresses too.
            env["ALLOWED_HOSTS"] = ",".join([*settings.ALLOWED_HOSTS, *self._local_addresses(host)])
        if getattr(self, "served", not is_loopback(host)):
            # Served to others: no traceback pages, and an owner key (playground/served.py).
            env.update(served_env(os.environ, settings.DATA_DIR))
        return env

    def _local_addresses(self, host):
        if host not in ("0.0.0.0", "::"):
            return [host]
        names = {socket.gethostname()}
        try:
            names |= {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None)}
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                probe.connect(
                    ("192.0.2.1", 9)
                )  # no packet is sent: this only picks the LAN address
                names.add(probe.getsockname()[0])
        except OSError:
            pass
        return sorted(f"[{n}]" if ":" in n and self._is_ip(n) else n for n in names)

    @staticmethod
    def _is_ip(name):
        try:
            ipaddress.ip_address(name)
            return True
        except ValueError:
            return False

    def _check_redis(self):
        try:
            redisclient.client().ping()
        except (redis.RedisError, OSError) as exc:
            raise CommandError(
                f"Redis at REDIS_URL={settings.REDIS_URL} does not answer: {exc}"
            ) from None

    def _spawn(self, name, cmd, env):
        log_path = self.logs / f"{name.split()[0]}.log"  # web (or web1, web2 …), worker, beat
        with open(log_path, "ab") as log:
            process = start_child(cmd, env=env, stdout=log, stderr=log, stdin=open(os.devnull))
        process.name, process.log_path = name, log_path
        self.children.append(process)
        self.say(f"✓ {name} started (pid {process.pid})")

    def _wait_until_serving(self, url):
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            self._check_children()
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise CommandError(f"the web server did not answer at {url} within {READY_TIMEOUT} s")

    def _wait_for_heartbeats(self):
        """Until the worker and beat have said they are alive (the health strip reads these), so a
        page opened at "ready" does not report them down; after HEARTBEAT_WAIT_S, say which is late."""
        deadline = time.monotonic() + HEARTBEAT_WAIT_S
        while True:
            self._check_children()
            late = [name for name in ("workers", "beat") if not _up(health.CHECKS[name])]
            if not late:
                return
            if time.monotonic() >= deadline:
                self.say(
                    f"⚠ no heartbeat yet from: {', '.join(late)}; the health strip on every page "
                    f"says so until it comes (logs in {settings.DATA_DIR / 'logs'})",
                    self.style.WARNING,
                )
                return
            time.sleep(0.2)

    def _check_children(self):
        for process in self.children:
            if process.poll() is not None:
                self.say(
                    f"\n✗ {process.name} exited (code {process.returncode}); stopping the rest.",
                    self.style.ERROR,
                )
                self.say(f"Last lines of {process.log_path}:\n{_tail(process.log_path)}")
                raise CommandError(f"{process.name} exited")

    def _watch(self):
        while True:
            self._check_children()
            if self.redis and self.redis.exited():
                self._restart_redis()
            time.sleep(0.2)

    def _restart_redis(self):
        """Start the embedded Redis again where it was, unless it keeps exiting."""
        code, now, log = (
            self.redis.process.returncode,
            time.monotonic(),
            settings.DATA_DIR / "redis.log",
        )
        self.redis_exits = [t for t in self.redis_exits if now - t < REDIS_EXITS_WINDOW_S] + [now]
        if len(self.redis_exits) >= REDIS_EXITS_ALLOWED:
            self.say(
                f"\n✗ the embedded Redis exited {len(self.redis_exits)} times within a minute (last code {code}); "
                "stopping everything.",
                self.style.ERROR,
            )
            self.say(f"Last lines of {log}:\n{_tail(log)}")
            raise CommandError("the embedded Redis keeps exiting")
        try:
            self.redis.start()
        except RedisError as exc:
            raise CommandError(
                f"the embedded Redis exited (code {code}) and could not be started again: {exc}"
            ) from None
        self.say(
            f"⚠ the embedded Redis exited (code {code}); started again on {settings.REDIS_SOCKET} and "
            f"127.0.0.1:{self.redis.port}. Every process reconnects by itself; jobs it held are sent again "
            "from the outbox.",
            self.style.WARNING,
        )

    def _stop_all(self):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stop(list(reversed(self.children)))
        if self.redis:
            self.redis.stop()
