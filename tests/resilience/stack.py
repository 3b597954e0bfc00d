"""A whole playground installation for the resilience tests: its own Redis (which the tests stop
and start), several daphne processes and Celery workers, and beat, on the suite's test database.

Its Redis is never the suite's nor the machine's: a redis-server of its own on a free loopback
port, with an append-only file, as a broker Redis is run in earnest (a restarted Redis keeps the
jobs it held). Workers announce themselves by heartbeat in that Redis (patterns/ledger/heartbeat).
"""

import os
import signal
import subprocess
import tempfile

import httpx
import redis

from patterns.feed import heartbeat
from playground import processes
from playground.embedded_redis import binary, free_port
from playground.processes import start_child, stop
from tests.helpers import eventually
from tests.servers import ROOT, log, log_path, start_beat, start_daphne, tell_suite_workers


class OwnRedis:
    def __init__(self):
        self.port, self.dir = free_port(), tempfile.mkdtemp(prefix="playground-redis-")
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self, db=0):
        return redis.Redis(port=self.port, db=db, socket_timeout=2)

    def start(self):
        self.process = start_child(
            [
                str(binary()),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--dir",
                self.dir,
                "--daemonize",
                "no",
            ],
            stdout=log("own-redis"),
            stderr=subprocess.STDOUT,
        )
        eventually(self.answers, timeout=10, message="the test's own Redis")
        return self

    def answers(self):
        try:
            return self.client().ping()
        except redis.RedisError:
            return False

    def freeze(self):
        """SIGSTOP: connections stay open and nothing answers (a stalled VM, a debugger)."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self):
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self):
        """SIGTERM: Redis writes its append-only file and exits, as a restart for maintenance does."""
        stop([self.process], timeout=10)
        assert not self.answers()


class Stack:
    def __init__(self, server_env, webs=2, workers=2, concurrency=2, visibility_timeout=8):
        self.redis = OwnRedis().start()
        self.env = dict(
            server_env,
            REDIS_URL=self.redis.url,
            PLAYGROUND_REDIS_DB="0",
            PLAYGROUND_BASE_URL=f"http://127.0.0.1:{free_port()}",
            PLAYGROUND_VISIBILITY_TIMEOUT=str(visibility_timeout),
        )
        self.env.pop("CELERY_BROKER_URL", None)
        self.webs, self.workers, self.beat = [], {}, None
        try:
            for n in range(webs):
                port = (
                    None if n == 0 else free_port()
                )  # the first serves PLAYGROUND_BASE_URL: workers call it
                self.webs.append(start_daphne(self.env, name=f"stack-web{n + 1}", port=port))
            for n in range(workers):
                self.start_worker(f"stack-w{n + 1}", concurrency)
            self.beat = start_beat(
                self.env, os.path.join(self.redis.dir, "beat-schedule"), name="stack-beat"
            )
        except BaseException:
            self.close()
            raise

    def start_worker(self, name, concurrency=2):
        hostname = f"{name}-{os.getpid()}"
        process = start_child(
            processes.worker(f"{hostname}@%h", concurrency, quiet=True),
            env=self.env,
            cwd=ROOT,
            stdout=log(name),
            stderr=subprocess.STDOUT,
        )
        self.workers[name] = process

        def ready():
            assert process.poll() is None, f"worker {name} exited; see {log_path(name)}"
            names = self.redis.client(db=2).hkeys(heartbeat.WORKERS_KEY)
            return any(n.decode().startswith(hostname + "@") for n in names)

        eventually(ready, timeout=40, interval=0.2, message=f"worker {name}")
        return process

    def kill_worker(self, name):
        """SIGKILL a worker and its pool, as when its machine dies: no goodbye, no acknowledgement."""
        process = self.workers.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def health(self, web):
        response = httpx.get(f"{web.url}/api/health", timeout=20)
        assert response.status_code == 200
        return {c["name"]: c for c in response.json()["components"]}

    def wait_healthy(self, timeout=60):
        def healthy():
            return all(all(c["up"] for c in self.health(web).values()) for web in self.webs)

        eventually(
            healthy, timeout=timeout, interval=1, message="every part up on every web process"
        )

    def close(self):
        processes = [
            p for p in [self.beat, *self.workers.values(), *(w.process for w in self.webs)] if p
        ]
        stop(processes)
        if self.redis.process and self.redis.process.poll() is None:
            stop([self.redis.process])


def pause_suite_workers():
    """Other tests' workers share the database: stop them taking work (their sweepers would hand
    over this test's outbox through the suite's Redis). Returns a function that undoes it."""
    queues = ("playground", "jobs")
    for queue in queues:
        tell_suite_workers("cancel_consumer", queue)

    def resume():
        for queue in queues:
            tell_suite_workers("add_consumer", queue)

    return resume
