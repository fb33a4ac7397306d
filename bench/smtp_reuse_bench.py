#!/usr/bin/env python3
"""Deliveries per second of small messages through the smtp transport to a loopback sink
(tests/transports/sinks/smtp_sink.py), with connection reuse (the default,
connection_max_messages = 500) and without (connection_max_messages = 1: a new connection,
banner, EHLO and QUIT for every message), in clear and with STARTTLS.

N messages are queued with -odq first (not timed); then `facteur -q` is timed.

Usage: smtp_reuse_bench.py BINARY [N]
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "e2e"))
from harness import make_cert  # noqa: E402
from smtp_reuse_test import config  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
N = int(sys.argv[2]) if len(sys.argv) > 2 else 300
SINK = os.path.join(HERE, "..", "tests", "transports", "sinks", "smtp_sink.py")


def run(parallel, max_messages, tls):
    work = tempfile.mkdtemp(prefix="facteur-bench-")
    args = [sys.executable, SINK]
    if tls:
        args += ["--tls", *make_cert(work, "127.0.0.1")]
    sink = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    try:
        port = int(sink.stdout.readline())
        path = os.path.join(work, "facteur.conf")
        with open(path, "w") as f:
            f.write(config(work, port, parallel, f"  connection_max_messages = {max_messages}\n"))
        for i in range(N):
            subprocess.run([BIN, "-C", path, "-odq", "-f", "s@a.test", f"u{i}@r.test"],
                           input=f"Subject: {i}\n\nbody {i}\n", text=True, check=True)
        start = time.monotonic()
        subprocess.run([BIN, "-C", path, "-q"], check=True)
        elapsed = time.monotonic() - start
        left = len([n for n in os.listdir(os.path.join(work, "spool", "input")) if n.endswith("-H")])
        if left:
            print(f"  ({left} messages left on the spool)")
        return N / elapsed
    finally:
        sink.kill()
        sink.wait()
        shutil.rmtree(work, ignore_errors=True)


def main():
    print(f"{N} messages, deliveries/s (facteur -q to a Python sink on loopback)")
    for tls in (False, True):
        for parallel in (1, 5):
            fresh = run(parallel, 1, tls)
            reuse = run(parallel, 500, tls)
            print(f"  {'STARTTLS' if tls else 'clear   '} queue_run_max={parallel}: "
                  f"new connection each {fresh:7.1f}/s, reused {reuse:7.1f}/s, "
                  f"ratio {reuse / fresh:4.1f}")


if __name__ == "__main__":
    main()
