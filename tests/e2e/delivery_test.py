#!/usr/bin/env python3
"""End-to-end delivery tests (issue 5, "Done means"): mail accepted by `facteur -bd` and
delivered

  * to a Maildir that a real Dovecot (dovecot-imapd, started here on a loopback port) serves
    over IMAP to Python's imaplib;
  * to an mbox;
  * through the smtp transport to a second facteur on another loopback port, with STARTTLS and
    AUTH PLAIN;
  * to a peer that is down: deferred, retried by the -q runner, then bounced when the retry
    rule's cutoff has passed, the bounce reaching the sender's Maildir;
  * and deliveries killed with SIGKILL at random moments: every message is delivered in the
    end (never lost); duplicates are counted and may only come from a kill between a mailbox
    fsync and the journal update.

Usage: delivery_test.py BINARY
Prints "N passed, N failed" last; exit status 1 when anything failed, 77 when Dovecot is
missing (skipped).
"""
import email
import glob
import imaplib
import os
import pwd
import grp
import random
import re
import shutil
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Daemon, free_port, make_cert  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
WORK = tempfile.mkdtemp(prefix="facteur-deliver-")
os.chmod(WORK, 0o755)
PASSED, FAILED = [], []


PA, PB, PI, PDOWN = free_port(), free_port(), free_port(), free_port()
if os.geteuid() == 0:
    MUSER, MGROUP = "mail", "mail"
else:
    MUSER = pwd.getpwuid(os.getuid()).pw_name
    MGROUP = grp.getgrgid(os.getgid()).gr_name
MUID = pwd.getpwnam(MUSER).pw_uid
MGID = grp.getgrnam(MGROUP).gr_gid
MAIL = os.path.join(WORK, "mail")
MBOX = os.path.join(WORK, "mbox")
CERT, KEY = make_cert(WORK, "b.test")


def sender_conf(name, port):
    d = os.path.join(WORK, name)
    return f"""primary_hostname = {name}.test
qualify_domain = a.test
local_interfaces = 127.0.0.1
daemon_smtp_ports = {port}
spool_directory = {d}/spool
log_file_path = {d}/%slog
acl_smtp_rcpt = accept
delay_warning = 0s
begin routers
down:
  driver = manualroute
  domains = down.test
  route_list = * 127.0.0.1::{PDOWN}
  transport = remote_smtp
  self = send
relay:
  driver = manualroute
  domains = b.test
  route_list = * 127.0.0.1::{PB}
  transport = auth_smtp
  self = send
mbox_user:
  driver = accept
  domains = m.test
  transport = mbox
local_user:
  driver = accept
  domains = a.test
  transport = maildir
begin transports
maildir:
  driver = appendfile
  directory = {MAIL}/$local_part/Maildir
  maildir_format
  create_directory
  user = {MUSER}
  group = {MGROUP}
mbox:
  driver = appendfile
  file = {MBOX}/$local_part
  user = {MUSER}
  group = {MGROUP}
remote_smtp:
  driver = smtp
  allow_localhost
  connect_timeout = 2s
auth_smtp:
  driver = smtp
  allow_localhost
  hosts_require_tls = *
  hosts_require_auth = *
begin retry
down.test * F,6s,1s
* * F,1h,10m
begin authenticators
plain_client:
  driver = plaintext
  public_name = PLAIN
  client_send = ^relayuser^relaysecret
"""


def receiver_conf():
    d = os.path.join(WORK, "b")
    return f"""primary_hostname = b.test
local_interfaces = 127.0.0.1
daemon_smtp_ports = {PB}
spool_directory = {d}/spool
log_file_path = {d}/%slog
tls_certificate = {CERT}
tls_privatekey = {KEY}
tls_advertise_hosts = *
auth_advertise_hosts = ${{if eq{{$tls_in_cipher}}{{}}{{}}{{*}}}}
acl_smtp_rcpt = acl_rcpt
begin acl
acl_rcpt:
  accept authenticated = *
  deny message = authentication required
begin routers
local_user:
  driver = accept
  transport = maildir
begin transports
maildir:
  driver = appendfile
  directory = {MAIL}/b-$local_part/Maildir
  maildir_format
  create_directory
  user = {MUSER}
  group = {MGROUP}
begin authenticators
plain_server:
  driver = plaintext
  public_name = PLAIN
  server_condition = ${{if and{{{{eq{{$auth2}}{{relayuser}}}}{{eq{{$auth3}}{{relaysecret}}}}}}}}
  server_set_id = $auth2
"""


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def setup():
    for d in ("a", "b", "k", "mail", "mbox"):
        os.makedirs(os.path.join(WORK, d), exist_ok=True)
    for d in (MAIL, MBOX):
        os.chown(d, MUID, MGID)


def send(port, sender, rcpts, subject, body="hello\n"):
    msg = f"From: {sender}\r\nTo: {', '.join(rcpts)}\r\nSubject: {subject}\r\n\r\n{body}"
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
        s.sendmail(sender, rcpts, msg)


def wait_for(pred, timeout=15, step=0.1):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if pred():
            return True
        time.sleep(step)
    return pred()


def maildir_files(user):
    return glob.glob(os.path.join(MAIL, user, "Maildir", "new", "*"))


def check(name, cond, detail=""):
    (PASSED if cond else FAILED).append(name)
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else ": " + detail))


class Dovecot:
    def __init__(self):
        self.dir = os.path.join(WORK, "dovecot")
        os.makedirs(os.path.join(self.dir, "run"))
        os.makedirs(os.path.join(self.dir, "state"))
        os.chmod(self.dir, 0o755)
        write(os.path.join(self.dir, "users"), "alice:{PLAIN}imap-pw::::::\n")
        os.chmod(os.path.join(self.dir, "users"), 0o644)
        conf = f"""protocols = imap
listen = 127.0.0.1
base_dir = {self.dir}/run
state_dir = {self.dir}/state
log_path = {self.dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{MAIL}/%n/Maildir
first_valid_uid = {MUID}
first_valid_gid = {MGID}
passdb {{
  driver = passwd-file
  args = {self.dir}/users
}}
userdb {{
  driver = static
  args = uid={MUID} gid={MGID} home={MAIL}/%n
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {PI}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""
        if os.geteuid() != 0:
            conf += f"""default_internal_user = {MUSER}
default_internal_group = {MGROUP}
default_login_user = {MUSER}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""
        self.conf = write(os.path.join(self.dir, "dovecot.conf"), conf)
        self.proc = subprocess.Popen(["dovecot", "-F", "-c", self.conf],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        ok = wait_for(lambda: self._listening(), timeout=10)
        if not ok:
            raise RuntimeError("dovecot did not start: " + self._log())

    def _listening(self):
        try:
            socket.create_connection(("127.0.0.1", PI), timeout=0.5).close()
            return True
        except OSError:
            return False

    def _log(self):
        try:
            with open(os.path.join(self.dir, "dovecot.log")) as f:
                return f.read()[-2000:]
        except OSError:
            return ""

    def stop(self):
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=10)


def t_maildir_imap():
    send(PA, "sender@a.test", ["alice@a.test"], "to dovecot")
    check("maildir: delivered", wait_for(lambda: len(maildir_files("alice")) == 1))
    im = imaplib.IMAP4("127.0.0.1", PI)
    im.login("alice", "imap-pw")
    typ, data = im.select("INBOX")
    count = int(data[0]) if typ == "OK" else -1
    check("maildir: IMAP sees one message", count == 1, f"{typ} {data}")
    typ, data = im.fetch("1", "(RFC822)")
    msg = email.message_from_bytes(data[0][1]) if typ == "OK" else None
    check("maildir: IMAP subject", msg is not None and msg["Subject"] == "to dovecot",
          str(msg and msg["Subject"]))
    check("maildir: Received header", msg is not None and "by a.test" in str(msg["Received"]))
    im.logout()


def t_mbox():
    send(PA, "sender@a.test", ["bob@m.test"], "to mbox", "From the start\nline\n")
    path = os.path.join(MBOX, "bob")
    check("mbox: delivered", wait_for(lambda: os.path.exists(path) and os.path.getsize(path) > 0))
    text = open(path).read() if os.path.exists(path) else ""
    check("mbox: From_ line", text.startswith("From sender@a.test "), text[:60])
    check("mbox: From escaped in the body", "\n>From the start\n" in text, text)


def t_smtp_tls_auth():
    send(PA, "sender@a.test", ["carol@b.test"], "relayed")
    check("smtp: delivered by the second facteur",
          wait_for(lambda: len(maildir_files("b-carol")) == 1))
    log = open(os.path.join(WORK, "a", "mainlog")).read()
    m = re.search(r"=> carol@b\.test R=relay T=auth_smtp H=127\.0\.0\.1 \[127\.0\.0\.1\].*", log)
    check("smtp: => line", m is not None, log[-800:])
    blog = open(os.path.join(WORK, "b", "mainlog")).read()
    check("smtp: the receiver saw TLS and AUTH",
          re.search(r"<= sender@a\.test .*P=esmtpsa .*A=plain_server:relayuser", blog) is not None,
          blog[-800:])


def t_down_peer_bounce():
    send(PA, "sender@a.test", ["dave@down.test"], "to a dead host")
    log = os.path.join(WORK, "a", "mainlog")
    check("down: deferred", wait_for(lambda: "== dave@down.test" in open(log).read()))
    # The -q runner of the daemon retries every second; the rule gives up after 6 s.
    check("down: retried", wait_for(lambda: open(log).read().count("== dave@down.test") >= 2, 20))
    check("down: bounced", wait_for(lambda: "** dave@down.test" in open(log).read(), 30),
          open(log).read()[-1500:])
    def bounce_arrived():
        for f in maildir_files("sender"):
            if "Mail delivery failed" in open(f, errors="replace").read():
                return True
        return False
    check("down: the bounce reached the sender's mailbox", wait_for(bounce_arrived, 15))
    text = ""
    for f in maildir_files("sender"):
        text += open(f, errors="replace").read()
    check("down: the bounce is a DSN", "report-type=delivery-status" in text and
          "Final-Recipient: rfc822;dave@down.test" in text and "Action: failed" in text, text[:800])


def t_sigkill():
    """Deliveries killed at random moments are redone: never lost; duplicates counted."""
    conf = write(os.path.join(WORK, "k.conf"), sender_conf("k", 0))
    n = 300
    ids = []
    for i in range(n):
        p = subprocess.run([BIN, "-C", conf, "-odq", "-f", "sender@a.test", f"kill{i % 3}@a.test"],
                           input=f"Subject: kill {i}\nX-Seq: {i}\n\nbody {i}\n", text=True,
                           capture_output=True)
        if p.returncode != 0:
            check("sigkill: submission", False, p.stderr)
            return
    rnd = random.Random(5)
    kills = 0
    spool = os.path.join(WORK, "k", "spool", "input")
    for _ in range(40):
        if not glob.glob(os.path.join(spool, "*-H")):
            break
        runner = subprocess.Popen([BIN, "-C", conf, "-qf"], start_new_session=True)
        time.sleep(rnd.uniform(0.005, 0.08))
        if runner.poll() is None:
            os.killpg(runner.pid, signal.SIGKILL)
            kills += 1
        runner.wait()
    subprocess.run([BIN, "-C", conf, "-qff"], check=True)
    seen = {}
    for user in ("kill0", "kill1", "kill2"):
        for f in maildir_files(user):
            m = re.search(r"^X-Seq: (\d+)$", open(f).read(), re.M)
            if m:
                seen[int(m.group(1))] = seen.get(int(m.group(1)), 0) + 1
    lost = [i for i in range(n) if i not in seen]
    dups = sum(c - 1 for c in seen.values())
    left = glob.glob(os.path.join(WORK, "k", "spool", "input", "*-H"))
    print(f"     sigkill: {kills} kills, {n} messages, {len(lost)} lost, {dups} duplicates, "
          f"{len(left)} left on the spool")
    check("sigkill: nothing lost", not lost, str(lost))
    check("sigkill: spool empty at the end", not left, str(left))
    # A duplicate needs a kill between a mailbox fsync and the journal line: at most one
    # delivery in flight per running thread at each kill.
    check("sigkill: duplicates bounded by the kills", dups <= kills * 8, f"{dups} > {kills}*8")


def main():
    if not shutil.which("dovecot") or not os.path.exists("/usr/lib/dovecot/imap"):
        print("dovecot-imapd is not installed: skipped")
        return 77
    setup()
    dovecot = Dovecot()
    daemons = []
    try:
        daemons.append(Daemon(BIN, WORK, "b", receiver_conf(), [("127.0.0.1", PB)]))
        daemons.append(Daemon(BIN, WORK, "a", sender_conf("a", PA), [("127.0.0.1", PA)], ["-q1s"]))
        for t in (t_maildir_imap, t_mbox, t_smtp_tls_auth, t_down_peer_bounce, t_sigkill):
            try:
                t()
            except Exception as e:  # a test that crashes is a failure, the others still run
                check(t.__name__, False, repr(e))
    finally:
        for d in daemons:
            d.stop()
        dovecot.stop()
    print(f"{len(PASSED)} passed, {len(FAILED)} failed")
    if FAILED:
        print("work folder kept: " + WORK)
        return 1
    shutil.rmtree(WORK, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
