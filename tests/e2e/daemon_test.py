#!/usr/bin/env python3
"""End-to-end tests of `facteur -bd` with real clients (Python smtplib, openssl s_client,
swaks when installed): plain SMTP, STARTTLS, implicit TLS, the relay policy, durable spool,
SMTP smuggling, STARTTLS injection, and SIGKILL during a load of concurrent sessions.

Usage: daemon_test.py BINARY
Prints "N passed, N failed" last; exit status 1 when anything failed.
"""
import glob
import os
import shutil
import signal
import smtplib
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, free_port, s_client, summary  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
WORK = tempfile.mkdtemp(prefix="facteur-e2e-")


PORT, TLS_PORT = free_port(), free_port()
SPOOL = os.path.join(WORK, "spool")
CERT, KEY = os.path.join(WORK, "cert.pem"), os.path.join(WORK, "key.pem")
CONF = os.path.join(WORK, "facteur.conf")


def write_config():
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", KEY,
                    "-out", CERT, "-days", "2", "-subj", "/CN=mx.test.example"],
                   check=True, capture_output=True)
    with open(CONF, "w") as f:
        f.write(f"""primary_hostname = mx.test.example
queue_only
local_interfaces = 127.0.0.1
daemon_smtp_ports = {PORT} : {TLS_PORT}
tls_on_connect_ports = {TLS_PORT}
tls_certificate = {CERT}
tls_privatekey = {KEY}
tls_advertise_hosts = *
spool_directory = {SPOOL}
log_file_path = {WORK}/%slog
smtp_accept_max = 200
domainlist local_domains = test.example
hostlist relay_from_hosts = 192.0.2.1
acl_smtp_rcpt = acl_rcpt
begin acl
acl_rcpt:
  accept hosts = +relay_from_hosts
  accept domains = +local_domains
  deny message = relay not permitted
""")


def start():
    p = subprocess.Popen([BIN, "-C", CONF, "-bdf"], stderr=subprocess.PIPE)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=0.2).close()
            return p
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("daemon did not start: " + p.stderr.read().decode())


def tls_ctx():
    c = ssl.create_default_context(cafile=CERT)
    c.check_hostname = False
    return c


def spooled():
    return sorted(glob.glob(os.path.join(SPOOL, "input", "*-H")))


def t_plain_relay_policy():
    s = smtplib.SMTP("127.0.0.1", PORT, timeout=10)
    s.ehlo("client.example")
    assert s.mail("a@remote.example")[0] == 250
    assert s.rcpt("user@test.example")[0] == 250
    code, msg = s.rcpt("victim@elsewhere.example")
    assert code == 550, (code, msg)
    s.quit()


def t_message_spooled():
    before = len(spooled())
    s = smtplib.SMTP("127.0.0.1", PORT, timeout=10)
    s.sendmail("a@remote.example", ["user@test.example"], "Subject: t\r\n\r\nhello\r\n")
    s.quit()
    assert len(spooled()) == before + 1


def t_starttls():
    s = smtplib.SMTP("127.0.0.1", PORT, timeout=10)
    s.ehlo("client.example")
    assert s.has_extn("starttls")
    s.starttls(context=tls_ctx())
    s.ehlo("client.example")
    assert not s.has_extn("starttls")
    before = set(spooled())
    s.sendmail("a@remote.example", ["user@test.example"], "Subject: tls\r\n\r\nx\r\n")
    version, cipher = s.sock.version().replace("v", ""), s.sock.cipher()[0]
    s.quit()
    new = sorted(set(spooled()) - before)
    assert len(new) == 1, new
    with open(new[0], errors="replace") as f:
        h = f.read()
    # The -H file records the cipher and the Received: header says how the message came
    assert "\n-tls_cipher " + version + ":" in h, h
    assert "with esmtps  (" + version + ")" in h, h  # two spaces, as in Exim's default
    std = {"TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256"}
    assert cipher not in std or " tls " + cipher in h, (cipher, h)


def t_implicit_tls():
    s = smtplib.SMTP_SSL("127.0.0.1", TLS_PORT, timeout=10, context=tls_ctx())
    assert s.ehlo("c.example")[0] == 250
    assert s.sock.version() in ("TLSv1.2", "TLSv1.3")
    s.quit()


def t_openssl_s_client():
    out = s_client("127.0.0.1", PORT, ["EHLO c.example", "QUIT"], CERT)
    assert "250" in out and "221" in out, out


def t_swaks():
    if not shutil.which("swaks"):
        return
    r = subprocess.run(["swaks", "--server", f"127.0.0.1:{PORT}", "--to", "user@test.example",
                        "--from", "a@remote.example", "-tls", "--tls-ca-path", CERT],
                       capture_output=True, timeout=30)
    assert b"250 OK id=" in r.stdout, r.stdout[-500:]


def t_smuggling():
    """T-SMUG: a bare-LF '.' never ends the data; no second message appears."""
    before = len(spooled())
    c = socket.create_connection(("127.0.0.1", PORT), timeout=10)
    f = c.makefile("rb")
    f.readline()
    c.sendall(b"EHLO c\r\n")
    while not f.readline().startswith(b"250 "):
        pass
    c.sendall(b"MAIL FROM:<a@r.example>\r\nRCPT TO:<u@test.example>\r\nDATA\r\n")
    for _ in range(3):
        f.readline()
    c.sendall(b"Subject: a\r\n\r\nbody\n.\nMAIL FROM:<evil@r.example>\r\n"
              b"RCPT TO:<u@test.example>\r\nDATA\r\nSubject: smuggled\r\n\r\nx\r\n.\r\nQUIT\r\n")
    rest = b"".join(iter(f.readline, b""))
    c.close()
    assert len(spooled()) <= before + 1, "a second message was smuggled"
    assert b"smuggled" not in b"".join(open(p, "rb").read() for p in glob.glob(
        os.path.join(SPOOL, "input", "*-H"))), rest


def t_starttls_injection():
    """T-TLS-1: a command pipelined with STARTTLS is discarded."""
    raw = socket.create_connection(("127.0.0.1", PORT), timeout=10)
    f = raw.makefile("rb")
    f.readline()
    raw.sendall(b"EHLO c\r\n")
    while not f.readline().startswith(b"250 "):
        pass
    raw.sendall(b"STARTTLS\r\nNOOP\r\n")
    assert f.readline().startswith(b"220")
    t = tls_ctx().wrap_socket(raw, server_hostname="mx.test.example")
    t.sendall(b"RSET\r\n")
    line = t.recv(1000)
    assert line.startswith(b"250"), line  # the reply to RSET, not to the injected NOOP
    t.close()


def t_kill9_durability():
    """Every message that got 250 is in the spool, whole, after SIGKILL mid-load."""
    acked, lock = [], threading.Lock()
    stop = time.time() + 3

    def client(k):
        while time.time() < stop:
            try:
                s = smtplib.SMTP("127.0.0.1", PORT, timeout=5)
                body = f"Subject: load {k}\r\n\r\n" + ("x" * 1000 + "\r\n") * 3
                s.ehlo("load.example")
                s.mail("a@r.example")
                s.rcpt("u@test.example")
                code, msg = s.data(body)
                if code == 250:
                    with lock:
                        acked.append(msg.decode().split("id=")[1].strip())
                s.close()
            except Exception:  # noqa: BLE001 - the daemon dies under us
                return

    threads = [threading.Thread(target=client, args=(k,)) for k in range(16)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    DAEMON[0].send_signal(signal.SIGKILL)
    DAEMON[0].wait()
    for t in threads:
        t.join()
    assert acked, "no message acknowledged before the kill"
    for mid in acked:
        h = os.path.join(SPOOL, "input", mid + "-H")
        d = os.path.join(SPOOL, "input", mid + "-D")
        assert os.path.exists(h) and os.path.exists(d), mid
        assert open(d, "rb").read().count(b"x" * 1000) == 3, mid
    DAEMON[0] = start()  # start-up recovery removes what was half written
    for h in spooled():  # acknowledged or not, every message left in the queue is whole
        d = h[:-2] + "-D"
        assert os.path.exists(d), h
        if b"Subject: load" in open(h, "rb").read():
            assert open(d, "rb").read().count(b"x" * 1000) == 3, h
    leftovers = [n for n in os.listdir(os.path.join(SPOOL, "input"))
                 if n.endswith(".tmp") or (n.endswith("-D") and not os.path.exists(
                     os.path.join(SPOOL, "input", n[:-2] + "-H")))]
    assert not leftovers, leftovers


def t_delay_does_not_stall():
    """`delay =` holds one session's replies without stalling the others; an early talker
    gets 554 (RFC 5321 4.3.1)."""
    port = free_port()
    conf = os.path.join(WORK, "delay.conf")
    with open(conf, "w") as f:
        f.write(f"""primary_hostname = mx.test.example
queue_only
local_interfaces = 127.0.0.1
daemon_smtp_ports = {port}
spool_directory = {WORK}/spool-delay
log_file_path = {WORK}/%slog
acl_smtp_connect = acl_conn
begin acl
acl_conn:
  accept delay = 2s
""")
    p = subprocess.Popen([BIN, "-C", conf, "-bdf"], stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        times = []

        def banner():
            t0 = time.time()
            c = socket.create_connection(("127.0.0.1", port), timeout=10)
            assert c.recv(100).startswith(b"220")
            times.append(time.time() - t0)
            c.close()

        ths = [threading.Thread(target=banner) for _ in range(5)]
        t0 = time.time()
        for t in ths:
            t.start()
        for t in ths:
            t.join()
        assert len(times) == 5 and min(times) >= 1.9, times
        assert time.time() - t0 < 4.5, "sessions were delayed one after another"
        c = socket.create_connection(("127.0.0.1", port), timeout=10)
        c.sendall(b"EHLO early.example\r\n")
        assert c.recv(100).startswith(b"554"), "early talker not refused"
        c.close()
    finally:
        p.terminate()
        p.wait(timeout=5)


write_config()
DAEMON = [start()]
try:
    for name, fn in [("plain SMTP and the relay policy", t_plain_relay_policy),
                     ("accepted message is spooled", t_message_spooled),
                     ("STARTTLS with smtplib", t_starttls),
                     ("implicit TLS (tls_on_connect_ports)", t_implicit_tls),
                     ("openssl s_client -starttls smtp", t_openssl_s_client),
                     ("swaks with TLS", t_swaks),
                     ("T-SMUG: bare LF dot does not end DATA", t_smuggling),
                     ("T-TLS-1: STARTTLS command injection", t_starttls_injection),
                     ("delay = holds replies without stalling other sessions", t_delay_does_not_stall),
                     ("SIGKILL under load loses no acknowledged message", t_kill9_durability)]:
        check(name, fn)
finally:
    DAEMON[0].terminate()
    try:
        DAEMON[0].wait(timeout=5)
    except subprocess.TimeoutExpired:
        DAEMON[0].kill()
    shutil.rmtree(WORK, ignore_errors=True)

sys.exit(summary())
