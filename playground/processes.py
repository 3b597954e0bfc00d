"""Child processes that cannot outlive the playground.

Each child runs in its own session (so a terminal's Ctrl-C reaches only the manager, which then
stops the children in order) and is asked by the kernel to exit if the manager dies, even by
SIGKILL (PR_SET_PDEATHSIG on Linux). Stopping signals the child's whole process group, so a
Celery worker's pool processes go with it.
"""

import ctypes
import os
import signal
import subprocess
import sys
import time

PR_SET_PDEATHSIG = 1


def _die_with_parent():
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start_child(cmd, **kwargs):
    return subprocess.Popen(cmd, start_new_session=True, preexec_fn=_die_with_parent, **kwargs)


def _signal_group(process, sig):
    try:
        os.killpg(process.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def stop(processes, timeout=10):
    """SIGTERM each process group, wait up to `timeout` seconds in all, then SIGKILL what is left."""
    for process in processes:
        _signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for process in processes:
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
        # The group may outlive its leader (a pool process still finishing): make sure.
        _signal_group(process, signal.SIGKILL)
        process.wait()
