#!/usr/bin/env python3
"""End-to-end tests of SMTP authentication with `facteur -bdf`, real TLS and real clients
(swaks, Python smtplib), in the setups of the tutorials (../shared/seeds): AUTH only after
STARTTLS (the tutorial's auth_advertise_hosts and server_advertise_condition), its crypteq
password check, relay only after AUTH, a sender different from the login refused by its ACL;
CRAM-MD5; the same through a real Dovecot auth server and a real saslauthd; failures logged
with $authenticated_fail_id and no password; a brute-force client slowed down and dropped.

One daemon listens on four ports, the authenticators choosing by $received_port:
  PORT   STARTTLS, plaintext PLAIN/LOGIN (tutorial) and cram_md5
  SMTPS  implicit TLS (465-style), the same authenticators
  DPORT  STARTTLS, dovecot PLAIN/LOGIN/CRAM-MD5
  SPORT  STARTTLS, plaintext PLAIN checked by ${if saslauthd{...}}

Usage: auth_test.py BINARY
Prints "N passed, N failed" last; exit status 1 when anything failed.
"""
import base64
import hashlib
import os
import shutil
import smtplib
import socket
import ssl
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import auth_servers  # noqa: E402
from harness import Daemon, check, free_port, summary  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
WORK = tempfile.mkdtemp(prefix="facteur-auth-")
os.chmod(WORK, 0o755)
DOMAIN = "my-domain.example"


PORT, SMTPS, DPORT, SPORT = free_port(), free_port(), free_port(), free_port()
CERT, KEY = os.path.join(WORK, "cert.pem"), os.path.join(WORK, "key.pem")
CONF = os.path.join(WORK, "facteur.conf")
MAINLOG = os.path.join(WORK, "mainlog")
# The tutorial's password file: login: md5 hex of the password : comment.
PASSWD = {"jdoe": "password", "msmith": "letmein"}


def write_files(dovecot_socket, sasl_socket):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", KEY,
                    "-out", CERT, "-days", "2", "-subj", "/CN=mail." + DOMAIN],
                   check=True, capture_output=True)
    with open(os.path.join(WORK, "passwd"), "w") as f:
        for user, pw in PASSWD.items():
            f.write(f"{user}: {hashlib.md5(pw.encode()).hexdigest()}:{user}\n")
    with open(os.path.join(WORK, "cram-secrets"), "w") as f:
        f.write("jdoe: password\n")
    values = {"@WORK@": WORK, "@DOMAIN@": DOMAIN, "@PORT@": str(PORT), "@SMTPS@": str(SMTPS),
              "@DPORT@": str(DPORT), "@SPORT@": str(SPORT), "@CERT@": CERT, "@KEY@": KEY,
              "@DOVECOT@": dovecot_socket, "@SASL@": sasl_socket}
    conf = CONFIG
    for k, v in values.items():
        conf = conf.replace(k, v)
    with open(CONF, "w") as f:
        f.write(conf)


# The tutorial's configuration (seed 001), in one file, plus Dovecot and saslauthd instances.
CONFIG = r"""primary_hostname = mail.@DOMAIN@
local_interfaces = 127.0.0.1
daemon_smtp_ports = @PORT@ : @SMTPS@ : @DPORT@ : @SPORT@
tls_on_connect_ports = @SMTPS@
tls_certificate = @CERT@
tls_privatekey = @KEY@
tls_advertise_hosts = *
spool_directory = @WORK@/spool
log_file_path = @WORK@/%slog
domainlist local_domains = @DOMAIN@
hostlist relay_from_hosts = 192.168.0.0/24
auth_advertise_hosts = ${if eq{$tls_cipher}{}{}{127.0.0.0/8}}
acl_smtp_auth = acl_check_auth
acl_smtp_rcpt = acl_check_rcpt

OWN_PORTS = or{{eq{$received_port}{@PORT@}}{eq{$received_port}{@SMTPS@}}}

begin acl

acl_check_auth:
  drop    message = too many failed authentications
          condition = ${if eq{$authentication_failed}{1}}
          ratelimit = 3 / 1h / per_cmd / strict / authfail-$sender_host_address
  warn    condition = ${if eq{$authentication_failed}{1}}
          delay = 1s
  accept

acl_check_rcpt:
  deny    message = Restricted characters in address
          domains = +local_domains
          local_parts = ^[.] : ^.*[@%!/|]
  accept  hosts = +relay_from_hosts
  deny    message = Champ Sender différent du login authentifié
          authenticated = *
          !senders = ${authenticated_id}@@DOMAIN@
  accept  authenticated = *
          control = submission
  require message = relay not permitted
          domains = +local_domains
  accept

begin authenticators

plain_server:
  driver = plaintext
  public_name = PLAIN
  server_condition = "${if crypteq{$auth3}{\\\{md5\\\}${extract{1}{:}{${lookup{$auth2}lsearch{@WORK@/passwd}{$value}{fail}}}}}{1}{0}}"
  server_set_id = $auth2
  server_prompts = :
  server_advertise_condition = ${if and{{!eq{$tls_cipher}{}}{OWN_PORTS}}}

login_server:
  driver = plaintext
  public_name = LOGIN
  server_prompts = Username:: : Password::
  server_condition = ${if crypteq{$auth2}{\{md5\}${extract{1}{:}{${lookup{$auth1}lsearch{@WORK@/passwd}{$value}fail}}}}}
  server_set_id = $auth1
  server_advertise_condition = ${if and{{!eq{$tls_cipher}{}}{OWN_PORTS}}}

cram:
  driver = cram_md5
  public_name = CRAM-MD5
  server_secret = ${lookup{$auth1}lsearch{@WORK@/cram-secrets}{$value}fail}
  server_set_id = $auth1
  server_advertise_condition = ${if OWN_PORTS}

dovecot_plain:
  driver = dovecot
  public_name = PLAIN
  server_socket = @DOVECOT@
  server_set_id = $auth1
  server_advertise_condition = ${if eq{$received_port}{@DPORT@}}

dovecot_login:
  driver = dovecot
  public_name = LOGIN
  server_socket = @DOVECOT@
  server_set_id = $auth1
  server_advertise_condition = ${if eq{$received_port}{@DPORT@}}

dovecot_cram:
  driver = dovecot
  public_name = CRAM-MD5
  server_socket = @DOVECOT@
  server_set_id = $auth1
  server_advertise_condition = ${if eq{$received_port}{@DPORT@}}

sasl_plain:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = ${if saslauthd{{$auth2}{$auth3}{smtp}{@DOMAIN@}{@SASL@}}}
  server_set_id = $auth2
  server_advertise_condition = ${if eq{$received_port}{@SPORT@}}
"""


def tls_ctx():
    c = ssl.create_default_context(cafile=CERT)
    c.check_hostname = False
    return c


def starttls(port=PORT):
    s = smtplib.SMTP("127.0.0.1", port, timeout=30)
    s.ehlo("client.example")
    s.starttls(context=tls_ctx())
    s.ehlo("client.example")
    return s


def plain(user, password):
    return base64.b64encode(f"\0{user}\0{password}".encode()).decode()


def swaks(port, mech, user, password, sender):
    r = subprocess.run(["swaks", "--server", f"127.0.0.1:{port}", "--tls", "--tls-ca-path", CERT,
                        "--auth", mech, "--auth-user", user, "--auth-password", password,
                        "--from", sender, "--to", "friend@remote.example"],
                       capture_output=True, timeout=60)
    return r.stdout.decode(errors="replace")


# ----- the tutorial's plaintext setup -----

def t_no_auth_before_starttls():
    s = smtplib.SMTP("127.0.0.1", PORT, timeout=30)
    s.ehlo("client.example")
    assert not s.has_extn("auth"), s.esmtp_features
    assert s.has_extn("starttls")
    code, msg = s.docmd("AUTH", "PLAIN " + plain("jdoe", "password"))
    assert code == 503, (code, msg)
    s.quit()


def t_auth_offered_after_starttls():
    s = starttls()
    assert s.esmtp_features["auth"].split() == ["PLAIN", "LOGIN", "CRAM-MD5"], s.esmtp_features
    s.quit()


def t_relay_denied_without_auth():
    s = starttls()
    assert s.mail("jdoe@" + DOMAIN)[0] == 250
    code, msg = s.rcpt("friend@remote.example")
    assert code == 550 and b"relay not permitted" in msg, (code, msg)
    assert s.rcpt("jdoe@" + DOMAIN)[0] == 250  # local delivery needs no AUTH
    s.quit()


def t_swaks(mech):
    out = swaks(PORT, mech, "jdoe", "password", "jdoe@" + DOMAIN)
    assert "235 Authentication succeeded" in out and "250 OK id=" in out, out[-800:]


def t_smtplib_login_starttls():
    s = starttls()
    assert s.login("jdoe", "password")[0] == 235  # smtplib prefers CRAM-MD5
    s.user, s.password = "msmith", "letmein"
    s2 = starttls()
    s2.user, s2.password = "msmith", "letmein"
    assert s2.auth("PLAIN", s2.auth_plain)[0] == 235
    s2.sendmail("msmith@" + DOMAIN, ["friend@remote.example"], "Subject: t\r\n\r\nx\r\n")
    s2.quit()
    s.quit()


def t_smtplib_login_implicit_tls():
    s = smtplib.SMTP_SSL("127.0.0.1", SMTPS, timeout=30, context=tls_ctx())
    s.ehlo("client.example")
    s.user, s.password = "jdoe", "password"
    assert s.auth("LOGIN", s.auth_login)[0] == 235
    assert s.mail("jdoe@" + DOMAIN)[0] == 250
    assert s.rcpt("friend@remote.example")[0] == 250
    s.quit()


def t_sender_mismatch_refused():
    s = starttls()
    s.login("jdoe", "password")
    assert s.mail("msmith@" + DOMAIN)[0] == 250
    code, msg = s.rcpt("friend@remote.example")
    assert code == 550 and "Champ Sender différent" in msg.decode(), (code, msg)
    s.quit()


def t_wrong_password_logged():
    s = starttls()
    code, _ = s.docmd("AUTH", "PLAIN " + plain("jdoe", "Hunter2-secret"))
    assert code == 535, code
    code, msg = s.docmd("AUTH", "PLAIN " + plain("nobody", "x"))
    assert code == 535, code
    s.quit()
    time.sleep(0.2)
    log = open(MAINLOG).read()
    assert ("plain_server authenticator failed for (client.example) [127.0.0.1]: 535 Incorrect "
            "authentication data (set_id=jdoe)") in log, log[-1000:]
    assert "Hunter2-secret" not in log and "Hunter2-secret" not in open(
        os.path.join(WORK, "rejectlog")).read()


def t_arrival_logged_with_authenticator():
    log = open(MAINLOG).read()
    assert " A=plain_server:msmith " in log or " A=plain_server:jdoe " in log, log[-1500:]


# ----- Dovecot -----

def t_dovecot_swaks(mech):
    need_dovecot()
    out = swaks(DPORT, mech, "carol", "carolpw", "carol@" + DOMAIN)
    assert "235 Authentication succeeded" in out and "250 OK id=" in out, out[-800:]


def t_dovecot_smtplib():
    need_dovecot()
    s = starttls(DPORT)
    assert s.esmtp_features["auth"].split() == ["PLAIN", "LOGIN", "CRAM-MD5"]
    assert s.login("carol", "carolpw")[0] == 235
    s.quit()


def t_dovecot_refusals():
    need_dovecot()
    s = starttls(DPORT)
    code, _ = s.docmd("AUTH", "PLAIN " + plain("carol", "wrong"))
    assert code == 535, code
    code, _ = s.docmd("AUTH", "PLAIN " + plain("dave", "davepw"))  # nologin account
    assert code == 535, code
    assert s.mail("dave@" + DOMAIN)[0] == 250
    assert s.rcpt("friend@remote.example")[0] == 550
    s.quit()


# ----- saslauthd -----

def t_saslauthd(sasl):
    if sasl is None:
        raise auth_servers.Unavailable(SASL_WHY)
    s = starttls(SPORT)
    code, _ = s.docmd("AUTH", "PLAIN " + plain("sam", "wrong"))
    assert code == 535, code
    s.quit()
    s = starttls(SPORT)
    assert s.docmd("AUTH", "PLAIN " + plain("sam", "sasl-pw"))[0] == 235
    assert s.mail("sam@" + DOMAIN)[0] == 250
    assert s.rcpt("friend@remote.example")[0] == 250
    s.quit()


# ----- brute force -----

def t_brute_force_slowed_then_dropped():
    s = starttls()
    times, codes = [], []
    for i in range(8):
        t0 = time.time()
        try:
            code, _ = s.docmd("AUTH", "PLAIN " + plain("jdoe", f"guess{i}"))
        except smtplib.SMTPServerDisconnected:
            codes.append("closed")
            break
        codes.append(code)
        times.append(time.time() - t0)
        if code == 503:
            break
    assert codes[0] == 535 and 503 in codes, codes
    assert times[0] < 1 and min(times[1:-1] or [1]) >= 1, times  # delayed after a failure
    try:
        s.noop()
        raise AssertionError("the connection was not dropped")
    except smtplib.SMTPServerDisconnected:
        pass


SASL_WHY = ""
DOVECOT_WHY = ""


def need_dovecot():
    if DOVECOT_WHY:
        raise auth_servers.Unavailable(DOVECOT_WHY)


def main():
    global SASL_WHY
    global DOVECOT_WHY
    dovecot = None
    try:
        dovecot = auth_servers.Dovecot(os.path.join(WORK, "dovecot"), [
            "carol:{PLAIN}carolpw::::::",
            "dave:{PLAIN}davepw::::::nologin reason=Account_suspended",
        ])
    except auth_servers.Unavailable as e:
        DOVECOT_WHY = str(e)
    sasl = None
    try:
        sasl = auth_servers.Saslauthd(os.path.join(WORK, "sasl"), [("sam", DOMAIN, "sasl-pw")])
    except auth_servers.Unavailable as e:
        SASL_WHY = str(e)
    write_files(dovecot.socket if dovecot else os.path.join(WORK, "no-dovecot"),
                sasl.socket if sasl else os.path.join(WORK, "no-sasl"))
    with open(CONF) as f:
        daemon = Daemon(BIN, WORK, "facteur", f.read(), [("127.0.0.1", PORT)])
    try:
        check("no AUTH before STARTTLS (T-TLS-5)", t_no_auth_before_starttls)
        check("AUTH offered after STARTTLS", t_auth_offered_after_starttls)
        check("relay denied without AUTH", t_relay_denied_without_auth)
        for mech in ("PLAIN", "LOGIN", "CRAM-MD5"):
            check(f"swaks --auth {mech} --tls", t_swaks, mech)
        check("smtplib login() over STARTTLS", t_smtplib_login_starttls)
        check("smtplib over implicit TLS", t_smtplib_login_implicit_tls)
        check("sender other than the login refused", t_sender_mismatch_refused)
        check("failure logged with set_id, password hidden", t_wrong_password_logged)
        check("arrival logged with A=", t_arrival_logged_with_authenticator)
        for mech in ("PLAIN", "LOGIN", "CRAM-MD5"):
            check(f"dovecot: swaks --auth {mech} --tls", t_dovecot_swaks, mech)
        check("dovecot: smtplib login()", t_dovecot_smtplib)
        check("dovecot: wrong password and nologin refused (T-AUTH-4)", t_dovecot_refusals)
        check("saslauthd condition", t_saslauthd, sasl)
        check("brute force slowed down then dropped (T-AUTH-5)",
              t_brute_force_slowed_then_dropped)
    finally:
        daemon.stop()
        if dovecot:
            dovecot.stop()
        if sasl:
            sasl.stop()
    status = summary()
    if status == 0:
        shutil.rmtree(WORK, ignore_errors=True)
    else:
        print("work folder kept: " + WORK)
    return status


if __name__ == "__main__":
    sys.exit(main())
