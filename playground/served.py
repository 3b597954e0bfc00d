"""Settings for processes that serve the playground beyond this machine (`playground --host`).

DEBUG is on by default, for the laptop: with it every server error sends its traceback page —
code, settings, the request — to whoever asked, and a classroom network is whoever asked. Served
to others, the processes run with DEBUG off unless DEBUG is set explicitly: plain error pages
(JSON under /api/), static files still served by the app itself. Plain HTTP stays allowed (a
classroom LAN has no certificate), and the secret key, which DEBUG off requires, is made once
and kept in the data dir, so owner links and sessions survive a restart.
"""

import ipaddress
import os
import secrets
from pathlib import Path

LOOPBACK_NAMES = ("localhost",)


def is_loopback(host):
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def served_env(environ, data_dir):
    """What to add to the children's environment when serving to others: the owner key, and DEBUG
    off unless DEBUG is set."""
    if "DEBUG" in environ:
        return owner_env(environ, data_dir)
    env = {"DEBUG": "false", **owner_env(environ, data_dir)}
    if "PLAYGROUND_HTTPS" not in environ:
        env["PLAYGROUND_HTTPS"] = "false"
    if not environ.get("SECRET_KEY", "").strip():
        env["SECRET_KEY"] = secret_key(Path(data_dir) / "secret_key")
    return env


def owner_env(environ, data_dir):
    """The owner's key for the served processes: PLAYGROUND_OWNER_KEY if set, else one made once and
    kept in the data dir (so the owner link stays valid across restarts)."""
    given = environ.get("PLAYGROUND_OWNER_KEY", "").strip()
    return {"PLAYGROUND_OWNER_KEY": given or secret_key(Path(data_dir) / "owner_key")}


def secret_key(path):
    """The key kept at `path`, made on first use (readable by this user only)."""
    try:
        key = path.read_text().strip()
        if key:
            return key
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(key)
    return key
