#!/usr/bin/env python3
"""Connection reuse by the smtp transport in a queue run (transports/smtp_pool.h).

Messages are queued with -odq for one host, a Python SMTP sink on loopback
(tests/transports/sinks/smtp_sink.py, which logs connections, RSETs and messages), then
`facteur -q` delivers them:

  * with queue_run_max = 1 one connection carries them all (an RSET before each message but
    the first), and the log marks the later deliveries with "*" after the host;
  * with the default parallelism there are at most queue_run_max connections;
  * a sink that drops each connection after one message costs neither a message nor a delay:
    everything is delivered in the same run, nothing deferred;
  * the daemon's delivery process (`-bd`): immediate deliveries one after the other share
    one connection.

Usage: smtp_reuse_test.py BINARY
Prints "N passed, N failed" last; exit status 1 when anything failed.
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import smtplib
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Daemon, check, free_port, summary  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
HERE = os.path.dirname(os.path.abspath(__file__))
SINK = os.path.join(HERE, "..", "transports", "sinks", "smtp_sink.py")
N = 12


class Sink:
    def __init__(self, work, *args):
        self.events = os.path.join(work, "events")
        self.store = os.path.join(work, "store")
        os.makedirs(self.store)
        self.p = subprocess.Popen([sys.executable, SINK, "--store", self.store, "--events",
                                   self.events, *args], stdout=subprocess.PIPE, text=True)
        self.port = int(self.p.stdout.readline())

    def count(self, what):
        if not os.path.exists(self.events):
            return 0
        return sum(1 for line in open(self.events) if line.strip() == what)

    def stop(self):
        self.p.kill()
        self.p.wait()


def config(work, port, parallel, transport_options=""):
    return f"""primary_hostname = a.test
qualify_domain = a.test
spool_directory = {work}/spool
log_file_path = {work}/%slog
queue_run_max = {parallel}
begin routers
remote:
  driver = manualroute
  route_list = * 127.0.0.1::{port}
  transport = remote_smtp
  self = send
begin transports
remote_smtp:
  driver = smtp
  allow_localhost
{transport_options}begin retry
* * F,1h,10m
"""


def queue_and_run(work, sink, parallel):
    conf = os.path.join(work, "facteur.conf")
    with open(conf, "w") as f:
        f.write(config(work, sink.port, parallel))
    for i in range(N):
        subprocess.run([BIN, "-C", conf, "-odq", "-f", "sender@a.test", f"user{i}@r.test"],
                       input=f"Subject: {i}\n\nbody {i}\n", text=True, check=True,
                       capture_output=True)
    subprocess.run([BIN, "-C", conf, "-q"], check=True, capture_output=True, timeout=60)
    left = glob.glob(os.path.join(work, "spool", "input", "*-H"))
    log = open(os.path.join(work, "mainlog")).read()
    return left, log


def run_case(parallel, *sink_args):
    work = tempfile.mkdtemp(prefix="facteur-reuse-")
    sink = Sink(work, *sink_args)
    try:
        left, log = queue_and_run(work, sink, parallel)
        stored = len(os.listdir(sink.store))
        return sink.count("connect"), sink.count("rset"), stored, left, log
    finally:
        sink.stop()
        shutil.rmtree(work, ignore_errors=True)


def one_connection():
    conns, rsets, stored, left, log = run_case(1)
    assert stored == N and not left, f"{stored} stored, {len(left)} left"
    assert conns == 1, f"{conns} connections"
    assert rsets == N - 1, f"{rsets} RSETs"
    marked = re.findall(r"=> \S+ R=remote T=remote_smtp H=127\.0\.0\.1 \[127\.0\.0\.1\]\*", log)
    assert len(marked) == N - 1, f"{len(marked)} lines with *:\n{log}"


def parallel_connections():
    conns, rsets, stored, left, _ = run_case(4)
    assert stored == N and not left, f"{stored} stored, {len(left)} left"
    assert 1 <= conns <= 4, f"{conns} connections"
    assert rsets == N - conns, f"{rsets} RSETs for {conns} connections"


def dropped_connections():
    conns, _, stored, left, log = run_case(1, "--one-message")
    assert stored == N and not left, f"{stored} stored, {len(left)} left"
    assert conns == N, f"{conns} connections"
    assert " == " not in log and "]*" not in log, log


def daemon_immediate():
    work = tempfile.mkdtemp(prefix="facteur-reuse-")
    sink = Sink(work)
    port = free_port()
    text = config(work, sink.port, 4).replace(
        "qualify_domain = a.test\n",
        f"qualify_domain = a.test\nlocal_interfaces = 127.0.0.1\ndaemon_smtp_ports = {port}\n"
        "acl_smtp_rcpt = accept\n")
    d = Daemon(BIN, work, "daemon", text, [("127.0.0.1", port)])
    try:
        for i in range(4):
            with smtplib.SMTP("127.0.0.1", port, timeout=10) as c:
                c.sendmail("sender@a.test", [f"user{i}@r.test"], f"Subject: {i}\n\nbody\n")
            end = time.time() + 10
            while len(os.listdir(sink.store)) <= i and time.time() < end:
                time.sleep(0.05)
        assert len(os.listdir(sink.store)) == 4, f"{len(os.listdir(sink.store))} stored"
        assert sink.count("connect") == 1, f"{sink.count('connect')} connections"
    finally:
        d.stop()
        sink.stop()
        shutil.rmtree(work, ignore_errors=True)


def main():
    check("reuse: one connection carries a queue run", one_connection)
    check("reuse: at most queue_run_max connections", parallel_connections)
    check("reuse: a dropped idle connection loses and delays nothing", dropped_connections)
    check("reuse: the daemon's immediate deliveries share a connection", daemon_immediate)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
