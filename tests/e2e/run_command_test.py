#!/usr/bin/env python3
"""The README's run command (issue 6, "Done means"): scripts/start.sh, which scripts/run.sh
calls after building, on a temporary ROOT with free ports instead of 2525 and 4650. It must
start facteur on the shipped conf.d with no edits, then:

  * mail to demo@localhost on the STARTTLS port lands in ROOT/var/mail/demo/Maildir;
  * the implicit-TLS port shows the certificate facteur-gencert made (verified for
    127.0.0.1), and AUTH PLAIN as demo / facteur-demo (the README's password) relays;
  * without AUTH, or with a wrong password, relaying is refused; AUTH is not offered in clear.

Usage: run_command_test.py FACTEUR FACTEUR_UPDATE_CONF SOURCE_DIR
Prints "N passed, N failed" last; exit status 1 when anything failed.
"""
import glob
import os
import shutil
import smtplib
import ssl
import subprocess
import sys
import tempfile
import time

FACTEUR, UPDATE, SRC = (os.path.abspath(a) for a in sys.argv[1:4])
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(SRC, "tests", "lib"))
import pidfile  # noqa: E402
from harness import check, free_port, summary, wait_listening  # noqa: E402

ROOT = tempfile.mkdtemp(prefix="facteur-run-")
os.chmod(ROOT, 0o755)
PORT, TLS_PORT = free_port(), free_port()
USER, PASSWORD = "demo", "facteur-demo"  # as README.md shows them


def start():
    env = dict(os.environ, FACTEUR_BIN=FACTEUR, FACTEUR_UPDATE_CONF=UPDATE,
               FACTEUR_PORT=str(PORT), FACTEUR_TLS_PORT=str(TLS_PORT))
    r = subprocess.run([os.path.join(SRC, "scripts", "start.sh"), ROOT], env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"127.0.0.1:{PORT}" in r.stdout, r.stdout
    for port in (PORT, TLS_PORT):
        assert wait_listening("127.0.0.1", port), f"nothing listens on {port}"


def verified_context():
    ctx = ssl.create_default_context(cafile=os.path.join(ROOT, "var", "etc", "facteur.crt"))
    return ctx  # hostname checked too: facteur-gencert names 127.0.0.1


def local_delivery():
    r = subprocess.run(["swaks", "--server", f"127.0.0.1:{PORT}", "--to", f"{USER}@localhost",
                        "--from", "someone@example.net", "--helo", "client.example.net",
                        "--header", "Subject: run command", "--timeout", "15"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    end = time.time() + 15
    while time.time() < end:
        for path in glob.glob(os.path.join(ROOT, "var", "mail", USER, "Maildir", "new", "*")):
            with open(path, errors="replace") as f:
                if "Subject: run command" in f.read():
                    return
        time.sleep(0.1)
    raise AssertionError("the message is not in var/mail/demo/Maildir/new")


def no_relay_without_auth():
    with smtplib.SMTP("127.0.0.1", PORT, timeout=15) as s:
        s.ehlo("client.example.net")
        assert not s.has_extn("auth"), "AUTH offered in clear"
        s.starttls(context=verified_context())
        s.ehlo("client.example.net")
        assert "PLAIN" in s.esmtp_features.get("auth", ""), s.esmtp_features
        s.mail("someone@example.net")
        code, text = s.rcpt("friend@example.org")
        assert code == 550, (code, text)


def relay_after_auth():
    with smtplib.SMTP_SSL("127.0.0.1", TLS_PORT, timeout=15, context=verified_context()) as s:
        s.ehlo("client.example.net")
        try:
            s.login(USER, "wrong")
            raise AssertionError("a wrong password was accepted")
        except smtplib.SMTPAuthenticationError as e:
            assert e.smtp_code == 535, e
        code, _ = s.auth("PLAIN", lambda challenge=None: f"\0{USER}\0{PASSWORD}")
        assert code == 235, code
        assert s.mail(f"{USER}@localhost")[0] == 250
        code, text = s.rcpt("friend@example.org")
        assert code == 250, (code, text)
        s.rset()


def stop():
    pidfile.stop(os.path.join(ROOT, "var", "facteur.pid"), timeout=10)


def main():
    try:
        check("scripts/start.sh on a fresh ROOT starts the daemon on both ports", start)
        check("mail to demo@localhost lands in ROOT/var/mail/demo/Maildir (swaks)",
              local_delivery)
        check("no AUTH in clear, relay refused without AUTH (STARTTLS, verified certificate)",
              no_relay_without_auth)
        check("implicit TLS: AUTH PLAIN demo/facteur-demo relays, a wrong password gets 535",
              relay_after_auth)
    finally:
        stop()
        shutil.rmtree(ROOT, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
