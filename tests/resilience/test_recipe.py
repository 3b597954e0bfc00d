"""The README's "large class" recipe and the files it ships stay in step, and they work: nginx
(deploy/nginx.conf) in front of two daphne processes passes pages and the live feed, and a page
whose process dies reconnects through it to the other without a gap; deploy/worker.sh starts a
worker on a shared Redis with one command."""

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import httpx
import pytest

from patterns.feed import heartbeat
from playground.embedded_redis import free_port
from playground.management.commands.playground import Command
from playground.processes import start_child, stop
from tests.helpers import FeedClient, eventually, record_pings
from tests.servers import ROOT, log, start_daphne

from .stack import OwnRedis

README = (ROOT / "README.md").read_text()
SECTION = README.split("## A large class, or several machines")[1].split("\n## ")[0]
NGINX = (ROOT / "deploy" / "nginx.conf").read_text()
WORKER = ROOT / "deploy" / "worker.sh"


def upstream_ports(conf):
    block = re.search(r"upstream playground \{(.+?)\}", conf, re.S).group(1)
    return [int(port) for port in re.findall(r"server 127\.0\.0\.1:(\d+)", block)]


def test_the_readme_recipe_and_the_shipped_files_agree():
    assert "deploy/nginx.conf" in SECTION and "deploy/worker.sh" in SECTION and WORKER.exists()
    web = re.search(r"manage\.py playground --web (\d+) --port (\d+)", SECTION)
    count, first = int(web.group(1)), int(web.group(2))
    assert upstream_ports(NGINX) == list(
        range(first, first + count)
    )  # nginx lists what the command starts
    options = (
        Command()
        .create_parser("manage.py", "playground")
        .parse_args(["--web", str(count), "--port", str(first)])
    )
    assert (options.web, options.port) == (count, first)
    for header in (
        "proxy_http_version 1.1",
        "Upgrade $http_upgrade",
        "Connection $connection_upgrade",
        "X-Forwarded-For",
        "proxy_read_timeout",
    ):
        assert header in NGINX
    script = WORKER.read_text()
    for variable in ("DATABASE_URL", "SHOP_DATABASE_URL", "REDIS_URL"):
        assert f"${{{variable}:?" in script and f"`{variable}" in SECTION
    assert "--proxy-headers" in SECTION and "appendonly yes" in SECTION


def test_the_worker_script_refuses_to_start_without_the_shared_databases():
    result = subprocess.run(
        ["sh", str(WORKER)],
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0 and "DATABASE_URL" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_the_worker_script_starts_a_worker_on_the_shared_redis(server_env):
    own = OwnRedis().start()
    env = dict(server_env, REDIS_URL=own.url, PLAYGROUND_REDIS_DB="0", WORKERS="1")
    env.pop("CELERY_BROKER_URL", None)
    worker = start_child(
        ["sh", str(WORKER)],
        env=env,
        cwd=tempfile.gettempdir(),
        stdout=log("deploy-worker"),
        stderr=subprocess.STDOUT,
    )
    try:
        eventually(
            lambda: worker.poll() is None and own.client(db=2).hkeys(heartbeat.WORKERS_KEY),
            timeout=60,
            interval=0.3,
            message="the worker's heartbeat in the shared Redis",
        )
        [name] = own.client(db=2).hkeys(heartbeat.WORKERS_KEY)
        assert name.decode().startswith("worker-")
    finally:
        stop([worker, own.process])


@pytest.fixture
def nginx(server_env):
    """nginx with deploy/nginx.conf, its upstreams and port swapped for two test daphnes."""
    if not shutil.which("nginx"):
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    webs = [start_daphne(server_env, name=f"nginx-web{n}", port=free_port()) for n in (1, 2)]
    port, prefix = free_port(), Path(tempfile.mkdtemp(prefix="playground-nginx-"))
    conf = NGINX.replace("listen 80;", f"listen 127.0.0.1:{port};")
    for shipped, web in zip(upstream_ports(NGINX), webs):
        conf = conf.replace(f"server 127.0.0.1:{shipped} ", f"server 127.0.0.1:{web.port} ")
    (prefix / "logs").mkdir()
    (prefix / "playground.conf").write_text(conf)
    (prefix / "nginx.conf").write_text(
        f"worker_processes 1; pid {prefix}/nginx.pid; error_log {prefix}/logs/error.log;\n"
        f"events {{}}\nhttp {{ access_log off; include {prefix}/playground.conf; }}\n"
    )
    process = start_child(
        ["nginx", "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
        stdout=log("nginx"),
        stderr=subprocess.STDOUT,
    )

    class Proxy:
        url, ws_url, origin = (
            f"http://127.0.0.1:{port}",
            f"ws://127.0.0.1:{port}",
            f"http://127.0.0.1:{port}",
        )

    def serving():
        assert process.poll() is None, (prefix / "logs" / "error.log").read_text()
        try:
            return httpx.get(Proxy.url + "/api/stats", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        eventually(serving, timeout=20, message="nginx to serve")
        yield Proxy, webs
    finally:
        stop([process, *(web.process for web in webs)])


@pytest.mark.django_db(transaction=True)
def test_behind_nginx_a_page_whose_web_process_dies_resumes_through_the_other(nginx):
    proxy, webs = nginx
    assert httpx.get(proxy.url + "/", timeout=10).status_code == 200
    with FeedClient(proxy) as feed:  # a WebSocket through nginx, to one of the two processes
        feed.wait_ready()
        first = record_pings(3)
        assert [m["id"] for m in feed.collect(3)] == first
        cursor = feed.cursor
    stop([webs[0].process])  # one process dies; whichever it was, the page reconnects to a live one
    missed = record_pings(4)
    for _ in range(3):  # nginx may first try the dead upstream once
        try:
            with FeedClient(proxy, after=cursor) as feed:
                got = [m["id"] for m in feed.collect(4, timeout=10)]
            break
        except Exception:  # noqa: BLE001 (a refused handshake: the page reconnects)
            continue
    assert got == missed
    for _ in range(6):  # and every page request still gets an answer
        assert httpx.get(proxy.url + "/messages/", timeout=10).status_code == 200
