#!/usr/bin/env python3
"""The documented examples of docs/examples/<name>/ (issue 6, "Done means"), end to end: each
overlay is copied over the shipped conf.d, assembled with facteur-update-conf, started as a
daemon on free loopback ports and driven by real clients (swaks, smtplib, openssl s_client)
over real TLS with a certificate made here (and, first, each overlay untouched passes
`facteur-update-conf --check`):

  postfix-dovecot-tls-only       AUTH through a real Dovecot, only after STARTTLS; relay
                                 denied without AUTH, allowed after
  exim4-debian-auth              AUTH offered to the "LAN" only and over TLS only, PLAIN and
                                 LOGIN against MD5 digests (crypteq), CRAM-MD5 through a real
                                 Dovecot (swaks), sender = login
  postfix-saslauthd-smtps        SMTPS and submission ports, AUTH through a real saslauthd
                                 (the plaintext password file when saslauthd cannot run),
                                 relay to a smarthost (a second facteur wanting TLS and AUTH)
                                 where the messages arrive
  postfix-dovecot-restrictions   the restrictions (clients talking first, invalid HELO,
                                 non-FQDN and unknown sender domains against the test DNS,
                                 unlisted recipients, a DNS block list) and messages
                                 delivered to the Maildir, the login of an authenticated
                                 sender in their Received: header

What the test changes in an example (tests.override): the places (CONFDIR, spool, log, the
certificate, Dovecot's and saslauthd's sockets), the ports and interfaces, and the relay
networks (the clients connect from loopback, which the examples trust).

Usage: examples_test.py FACTEUR FACTEUR_UPDATE_CONF SOURCE_DIR
Prints "N passed, N failed" last; exit status 1 when anything failed.
"""
import glob
import hashlib
import os
import pwd
import re
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
import auth_servers  # noqa: E402
from dnsserver import DnsServer  # noqa: E402
from harness import (Client, Daemon, Skip, check, free_port, make_cert,  # noqa: E402
                     s_client, summary)

WORK = tempfile.mkdtemp(prefix="facteur-examples-")
os.chmod(WORK, 0o755)
CERT, KEY = make_cert(WORK, "mail.test.example")
LOCAL = "<; 127.0.0.1 ; ::1"
OUTSIDE_NETS = "192.0.2.0/24"  # the example's "local networks", which the test is not in


def tls_context():
    ctx = ssl.create_default_context(cafile=CERT)
    ctx.check_hostname = False
    return ctx


def overlay(tree, example):
    """tree/conf.d: the shipped conf.d with the example's copied over it."""
    shutil.copytree(os.path.join(SRC, "conf.d"), os.path.join(tree, "conf.d"))
    shutil.copytree(os.path.join(example, "conf.d"), os.path.join(tree, "conf.d"),
                    dirs_exist_ok=True)


def assemble(name, macros, settings=None, files=None):
    """The shipped conf.d with the example's overlay and the test's macros (each replacing
    the example's line of that name, None removing it); returns (tree, configuration)."""
    tree = os.path.join(WORK, name)
    example = os.path.join(SRC, "docs", "examples", name)
    overlay(tree, example)
    with open(os.path.join(example, "update-facteur.conf.conf")) as f:
        text = f.read()
    for key, value in (settings or {}).items():
        text = re.sub(rf"(?m)^{key}=.*$", f"{key}='{value}'", text)
    with open(os.path.join(tree, "update-facteur.conf.conf"), "w") as f:
        f.write(text)
    macros = {"CONFDIR": tree, "MAIN_TLS_CERTIFICATE": CERT, "MAIN_TLS_PRIVATEKEY": KEY,
              "MAIN_SPOOL_DIRECTORY": tree + "/spool", "MAIN_LOG_FILE_PATH": tree + "/%slog",
              "MAIN_LOCAL_INTERFACES": LOCAL, "SYSTEM_ALIASES_SOURCE": tree + "/aliases",
              **macros}
    local = os.path.join(tree, "conf.d", "main", "000_localmacros")
    with open(local) as f:
        lines = [line for line in f.read().splitlines()
                 if line.split("=")[0].strip() not in macros]
    head = [f"{k} = {v}" for k, v in macros.items() if v is not None]
    with open(local, "w") as f:
        f.write("\n".join(["# the test's settings (examples_test.py)"] + head + lines) + "\n")
    for fname, content in (files or {}).items():
        with open(os.path.join(tree, fname), "w") as f:
            f.write(content)
    conf = os.path.join(tree, "facteur.conf")
    for extra in (["--check"], []):
        r = subprocess.run([UPDATE, "--confdir", tree, "--output", conf, *extra],
                           capture_output=True, text=True)
        if r.returncode != 0 or r.stderr:
            raise RuntimeError(f"assembling {name}: {r.stderr}")
    return tree, conf


def as_documented():
    """Each overlay, untouched, assembles and passes --check."""
    for name in sorted(os.listdir(os.path.join(SRC, "docs", "examples"))):
        example = os.path.join(SRC, "docs", "examples", name)
        if not os.path.isdir(example):
            continue
        tree = os.path.join(WORK, "as-is", name)
        overlay(tree, example)
        shutil.copy(os.path.join(example, "update-facteur.conf.conf"), tree)
        r = subprocess.run([UPDATE, "--confdir", tree, "--output", tree + "/facteur.conf",
                            "--check"], capture_output=True, text=True)
        assert r.returncode == 0 and not r.stderr, f"{name}: {r.stderr}"


def start(name, conf, ports):
    with open(conf) as f:
        text = f.read()
    return Daemon(FACTEUR, WORK, name, text, [("127.0.0.1", p) for p in ports])


def ehlo_keywords(client):
    return [line[4:].split()[0] for line in client.start("client.test.example")]


def swaks(*args):
    r = subprocess.run(["swaks", "--server", "127.0.0.1", "--helo", "client.test.example",
                        "--timeout", "15", *args], capture_output=True, text=True, timeout=60)
    return r.returncode, r.stdout + r.stderr


def wait_for(pattern, path_glob, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        for path in glob.glob(path_glob):
            with open(path, errors="replace") as f:
                if re.search(pattern, f.read()):
                    return path
        time.sleep(0.1)
    raise AssertionError(f"{pattern!r} not found in {path_glob}")


def expect(got, want, what):
    assert got == want, f"{what}: got {got}, want {want}"


# --- postfix-dovecot-tls-only (seed 000) -----------------------------------------------

def tls_only(socket):
    port = free_port()
    _, conf = assemble("postfix-dovecot-tls-only", {
        "MAIN_DAEMON_SMTP_PORTS": port, "MAIN_RELAY_NETS": OUTSIDE_NETS,
        "AUTH_SERVER_DOVECOT_SOCKET": socket})
    daemon = start("tls-only", conf, [port])
    try:
        def no_auth_in_clear():
            c = Client("127.0.0.1", port)
            keywords = ehlo_keywords(c)
            assert "STARTTLS" in keywords and "AUTH" not in keywords, keywords
            expect(c.code("AUTH PLAIN " + "AGpvaG4AeA=="), 503, "AUTH in clear")
            c.close()

        def relay_denied_without_auth():
            with smtplib.SMTP("127.0.0.1", port, timeout=15) as s:
                s.starttls(context=tls_context())
                s.ehlo("client.test.example")
                assert s.has_extn("auth"), "no AUTH after STARTTLS"
                s.mail("john@example.org")
                code, text = s.rcpt("lisa@example.com")
                expect(code, 550, f"relay without AUTH ({text})")
                expect(s.rcpt("postmaster@example.org")[0], 250, "local postmaster")

        def relay_after_dovecot_auth():
            rc, out = swaks("--port", str(port), "--tls", "--auth", "PLAIN", "--auth-user",
                            "john@example.org", "--auth-password", "summersun", "--from",
                            "john@example.org", "--to", "lisa@example.com",
                            "--quit-after", "RCPT")
            assert rc == 0 and "235" in out, out
            rc, out = swaks("--port", str(port), "--tls", "--auth", "LOGIN", "--auth-user",
                            "john@example.org", "--auth-password", "wrong",
                            "--quit-after", "AUTH")
            assert "535" in out, out

        check("tls-only: STARTTLS offered, no AUTH in clear (503)", no_auth_in_clear)
        check("tls-only: relay denied without AUTH, local mail accepted",
              relay_denied_without_auth)
        check("tls-only: AUTH against Dovecot after STARTTLS (swaks), then relay",
              relay_after_dovecot_auth)
    finally:
        daemon.stop()


# --- exim4-debian-auth (seed 001) ------------------------------------------------------

def login_plain(s, user, password):
    """AUTH PLAIN (smtplib's login() would choose CRAM-MD5 when it is offered)."""
    s.user, s.password = user, password
    return s.auth("PLAIN", s.auth_plain)


def exim4_lan_auth(socket):
    """socket: the Dovecot auth socket for CRAM-MD5 (None: Dovecot cannot run here)."""
    port = free_port()
    md5 = hashlib.md5(b"password").hexdigest()
    _, conf = assemble("exim4-debian-auth", {
        "MAIN_DAEMON_SMTP_PORTS": port, "MAIN_RELAY_NETS": OUTSIDE_NETS,
        "MAIN_AUTH_ADVERTISE_HOSTS": "127.0.0.1",  # the "LAN"; ::1 is outside it
        "AUTH_SERVER_CRAM_MD5_DOVECOT": socket},
        files={"passwd": f"jdoe: {md5}:Jean Doe\n"})
    daemon = start("exim4", conf, [port])
    try:
        def auth_lan_and_tls_only():
            c = Client("127.0.0.1", port)
            assert "AUTH" not in ehlo_keywords(c), "AUTH offered in clear"
            c.close()
            out = s_client("::1", port, ["EHLO client.test.example", "QUIT"], CERT)
            assert "221" in out and "AUTH" not in out, out
            out = s_client("127.0.0.1", port, ["EHLO client.test.example", "QUIT"], CERT)
            mechanisms = "PLAIN LOGIN CRAM-MD5" if socket else "PLAIN LOGIN"
            assert re.search(rf"250[- ]AUTH {mechanisms}\r?\n", out), out

        def md5_passwords_and_sender_is_login():
            with smtplib.SMTP("127.0.0.1", port, timeout=15) as s:
                s.starttls(context=tls_context())
                s.ehlo("client.test.example")
                try:
                    login_plain(s, "jdoe", "wrong")
                    raise AssertionError("a wrong password was accepted")
                except smtplib.SMTPAuthenticationError as e:
                    expect(e.smtp_code, 535, "wrong password")
                expect(login_plain(s, "jdoe", "password")[0], 235, "PLAIN")
                expect(s.mail("boss@my-domain.example")[0], 550, "someone else's sender")
                expect(s.mail("jdoe@elsewhere.example")[0], 550, "login at another domain")
                expect(s.mail("jdoe@my-domain.example")[0], 250, "the login's address")
                expect(s.rcpt("x@elsewhere.example")[0], 250, "relay after AUTH")

        def cram_md5_through_dovecot():
            if not socket:
                raise Skip("Dovecot cannot run here")
            args = ["--port", str(port), "--tls", "--auth", "CRAM-MD5", "--auth-user", "jdoe",
                    "--from", "jdoe@my-domain.example", "--to", "x@elsewhere.example"]
            rc, out = swaks(*args, "--auth-password", "wrong", "--quit-after", "AUTH")
            assert rc != 0 and "535" in out, out
            rc, out = swaks(*args, "--auth-password", "password", "--quit-after", "RCPT")
            assert rc == 0 and "235" in out, out
            rc, out = swaks(*args[:-4], "--auth-password", "password", "--from",
                            "boss@my-domain.example", "--to", "x@elsewhere.example",
                            "--quit-after", "RCPT")
            assert rc != 0 and re.search(r"550 sender <boss@my-domain.example> is not yours "
                                         r"\(jdoe\)", out), out

        def relay_denied_without_auth():
            with smtplib.SMTP("127.0.0.1", port, timeout=15) as s:
                s.starttls(context=tls_context())
                s.ehlo("client.test.example")
                s.mail("jdoe@my-domain.example")
                expect(s.rcpt("x@elsewhere.example")[0], 550, "relay without AUTH")

        check("exim4: AUTH only over TLS and only from the LAN (s_client over IPv4/IPv6)",
              auth_lan_and_tls_only)
        check("exim4: PLAIN against MD5 digests (crypteq), sender must be the login",
              md5_passwords_and_sender_is_login)
        check("exim4: CRAM-MD5 through Dovecot (swaks), then relay as the login",
              cram_md5_through_dovecot)
        check("exim4: relay denied without AUTH", relay_denied_without_auth)
    finally:
        daemon.stop()


# --- postfix-saslauthd-smtps (seed 002) ------------------------------------------------

SINK_CONF = r"""primary_hostname = smarthost.test.example
local_interfaces = 127.0.0.1
daemon_smtp_ports = @PORT@
spool_directory = @DIR@/spool
log_file_path = @DIR@/%slog
queue_only
tls_certificate = @CERT@
tls_privatekey = @KEY@
tls_advertise_hosts = *
auth_advertise_hosts = ${if eq{$tls_in_cipher}{}{}{*}}
acl_smtp_rcpt = acl_rcpt
begin acl
acl_rcpt:
  accept authenticated = *
  deny   message = authentication required
begin authenticators
plain_server:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = ${if and{{eq{$auth2}{relayuser}}{eq{$auth3}{relaysecret}}}}
  server_set_id = $auth2
"""


def sink_conf(port):
    """The smarthost: a second facteur that wants TLS and AUTH and keeps what it gets."""
    values = {"@PORT@": str(port), "@DIR@": os.path.join(WORK, "smarthost"), "@CERT@": CERT,
              "@KEY@": KEY}
    os.makedirs(values["@DIR@"], exist_ok=True)
    return re.sub("|".join(values), lambda m: values[m.group(0)], SINK_CONF)


def smtps_smarthost():
    smtps, submission, sink_port = free_port(), free_port(), free_port()
    macros = {"MAIN_DAEMON_SMTP_PORTS": f"{smtps} : {submission}",
              "MAIN_TLS_ON_CONNECT_PORTS": smtps,
              "ROUTER_SMARTHOST_SELF": "send",  # the smarthost is on this host
              "REMOTE_SMTP_SMARTHOST_HOSTS_REQUIRE_AUTH": "*"}
    password = "s3cret"
    sasl = None
    try:
        sasl = auth_servers.Saslauthd(os.path.join(WORK, "saslauthd"),
                                      [("jdoe", "ubuntu-fr.org", password)])
        macros["AUTH_SERVER_SASLAUTHD_SOCKET"] = sasl.socket
        store = "saslauthd"
    except auth_servers.Unavailable as e:
        print(f"note: {e}; the plaintext password file instead", flush=True)
        hashed = subprocess.run(["openssl", "passwd", "-6", password], capture_output=True,
                                text=True, check=True).stdout.strip()
        macros["AUTH_SERVER_SASLAUTHD_REALM"] = None
        macros["AUTH_SERVER_PLAINTEXT_PASSWD"] = "CONFDIR/passwd"
        store = "passwd file"
    _, conf = assemble("postfix-saslauthd-smtps", macros,
                       settings={"dc_smarthost": f"127.0.0.1::{sink_port}"},
                       files={"passwd.client": "127.0.0.1:relayuser:relaysecret\n",
                              **({} if sasl else {"passwd": f"jdoe:{hashed}\n"})})
    sink = Daemon(FACTEUR, WORK, "smarthost", sink_conf(sink_port), [("127.0.0.1", sink_port)])
    daemon = start("smtps", conf, [smtps, submission])
    sink_spool = os.path.join(WORK, "smarthost", "spool", "input", "*-H")

    def arrived(message_id):
        """The message is in the smarthost's queue, sent with STARTTLS and AUTH."""
        path = wait_for(re.escape(f"Message-ID: <{message_id}>"), sink_spool)
        with open(path, errors="replace") as f:
            header = f.read()
        # esmtpsa: ESMTP with TLS and AUTH, as relayuser (passwd.client)
        assert "auth_id relayuser" in header and "received_protocol esmtpsa" in header, header

    try:
        def submission_needs_auth():
            c = Client("127.0.0.1", submission)
            keywords = ehlo_keywords(c)
            assert "STARTTLS" in keywords and "AUTH" not in keywords, keywords
            expect(c.code("MAIL FROM:<jdoe@ubuntu-fr.org>"), 250, "MAIL")
            expect(c.code("RCPT TO:<postmaster@ubuntu-fr.org>"), 530, "RCPT without AUTH")
            c.close()

        def submission_relays_to_smarthost():
            with smtplib.SMTP("127.0.0.1", submission, timeout=15) as s:
                s.starttls(context=tls_context())
                s.login("jdoe", password)
                s.sendmail("jdoe@ubuntu-fr.org", ["friend@remote.example"],
                           "Subject: via 587\r\nMessage-ID: <sub587@ubuntu-fr.org>\r\n\r\nhi\r\n")
            arrived("sub587@ubuntu-fr.org")

        def smtps_relays_to_smarthost():
            rc, out = swaks("--port", str(smtps), "--tlsc", "--auth", "LOGIN", "--auth-user",
                            "jdoe", "--auth-password", password, "--from",
                            "jdoe@ubuntu-fr.org", "--to", "friend@remote.example",
                            "--header", "Message-ID: <smtps465@ubuntu-fr.org>")
            assert rc == 0, out
            arrived("smtps465@ubuntu-fr.org")

        def smtps_refuses_wrong_password():
            with smtplib.SMTP_SSL("127.0.0.1", smtps, timeout=15, context=tls_context()) as s:
                try:
                    s.login("jdoe", "wrong")
                    raise AssertionError("a wrong password was accepted")
                except smtplib.SMTPAuthenticationError as e:
                    expect(e.smtp_code, 535, "wrong password")

        check("smtps: submission port: no AUTH in clear, 530 before AUTH",
              submission_needs_auth)
        check(f"smtps: 587 STARTTLS + AUTH ({store}) relayed to the smarthost with AUTH",
              submission_relays_to_smarthost)
        check(f"smtps: 465 implicit TLS + AUTH LOGIN ({store}, swaks) relayed to the smarthost",
              smtps_relays_to_smarthost)
        check("smtps: 465 refuses a wrong password (535)", smtps_refuses_wrong_password)
    finally:
        daemon.stop()
        sink.stop()
        if sasl:
            sasl.stop()


# --- postfix-dovecot-restrictions (seed 004) -------------------------------------------

def mailbox_user():
    """A system user to deliver to (check_local_user; never root)."""
    if os.geteuid() == 0:
        return "nobody"
    return pwd.getpwuid(os.getuid()).pw_name


def dnslookup_built(conf):
    """False while the dnslookup router driver is not built in (remote domains then cannot
    be routed, so the checks that verify them are left out)."""
    r = subprocess.run([FACTEUR, "-C", conf, "-bt", "a@example.test"], capture_output=True,
                       text=True, timeout=30)
    return "not available in this build" not in r.stdout + r.stderr


def restrictions(socket):
    port = free_port()
    mail = os.path.join(WORK, "mail")
    os.makedirs(mail)
    os.chmod(mail, 0o1777)
    user = mailbox_user()
    name = "postfix-dovecot-restrictions"
    with DnsServer() as dns:
        macros = {"MAIN_DAEMON_SMTP_PORTS": port, "MAIN_RELAY_NETS": OUTSIDE_NETS,
                  "AUTH_SERVER_DOVECOT_SOCKET": socket, "MAIN_DNS_SERVERS": dns.servers,
                  "CHECK_RCPT_IP_DNSBLS": "bl.example.test",  # lists 127.0.0.2
                  "MAILDIR_HOME_MAILDIR_LOCATION": mail + "/$local_part/Maildir"}
        tree, conf = assemble(name, macros)
        routed = dnslookup_built(conf)
        if not routed:
            shutil.rmtree(tree)
            macros.update(CHECK_MAIL_UNKNOWN_SENDER_DOMAIN=None, CHECK_RCPT_UNKNOWN_DOMAIN=None)
            tree, conf = assemble(name, macros)
        sender = "a@example.test" if routed else f"{user}@example.org"
        daemon = start("restrictions", conf, [port])
        try:
            def talking_first():
                c = Client("127.0.0.1", port)
                c.send("EHLO early.test.example\r\n")
                code, text = c.reply()
                assert code == 554 or (code == 220 and c.reply()[0] == 554), (code, text)
                c.close()

            def policy_then_maildir():
                c = Client("127.0.0.1", port)
                expect(c.reply()[0], 220, "banner")
                expect(c.code("HELO nodot"), 550, "invalid HELO")
                expect(c.code("HELO 192.0.2.1"), 550, "bare address as HELO")
                expect(c.code("EHLO client.example.test"), 250, "HELO")
                expect(c.code("MAIL FROM:<a@nodot>"), 550, "non-FQDN sender")
                expect(c.code(f"MAIL FROM:<{sender}>"), 250, "sender")
                expect(c.code("RCPT TO:<x@nodot>"), 550, "non-FQDN recipient")
                expect(c.code("RCPT TO:<x@example.test>"), 550, "relay")
                expect(c.code("RCPT TO:<nosuchuser@example.org>"), 550, "unlisted recipient")
                expect(c.code(f"RCPT TO:<{user}@example.org>"), 250, "a local user")
                expect(c.code("DATA"), 354, "DATA")
                expect(c.code("Subject: restrictions\r\nMessage-ID: <r004@example.test>"
                              "\r\n\r\nhello\r\n."), 250, "message")
                c.code("QUIT")
                c.close()
                path = wait_for(r"Message-ID: <r004@example\.test>",
                                os.path.join(mail, user, "Maildir", "new", "*"))
                with open(path, errors="replace") as f:
                    text = f.read()
                assert "Authenticated sender" not in text, text

            def unknown_domains():
                if not routed:
                    raise Skip("the dnslookup router driver is not built in yet")
                with smtplib.SMTP("127.0.0.1", port, timeout=15) as s:
                    s.ehlo("client.example.test")
                    expect(s.mail("a@nosuch.example.test")[0], 550, "unknown sender domain")
                    expect(s.mail(sender)[0], 250, "known sender domain")
                    expect(s.rcpt("x@nosuch.example.test")[0], 550, "unknown recipient domain")

            def dnsbl():
                with smtplib.SMTP("127.0.0.1", port, timeout=15,
                                  source_address=("127.0.0.2", 0)) as s:
                    s.ehlo("client.example.test")
                    expect(s.mail(sender)[0], 250, "MAIL")
                    code, text = s.rcpt(f"{user}@example.org")
                    assert code == 550 and b"bl.example.test" in text, (code, text)

            def dovecot_auth_relays():
                with smtplib.SMTP("127.0.0.1", port, timeout=15) as s:
                    s.starttls(context=tls_context())
                    s.ehlo("client.example.test")
                    s.login("john@example.org", "summersun")
                    expect(s.mail(sender)[0], 250, "MAIL")
                    expect(s.rcpt("x@example.test")[0], 250, "relay after AUTH")
                    expect(s.rcpt(f"{user}@example.org")[0], 250, "a local user")
                    expect(s.data("Subject: authenticated\r\nMessage-ID: <a004@example.test>"
                                  "\r\n\r\nhello\r\n")[0], 250, "message")

            def authenticated_header():
                path = wait_for(r"Message-ID: <a004@example\.test>",
                                os.path.join(mail, user, "Maildir", "new", "*"))
                with open(path, errors="replace") as f:
                    header = f.read().split("\n\n", 1)[0]
                received = re.findall(r"(?m)^Received:.*(?:\n[ \t].*)*", header)
                assert received and re.search(r"\n\t\(Authenticated sender: "
                                              r"john@example\.org\)\n\tby ", received[0]), header

            check("restrictions: a client talking before the banner is refused",
                  talking_first)
            check("restrictions: HELO, non-FQDN sender and recipient, relay, unlisted "
                  "recipient, then the message in the Maildir", policy_then_maildir)
            check("restrictions: unknown sender and recipient domains (test DNS)",
                  unknown_domains)
            check("restrictions: a client listed at the DNS block list", dnsbl)
            check("restrictions: relay after AUTH through Dovecot", dovecot_auth_relays)
            check("restrictions: the login in the Received: header "
                  "(smtpd_sasl_authenticated_header), none without AUTH", authenticated_header)
        finally:
            daemon.stop()


def reraise(error):
    raise error


def skip(reason):
    raise Skip(reason)


def main():
    dovecot = None
    check("every example assembles as documented (--check)", as_documented)
    try:
        try:
            dovecot = auth_servers.Dovecot(os.path.join(WORK, "dovecot"),
                                           ["john@example.org:{PLAIN}summersun::::::",
                                            "jdoe:{PLAIN}password::::::"])
        except auth_servers.Unavailable as e:
            check("tls-only and restrictions (they need Dovecot)", skip, str(e))
        if dovecot:
            tls_only(dovecot.socket)
        exim4_lan_auth(dovecot.socket if dovecot else None)
        smtps_smarthost()
        if dovecot:
            restrictions(dovecot.socket)
    except Exception as e:  # noqa: BLE001 - a set-up failure is a failed test
        check("set-up", reraise, e)
    finally:
        if dovecot:
            dovecot.stop()
        if os.environ.get("FACTEUR_KEEP_WORK"):
            print("kept", WORK)
        else:
            shutil.rmtree(WORK, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
