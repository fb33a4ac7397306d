#!/usr/bin/env python3
"""T-CMD-1 (../shared/notes/security-tests.md, OpenSMTPD CVE-2020-7247): shell
metacharacters in MAIL FROM and RCPT TO, with an empty and a non-empty domain, against the
daemon. Each address is refused with 501 or accepted as data; the accepted ones are then
delivered by a pipe transport that gets $sender_address and $local_part as arguments. The
configured command runs once per message with the addresses as they were given, and no
command hidden in them runs (each would create a marker file).

Usage: envelope_injection_test.py BINARY
"""
import glob
import grp
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Client, Daemon, check, free_port, summary  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
WORK = tempfile.mkdtemp(prefix="facteur-cmd-")
os.chmod(WORK, 0o777)  # the pipe runs as the mail user when the test runs as root
SPOOL = os.path.join(WORK, "spool")
RECORD = os.path.join(WORK, "record.py")
ARGS = os.path.join(WORK, "args")
MARKS = os.path.join(WORK, "marks")
PORT = free_port()
if os.geteuid() == 0:
    MUSER, MGROUP = "mail", "mail"
else:
    MUSER = pwd.getpwuid(os.getuid()).pw_name
    MGROUP = grp.getgrgid(os.getgid()).gr_name
os.mkdir(MARKS)
os.chmod(MARKS, 0o777)

with open(RECORD, "w") as f:
    f.write("import json, sys\nsys.stdin.read()\n"
            f"with open({ARGS!r}, 'a') as f:\n    f.write(json.dumps(sys.argv[1:]) + '\\n')\n")
os.chmod(RECORD, 0o755)

CONF = f"""primary_hostname = mx.test.example
qualify_domain = test.example
local_interfaces = 127.0.0.1
daemon_smtp_ports = {PORT}
spool_directory = {SPOOL}
log_file_path = {WORK}/%slog
queue_only
smtp_max_synprot_errors = 1000
domainlist local_domains = test.example
acl_smtp_rcpt = acl_rcpt
begin acl
acl_rcpt:
  accept domains = +local_domains
  deny message = relay not permitted
begin routers
to_pipe:
  driver = accept
  domains = +local_domains
  transport = record
begin transports
record:
  driver = pipe
  command = /usr/bin/python3 {RECORD} $sender_address $local_part
  user = {MUSER}
  group = {MGROUP}
"""


def mark(n):
    return f"{MARKS}/m{n}"


# Local parts that would run a command if a shell ever saw them. Those that are not valid
# RFC 5321 local parts (';', a bare backslash) must get 501; the others may be accepted.
HOSTILE = [
    f";sleep${{IFS}}5;touch${{IFS}}{mark(1)};",
    f"`touch${{IFS}}{mark(2)}`",
    f"$(touch${{IFS}}{mark(3)})",
    f"a|touch${{IFS}}{mark(4)}",
    f'"|touch {mark(5)}"',
    f'"a;touch {mark(6)};b"',
    f"a&&touch${{IFS}}{mark(7)}",
]


def transaction(client, sender, rcpt):
    """MAIL, RCPT and (when both are accepted) DATA: the MAIL and RCPT codes."""
    m = client.code(f"MAIL FROM:<{sender}>")
    r = client.code(f"RCPT TO:<{rcpt}>") if m == 250 else 0
    if m == 250 and r == 250:
        assert client.code("DATA") == 354
        client.send("Subject: t\r\n\r\nx\r\n.\r\n")
        assert client.reply()[0] == 250
    elif m == 250:
        assert client.code("RSET") == 250
    return m, r


def t_cmd_1():
    """T-CMD-1: 501 or data at SMTP time; a pipe delivery runs the configured command only."""
    c = Client("127.0.0.1", PORT)
    c.start()
    accepted, bad = [], []
    for lp in HOSTILE:
        for sender, rcpt in [(lp, "u@test.example"), (lp + "@r.example", "u@test.example"),
                             ("a@r.example", lp), ("a@r.example", lp + "@test.example")]:
            m, r = transaction(c, sender, rcpt)
            if m not in (250, 501) or r not in (0, 250, 501):
                bad.append(f"MAIL <{sender}> RCPT <{rcpt}>: {m} {r}")
            if r == 250:
                accepted.append((sender, rcpt))
            if ";" in lp[:1] and (m == 250 and r == 250):
                bad.append(f"';' local part accepted: <{sender}> <{rcpt}>")
    # A LF inside the address ends the command: "MAIL FROM:<a" then "b@x>".
    c.send("MAIL FROM:<a\nb@r.example>\r\n")
    assert c.reply()[0] == 501
    assert c.reply()[0] == 500
    assert c.code("QUIT") == 221
    c.close()
    assert not bad, "; ".join(bad)
    assert len(accepted) >= 4, accepted  # the valid ones are data, not refusals
    subprocess.run([BIN, "-C", os.path.join(WORK, "cmd.conf"), "-qff"], check=True, timeout=60)
    assert not os.listdir(MARKS), f"a command hidden in an address ran: {os.listdir(MARKS)}"
    with open(ARGS) as f:
        runs = [json.loads(line) for line in f]
    assert len(runs) == len(accepted), (runs, accepted)
    assert all(len(r) == 2 for r in runs), runs
    # Each run got the sender and the local part as they were given ($local_part lower-cased
    # and without its quotes; "(...)" is an address comment, so "$(...)" is "$").
    for s, r in accepted:
        local = r.rsplit("@", 1)[0]
        want = ["$@r.example" if "$(" in s else s,
                "$" if "$(" in local else local.strip('"').lower()]
        assert want in runs, (want, runs)
    assert not glob.glob(os.path.join(SPOOL, "input", "*-H")), "messages left on the queue"


daemon = Daemon(BIN, WORK, "cmd", CONF, [("127.0.0.1", PORT)])
try:
    check("T-CMD-1: shell metacharacters in MAIL and RCPT never reach a shell", t_cmd_1)
finally:
    daemon.stop()
shutil.rmtree(WORK, ignore_errors=True)
sys.exit(summary())
