#!/usr/bin/env python3
"""End-to-end tests of `facteur -bd`: connection limits (smtp_accept_max, smtp_accept_reserve
with smtp_reserve_hosts), per-session limits over the network (smtp_max_synprot_errors,
recipients_max, smtp_accept_max_nonmail, smtp_receive_timeout), IPv6 and the -oX forms,
SIGHUP under load, SIGTERM, the immediate 221, and TLS client certificates
(tls_verify_hosts, tls_try_verify_hosts, $tls_in_peerdn, $tls_in_certificate_verified) with
openssl s_client and certificates made here.

Usage: daemon_limits_test.py BINARY
Prints "N passed, N failed" last; exit status 1 when anything failed.
"""
import glob
import os
import shutil
import signal
import smtplib
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Client, Daemon, check, free_port, make_pki, s_client, summary  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
WORK = tempfile.mkdtemp(prefix="facteur-e2e-limits-")
HOST = "mx.test.example"


def base_conf(name, extra=""):
    return f"""primary_hostname = {HOST}
queue_only
spool_directory = {WORK}/spool-{name}
log_file_path = {WORK}/%slog
domainlist local_domains = test.example
acl_smtp_rcpt = acl_rcpt
{extra}
begin acl
acl_rcpt:
  accept domains = +local_domains
  deny message = relay not permitted
"""


def loopback_daemon(name, extra="", args=()):
    """A daemon on 127.0.0.1 and a free port; returns (daemon, port)."""
    port = free_port()
    conf = base_conf(name, f"local_interfaces = 127.0.0.1\ndaemon_smtp_ports = {port}\n{extra}")
    return Daemon(BIN, WORK, name, conf, [("127.0.0.1", port)], args), port


def t_reserve():
    port = free_port()
    d = Daemon(BIN, WORK, "reserve", base_conf("reserve", f"""local_interfaces = <; 127.0.0.1 ; ::1
daemon_smtp_ports = {port}
smtp_accept_max = 3
smtp_accept_reserve = 1
smtp_reserve_hosts = <; ::1"""), [("127.0.0.1", port), ("::1", port)])
    try:
        time.sleep(0.3)  # the readiness probes above have gone
        c1, c2 = Client("127.0.0.1", port), Client("127.0.0.1", port)
        assert c1.reply()[0] == 220 and c2.reply()[0] == 220
        c3 = Client("127.0.0.1", port)  # the last slot is the reserve: not for 127.0.0.1
        code, text = c3.reply()
        assert code == 421 and text == (f"421 {HOST}: Too many concurrent SMTP connections; "
                                        "please try again later"), text
        assert c3.closed()
        c4 = Client("::1", port)  # in smtp_reserve_hosts
        code, text = c4.reply()
        assert code == 220, text
        assert c4.cmd("EHLO v6.example")[0] == 250
        c5 = Client("::1", port)  # over smtp_accept_max even for a reserve host
        code, text = c5.reply()
        assert code == 421 and "Too many concurrent SMTP connections" in text, text
        for c in (c1, c2, c4, c5):
            c.close()
    finally:
        d.stop()


def t_max_per_host():
    # Expanded with $sender_host_address: 2 from 127.0.0.1, no limit from ::1
    port = free_port()
    d = Daemon(BIN, WORK, "perhost", base_conf("perhost", f"""local_interfaces = <; 127.0.0.1 ; ::1
daemon_smtp_ports = {port}
smtp_accept_max = 20
smtp_accept_max_per_host = ${{if eq{{$sender_host_address}}{{127.0.0.1}}{{2}}{{0}}}}"""),
               [("127.0.0.1", port), ("::1", port)])
    try:
        time.sleep(0.3)  # the readiness probes above have gone
        clients = [Client("127.0.0.1", port), Client("127.0.0.1", port)]
        assert all(c.reply()[0] == 220 for c in clients)
        c3 = Client("127.0.0.1", port)
        code, text = c3.reply()
        assert code == 421 and "from this IP address" in text, text
        v6 = [Client("::1", port) for _ in range(3)]
        assert all(c.reply()[0] == 220 for c in v6)
        for c in clients + v6 + [c3]:
            c.close()
    finally:
        d.stop()


def t_ox_forms():
    p1, p2 = free_port(), free_port()
    conf = base_conf("ox", "local_interfaces = 127.0.0.1\ndaemon_smtp_ports = 1")
    d = Daemon(BIN, WORK, "ox1", conf, [("127.0.0.1", p1), ("127.0.0.1", p2)],
               ["-oX", f"{p1}:{p2}"])
    d.stop()
    d = Daemon(BIN, WORK, "ox2", conf, [("::1", p1), ("127.0.0.1", p2)],
               ["-oX", f"<; ::1.{p1}; 127.0.0.1.{p2}"])
    try:
        c = Client("::1", p1)
        code, text = c.reply()
        assert code == 220, text
        code, text = c.cmd("EHLO v6.example")
        assert code == 250 and "[::1]" in text, text
        c.close()
        try:
            Client("127.0.0.1", p1)
            raise AssertionError("127.0.0.1 port p1 should not be listening")
        except ConnectionRefusedError:
            pass
    finally:
        d.stop()


def t_session_limits():
    d, port = loopback_daemon("session", "smtp_max_synprot_errors = 2\nrecipients_max = 2\n"
                                         "smtp_accept_max_nonmail = 2")
    try:
        c = Client("127.0.0.1", port)
        c.reply()
        c.cmd("EHLO c.example")
        for _ in range(2):
            assert c.cmd("MAIL FROM:<@>")[0] == 501
        assert c.cmd("RCPT TO:<u@test.example>")[0] == 503  # expected after a refused MAIL
        code, text = c.cmd("MAIL FROM:<@>")
        assert code == 501 and text.endswith("501 Too many syntax or protocol errors"), text
        assert c.closed()
        c = Client("127.0.0.1", port)
        c.reply()
        c.cmd("EHLO c.example")
        assert c.cmd("MAIL FROM:<a@c.example>")[0] == 250
        assert c.cmd("RCPT TO:<u1@test.example>")[0] == 250
        assert c.cmd("RCPT TO:<u2@test.example>")[0] == 250
        assert c.cmd("RCPT TO:<u3@test.example>") == (452, "452 too many recipients")
        assert c.cmd("DATA")[0] == 354
        c.sock.sendall(b"Subject: two\r\n\r\nx\r\n.\r\n")
        code, text = c.reply()
        assert code == 250, text
        assert c.cmd("NOOP")[0] == 250
        assert c.cmd("NOOP")[0] == 250
        assert c.cmd("NOOP") == (554, "554 Too many nonmail commands")
        assert c.closed()
    finally:
        d.stop()


def t_receive_timeout():
    d, port = loopback_daemon("timeout", "smtp_receive_timeout = 1s")
    try:
        c = Client("127.0.0.1", port)
        c.reply()
        t0 = time.time()
        code, text = c.reply()
        assert (code, text) == (421, f"421 {HOST}: SMTP command timeout - closing connection"), text
        assert 0.8 < time.time() - t0 < 3.5
        assert c.closed()
    finally:
        d.stop()


def t_quit_at_once():
    """221 comes at once, also to a client that waits for it before closing (Exim 4.96
    holds it 200 ms)."""
    d, port = loopback_daemon("quit")
    try:
        worst = 0.0
        for _ in range(5):
            c = Client("127.0.0.1", port)
            c.reply()
            t0 = time.time()
            code, _ = c.cmd("QUIT")
            worst = max(worst, time.time() - t0)
            assert code == 221
            c.close()
        assert worst < 0.1, worst
    finally:
        d.stop()


def load(port, stop, acked, errors):
    while not stop.is_set():
        try:
            s = smtplib.SMTP("127.0.0.1", port, timeout=10)
            s.ehlo("load.example")
            s.mail("a@r.example")
            s.rcpt("u@test.example")
            code, msg = s.data("Subject: load\r\n\r\n" + "x" * 1000 + "\r\n")
            if code == 250:
                acked.append(msg.decode().split("id=")[1].strip())
            s.quit()
        except Exception as e:  # noqa: BLE001 - counted, and the test fails on any
            errors.append(repr(e))


def t_sighup_under_load():
    port = free_port()
    def conf(banner):
        return base_conf("hup", f"local_interfaces = 127.0.0.1\ndaemon_smtp_ports = {port}\n"
                                f"smtp_banner = {banner}")

    d = Daemon(BIN, WORK, "hup", conf("first banner"), [("127.0.0.1", port)])
    stop, acked, errors = threading.Event(), [], []
    threads = [threading.Thread(target=load, args=(port, stop, acked, errors)) for _ in range(4)]
    try:
        live = Client("127.0.0.1", port)
        assert live.reply() == (220, "220 first banner")
        assert live.cmd("EHLO live.example")[0] == 250
        for t in threads:
            t.start()
        time.sleep(0.7)
        with open(d.conf, "w") as f:
            f.write(conf("second banner"))
        d.signal(signal.SIGHUP)
        time.sleep(0.5)
        c = Client("127.0.0.1", port)
        assert c.reply() == (220, "220 second banner")
        c.close()
        time.sleep(0.5)
        stop.set()
        for t in threads:
            t.join()
        assert live.cmd("MAIL FROM:<a@r.example>")[0] == 250  # the live session goes on
        assert live.cmd("QUIT")[0] == 221
        assert not errors, errors[:3]
        assert len(acked) > 10, len(acked)
        for mid in acked:
            assert os.path.exists(os.path.join(WORK, "spool-hup", "input", mid + "-H")), mid
        log = open(os.path.join(WORK, "mainlog")).read()
        assert "SIGHUP received: configuration re-read" in log
    finally:
        stop.set()
        d.stop()


def t_sigterm():
    pid_file = os.path.join(WORK, "term.pid")
    d, port = loopback_daemon("term", args=["-oP", pid_file])
    c = Client("127.0.0.1", port)
    c.reply()
    c.cmd("EHLO c.example")
    assert int(open(pid_file).read()) == d.proc.pid
    t0 = time.time()
    d.signal(signal.SIGTERM)
    code, text = c.reply()
    assert (code, text) == (421, f"421 {HOST}: Service not available - closing connection"), text
    assert c.closed()
    assert d.proc.wait(timeout=5) == 0
    assert time.time() - t0 < 3
    assert not os.path.exists(pid_file)
    try:
        Client("127.0.0.1", port)
        raise AssertionError("still listening after SIGTERM")
    except ConnectionRefusedError:
        pass


def t_client_certificates():
    pki = make_pki(WORK)
    port = free_port()
    d = Daemon(BIN, WORK, "tls", base_conf("tls", f"""local_interfaces = <; 127.0.0.1 ; ::1
daemon_smtp_ports = {port}
tls_advertise_hosts = *
tls_certificate = {pki['server']}
tls_privatekey = {pki['server_key']}
tls_verify_certificates = {pki['ca']}
tls_verify_hosts = 127.0.0.1
tls_try_verify_hosts = <; ::1""").replace(
        "  accept domains = +local_domains",
        "  accept domains = +local_domains\n"
        "         message = verified=$tls_in_certificate_verified dn=$tls_in_peerdn"),
        [("127.0.0.1", port), ("::1", port)])
    lines = ["EHLO c.example", "MAIL FROM:<a@r.example>", "RCPT TO:<u@test.example>", "QUIT"]
    dn = "/O=Facteur Tests/CN=client.test.example"
    try:
        out = s_client("127.0.0.1", port, lines, pki["ca"], pki["client"], pki["client_key"])
        assert f"250 verified=1 dn={dn}" in out, out
        out = s_client("127.0.0.1", port, lines, pki["ca"])
        assert "verified=" not in out and "221" not in out, out  # refused: no certificate
        out = s_client("127.0.0.1", port, lines, pki["ca"], pki["rogue"], pki["rogue_key"])
        assert "verified=" not in out and "221" not in out, out  # refused: not from our CA
        out = s_client("::1", port, lines, pki["ca"])
        assert "250 verified=0 dn=\r\n" in out or "250 verified=0 dn=\n" in out, out
        out = s_client("::1", port, lines, pki["ca"], pki["rogue"], pki["rogue_key"])
        assert "250 verified=0 dn=/CN=rogue.example" in out, out
        out = s_client("::1", port, lines, pki["ca"], pki["client"], pki["client_key"])
        assert f"250 verified=1 dn={dn}" in out, out
        log = open(os.path.join(WORK, "mainlog")).read()
        assert "TLS error on connection from [127.0.0.1] (SSL_accept)" in log
    finally:
        d.stop()


def t_tls_authenticator():
    # driver = tls: a verified client certificate authenticates the session (no AUTH offered)
    pki = make_pki(WORK)
    port = free_port()
    conf = base_conf("tlsauth", f"""local_interfaces = 127.0.0.1
daemon_smtp_ports = {port}
tls_advertise_hosts = *
tls_certificate = {pki['server']}
tls_privatekey = {pki['server_key']}
tls_verify_certificates = {pki['ca']}
tls_try_verify_hosts = *""").replace(
        "  accept domains = +local_domains",
        "  accept authenticated = *\n"
        "         message = by=$sender_host_authenticated id=$authenticated_id\n"
        "  accept domains = +local_domains")
    conf += """begin authenticators
cert:
  driver = tls
  server_param1 = ${if match{$tls_in_peerdn}{CN=([^/,]+)}{$1}fail}
  server_condition = ${if eq{$auth1}{client.test.example}}
  server_set_id = $auth1
plain:
  driver = plaintext
  public_name = PLAIN
  server_condition = no
"""
    d = Daemon(BIN, WORK, "tlsauth", conf, [("127.0.0.1", port)])
    lines = ["EHLO c.example", "MAIL FROM:<a@r.example>", "RCPT TO:<x@remote.example>", "QUIT"]
    try:
        out = s_client("127.0.0.1", port, lines, pki["ca"], pki["client"], pki["client_key"])
        assert "250 by=cert id=client.test.example" in out, out
        assert "AUTH" not in out, out
        out = s_client("127.0.0.1", port, lines, pki["ca"], pki["rogue"], pki["rogue_key"])
        assert "AUTH PLAIN" in out and "550 relay not permitted" in out, out
        out = s_client("127.0.0.1", port, lines, pki["ca"])
        assert "AUTH PLAIN" in out and "550 relay not permitted" in out, out
    finally:
        d.stop()


try:
    for name, fn in [
            ("smtp_accept_reserve keeps the last slots for smtp_reserve_hosts (IPv4 and ::1)",
             t_reserve),
            ("smtp_accept_max_per_host expanded per $sender_host_address", t_max_per_host),
            ("-oX with ports, and with a <; list of IPv6 and IPv4 interfaces", t_ox_forms),
            ("smtp_max_synprot_errors, recipients_max, smtp_accept_max_nonmail over the network",
             t_session_limits),
            ("smtp_receive_timeout: 421 and close", t_receive_timeout),
            ("221 to QUIT at once", t_quit_at_once),
            ("SIGHUP under load: new config for new sessions, nothing dropped", t_sighup_under_load),
            ("SIGTERM: 421 to live sessions, clean exit, pid file removed", t_sigterm),
            ("tls authenticator: a verified client certificate authenticates", t_tls_authenticator),
            ("TLS client certificates: tls_verify_hosts, tls_try_verify_hosts, $tls_in_*",
             t_client_certificates)]:
        check(name, fn)
finally:
    shutil.rmtree(WORK, ignore_errors=True)

sys.exit(summary())
