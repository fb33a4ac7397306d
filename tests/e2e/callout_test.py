#!/usr/bin/env python3
"""Callout verification end to end (spec 44.46-44.48, -bh / -bhc in spec 5): `facteur -bhc`
against a tiny SMTP server on loopback (callout_target.py). The expected texts are what Exim
4.96's -bhc printed for the same configuration and server.

Usage: callout_test.py BINARY
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, free_port, summary, wait_listening  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
HERE = os.path.dirname(os.path.abspath(__file__))
WORK = tempfile.mkdtemp(prefix="facteur-callout-")
PORT, MAILREJ_PORT, CLOSED_PORT = free_port(), free_port(), free_port()
TARGET_LOG = os.path.join(WORK, "target.log")

CONF = """primary_hostname = me.test
spool_directory = {work}/spool{n}
log_file_path = {work}/%slog
acl_smtp_rcpt = rcpt
begin acl
rcpt:
  deny domains = s.test
       !verify = sender/callout=2s
  accept domains = dok.test
         verify = recipient/callout=2s,defer_ok
  deny domains = nc.test
       !verify = recipient/callout=2s,no_cache
  deny domains = rnd.test
       !verify = recipient/callout=2s,random
  deny domains = us.test
       !verify = recipient/callout=2s,use_sender
  deny domains = up.test
       !verify = recipient/callout=2s,use_postmaster
  deny domains = pm.test
       !verify = recipient/callout=2s,postmaster
  deny !verify = recipient/callout=2s
  accept
begin routers
th:
  driver = accept
  domains = th.test
  transport = t2
r:
  driver = manualroute
  route_list = * 127.0.0.1
  transport = t
  self = send
begin transports
t:
  driver = smtp
  port = {port}
  allow_localhost
t2:
  driver = smtp
  hosts = 127.0.0.1
  port = {port}
  allow_localhost
"""


def conf(port, n):
    path = os.path.join(WORK, f"c{n}.conf")
    os.makedirs(os.path.join(WORK, f"spool{n}"), exist_ok=True)
    with open(path, "w") as f:
        f.write(CONF.format(work=WORK, port=port, n=n))
    return path


def session(config, cmds, mode="-bhc"):
    """Runs an SMTP session under -bh/-bhc: (client lines, LOG lines, target commands)."""
    if os.path.exists(TARGET_LOG):
        os.remove(TARGET_LOG)
    text = "EHLO x\n" + "".join(c + "\n" for c in cmds) + "QUIT\n"
    p = subprocess.run([BIN, "-C", config, mode, "10.0.0.1"], input=text, capture_output=True,
                       text=True, timeout=30)
    out = [ln for ln in p.stdout.splitlines()
           if ln and ln[:4] not in ("220 ", "221 ", "250-", "****")]
    logs = [ln[5:] for ln in p.stderr.splitlines() if ln.startswith("LOG: ")]
    target = open(TARGET_LOG).read().splitlines() if os.path.exists(TARGET_LOG) else []
    return out, logs, target


def expect(got, want):
    if got != want:
        raise AssertionError(f"got {got!r}, want {want!r}")


def start_target(port, mode=""):
    args = [sys.executable, os.path.join(HERE, "callout_target.py"), str(port), TARGET_LOG]
    p = subprocess.Popen(args + ([mode] if mode else []), stdout=subprocess.DEVNULL)
    if not wait_listening("127.0.0.1", port):
        raise RuntimeError("the callout target did not start")
    return p


C1 = conf(PORT, 1)
H = "H=(x) [10.0.0.1] F=<a@x.test>"
MAIL = "MAIL FROM:<a@x.test>"


def accept_and_reject():
    out, logs, target = session(C1, [MAIL, "RCPT TO:<good@r.test>", "RCPT TO:<bad1@r.test>"])
    expect(out, ["250 HELP", "250 OK", "250 Accepted", "550-Callout verification failed:",
                 "550 550 Unknown user bad1"])
    expect(logs, [f"{H} rejected RCPT <bad1@r.test>: 127.0.0.1 [127.0.0.1] : SMTP error from "
                  "remote mail server after RCPT TO:<bad1@r.test>: 550 Unknown user bad1"])
    expect(target, ["EHLO me.test", "MAIL FROM:<>", "RCPT TO:<good@r.test>", "QUIT",
                    "EHLO me.test", "MAIL FROM:<>", "RCPT TO:<bad1@r.test>", "QUIT"])


def cached():
    out, logs, target = session(C1, [MAIL, "RCPT TO:<good@r.test>", "RCPT TO:<bad1@r.test>"])
    expect(out[-2:], ["250 Accepted", "550 Previous (cached) callout verification failure"])
    expect(logs, [f"{H} rejected RCPT <bad1@r.test>: Previous (cached) callout verification "
                  "failure"])
    expect(target, [])
    out, logs, target = session(C1, [MAIL, "RCPT TO:<bad1@nc.test>"])
    expect(out[-1], "550 550 Unknown user bad1")
    expect(len(target), 4)


def temporary():
    out, logs, _ = session(C1, [MAIL, "RCPT TO:<tmp1@r.test>"])
    expect(out[-1], "451 Could not complete recipient verify callout")
    expect(logs, [f"{H} temporarily rejected RCPT <tmp1@r.test>: Could not complete recipient "
                  "verify callout: 127.0.0.1 [127.0.0.1] : SMTP error from remote mail server "
                  "after RCPT TO:<tmp1@r.test>: 451 Try later"])


def sender():
    out, logs, _ = session(C1, ["MAIL FROM:<bads@y.test>", "RCPT TO:<good2@s.test>"])
    expect(out[-5:], ["550-Verification failed for <bads@y.test>", "550-Called:   127.0.0.1",
                      "550-Sent:     RCPT TO:<bads@y.test>",
                      "550-Response: 550 Unknown user bads", "550 Sender verify failed"])
    expect(logs, ["H=(x) [10.0.0.1] sender verify fail for <bads@y.test>: 127.0.0.1 [127.0.0.1] "
                  ": SMTP error from remote mail server after RCPT TO:<bads@y.test>: 550 Unknown "
                  "user bads",
                  "H=(x) [10.0.0.1] F=<bads@y.test> rejected RCPT <good2@s.test>: Sender verify "
                  "failed"])


def random_and_postmaster():
    out, _, target = session(C1, [MAIL, "RCPT TO:<bad2@rnd.test>"])
    expect(out[-1], "550 550 Unknown user bad2")  # the random local part was refused
    expect(target[2].startswith("RCPT TO:<me.test-") and target[2].endswith("-testing@rnd.test>"),
           True)
    out, _, target = session(C1, [MAIL, "RCPT TO:<good@pm.test>"])
    expect(out[-1], "250 Accepted")
    expect("RCPT TO:<postmaster@pm.test>" in target, True)


def transport_hosts():
    out, _, target = session(C1, [MAIL, "RCPT TO:<bad4@th.test>"])
    expect(out[-2:], ["550-Callout verification failed:", "550 550 Unknown user bad4"])
    expect(target[2], "RCPT TO:<bad4@th.test>")


def mail_from_choices():
    _, _, target = session(C1, [MAIL, "RCPT TO:<good@us.test>"])
    expect(target[1], "MAIL FROM:<a@x.test>")
    _, _, target = session(C1, [MAIL, "RCPT TO:<good@up.test>"])
    expect(target[1], "MAIL FROM:<postmaster@me.test>")


def host_check_skips():
    out, logs, target = session(C1, [MAIL, "RCPT TO:<bad3@r.test>"], mode="-bh")
    expect(out[-1], "250 Accepted")
    expect(target, [])


def unreachable():
    c = conf(CLOSED_PORT, 2)
    out, logs, _ = session(c, [MAIL, "RCPT TO:<u1@r2.test>", "RCPT TO:<u1@dok.test>"])
    expect(out[-2:], ["451 Could not complete recipient verify callout", "250 Accepted"])
    expect(logs, [f"{H} temporarily rejected RCPT <u1@r2.test>: Could not complete recipient "
                  "verify callout: 127.0.0.1 [127.0.0.1] : Connection refused"])
    out, logs, _ = session(c, ["MAIL FROM:<bb@y2.test>", "RCPT TO:<u1@s.test>"])
    expect(out[-1], "451 Could not complete sender verify callout")
    expect(logs, ["H=(x) [10.0.0.1] sender verify defer for <bb@y2.test>: Could not complete "
                  "sender verify callout: 127.0.0.1 [127.0.0.1] : Connection refused",
                  "H=(x) [10.0.0.1] F=<bb@y2.test> temporarily rejected RCPT <u1@s.test>: Could "
                  "not complete sender verify callout"])


def mail_refused():
    c = conf(MAILREJ_PORT, 3)
    out, logs, target = session(c, [MAIL, "RCPT TO:<u1@m.test>", "RCPT TO:<u2@m.test>"])
    expect(out[-3:], ["550-Callout verification failed:", "550 550 No mail from you",
                      "550 (result of an earlier callout reused)."])
    expect(logs, [f"{H} rejected RCPT <u1@m.test>: 127.0.0.1 [127.0.0.1] : response to "
                  "\"MAIL FROM:<>\" was: 550 No mail from you",
                  f"{H} rejected RCPT <u2@m.test>: (result of an earlier callout reused)."])
    expect(target, ["EHLO me.test", "MAIL FROM:<>", "QUIT"])


def main():
    targets = [start_target(PORT), start_target(MAILREJ_PORT, "rejectmail")]
    try:
        check("callout-accept-and-550", accept_and_reject)
        check("callout-cache", cached)
        check("callout-451-defers", temporary)
        check("callout-sender-550", sender)
        check("callout-random-postmaster", random_and_postmaster)
        check("callout-transport-hosts", transport_hosts)
        check("callout-use-sender-postmaster", mail_from_choices)
        check("callout-bh-skips", host_check_skips)
        check("callout-unreachable-defer-ok", unreachable)
        check("callout-mail-refused-domain-cache", mail_refused)
    finally:
        for t in targets:
            t.terminate()
            t.wait()
    rc = summary()
    if rc == 0:
        shutil.rmtree(WORK, ignore_errors=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
