"""Stopping a daemon by its pid file, for the test fixtures that start servers which
detach (nsd, facteur -bd): SIGTERM, up to `timeout` seconds for it to go, then SIGKILL.
A missing or unreadable pid file, or a process already gone, is not an error.
"""
import os
import signal
import time


def stop(pid_file, timeout=2.0):
    try:
        with open(pid_file) as f:
            pid = int(f.read().strip())
    except (OSError, ValueError):
        return
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    end = time.time() + timeout
    while time.time() < end:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.02)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
