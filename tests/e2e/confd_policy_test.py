#!/usr/bin/env python3
"""The shipped conf.d through facteur-update-conf, then what each part promises:

* `-bh` sessions: the relay policy and each ACL macro switch give their reply codes; AUTH is
  not offered without TLS (-bh has none), and with AUTH_SERVER_ALLOW_NOTLS_PASSWORDS the
  plaintext password file (crypt and {md5} hashes), relay after AUTH and
  CHECK_MAIL_SENDER_IS_LOGIN work;
* `-bt` routing for each configuration type: aliases, virtual users, local users and the
  transport dc_localdelivery names, the smarthost with its port, "local" refusing remote
  domains, and dnslookup against the test DNS server (tests/lib/dnsserver.py) once the
  dnslookup driver is built in (reported as skipped before).

Usage: confd_policy_test.py FACTEUR FACTEUR_UPDATE_CONF SOURCE_DIR
Exit status 0 when all passed, 1 otherwise.
"""
import base64
import os
import shutil
import subprocess
import sys
import tempfile

FACTEUR, UPDATE, SRC = (os.path.abspath(a) for a in sys.argv[1:4])
sys.path.insert(0, os.path.join(SRC, "tests", "lib"))
from dnsserver import DnsServer  # noqa: E402

SETTINGS = """dc_eximconfig_configtype='{type}'
dc_other_hostnames='example.org'
dc_relay_nets='192.0.2.0/24'
dc_relay_domains='backup.example'
dc_smarthost='127.0.0.2::2526'
dc_localdelivery='{delivery}'
"""

OUTSIDE, LAN = "198.51.100.7", "192.0.2.5"


def plain(user, password):
    return base64.b64encode(f"\0{user}\0{password}".encode()).decode()


AUTH = ["AUTH_SERVER_ALLOW_NOTLS_PASSWORDS=yes", "AUTH_SERVER_PLAINTEXT_PASSWD=@WORK@/passwd"]
MD5 = ["AUTH_SERVER_ALLOW_NOTLS_PASSWORDS=yes", "AUTH_SERVER_PLAINTEXT_PASSWD=@WORK@/passwd.md5",
       "AUTH_SERVER_PLAINTEXT_SCHEME=\\{md5\\}"]

# (name, client address, -D macros, SMTP lines, expected reply codes after the banner)
CASES = [
    ("relay refused from outside", OUTSIDE, ["CHECK_RCPT_NO_VERIFY=1"],
     ["EHLO c.example.net", "MAIL FROM:<a@c.example.net>", "RCPT TO:<x@elsewhere.example>",
      "RCPT TO:<bob@example.org>", "RCPT TO:<x@backup.example>", "QUIT"],
     ["250", "250", "550", "250", "250", "221"]),
    ("postmaster always, others verified", OUTSIDE, ["VIRTUAL_USERS_FILE=@WORK@/passwd"],
     ["HELO c.example.net", "MAIL FROM:<>", "RCPT TO:<postmaster@example.org>",
      "RCPT TO:<jdoe@example.org>", "RCPT TO:<nosuchuser@example.org>", "QUIT"],
     ["250", "250", "250", "250", "550", "221"]),
    ("relay from the LAN", LAN, [],
     ["HELO lan", "MAIL FROM:<a@lan>", "RCPT TO:<x@elsewhere.example>", "QUIT"],
     ["250", "250", "250", "221"]),
    # T-EXP-3: a local part that would climb out of /var/mail is refused at RCPT.
    ("restricted characters", OUTSIDE, ["CHECK_RCPT_NO_VERIFY=1"],
     ["HELO c.example.net", "MAIL FROM:<a@c.example.net>", "RCPT TO:<a/b@example.org>",
      "RCPT TO:<.a@example.org>", "RCPT TO:<../../etc/passwd@example.org>", "QUIT"],
     ["250", "250", "550", "550", "550", "221"]),
    ("invalid HELO", OUTSIDE, ["CHECK_HELO_INVALID=yes"],
     ["HELO nodot", "HELO 192.0.2.1", "HELO [198.51.100.7]", "HELO mx.example.net", "QUIT"],
     ["550", "550", "250", "250", "221"]),
    ("invalid HELO allowed from the LAN", LAN, ["CHECK_HELO_INVALID=yes"],
     ["HELO nodot", "QUIT"], ["250", "221"]),
    # hosts_require_helo (default *) refuses it before the ACL; the switch covers the case
    # where an administrator empties that list.
    ("MAIL before HELO", OUTSIDE, ["CHECK_MAIL_HELO_ISSUED=yes"],
     ["MAIL FROM:<a@c.example.net>", "QUIT"], ["503", "221"]),
    ("non-FQDN sender and recipient", OUTSIDE,
     ["CHECK_MAIL_NON_FQDN_SENDER=yes", "CHECK_RCPT_NON_FQDN=yes"],
     ["HELO c.example.net", "MAIL FROM:<a@nodot>", "MAIL FROM:<a@c.example.net>",
      "RCPT TO:<a@nodot>", "QUIT"],
     ["250", "550", "250", "550", "221"]),
    ("no AUTH without TLS", OUTSIDE, AUTH[1:],
     ["EHLO c.example.net", "AUTH PLAIN " + plain("jdoe", "secret"), "QUIT"],
     ["250", "503", "221"]),
    ("AUTH PLAIN against a crypt hash, then relay", OUTSIDE, AUTH,
     ["EHLO c.example.net", "AUTH PLAIN " + plain("jdoe", "wrong"),
      "AUTH PLAIN " + plain("nobody", "secret"), "AUTH PLAIN " + plain("jdoe", "secret"),
      "MAIL FROM:<a@c.example.net>", "RCPT TO:<x@elsewhere.example>", "QUIT"],
     ["250", "535", "535", "235", "250", "250", "221"]),
    ("AUTH LOGIN", OUTSIDE, AUTH,
     ["EHLO c.example.net", "AUTH LOGIN", base64.b64encode(b"jdoe").decode(),
      base64.b64encode(b"secret").decode(), "QUIT"],
     ["250", "334", "334", "235", "221"]),
    ("AUTH PLAIN against bare MD5 digests", OUTSIDE, MD5,
     ["EHLO c.example.net", "AUTH PLAIN " + plain("jdoe", "secret"), "QUIT"],
     ["250", "235", "221"]),
    ("sender is the login", OUTSIDE, AUTH + ["CHECK_MAIL_SENDER_IS_LOGIN=yes"],
     ["EHLO c.example.net", "AUTH PLAIN " + plain("jdoe", "secret"),
      "MAIL FROM:<boss@example.org>", "MAIL FROM:<jdoe@elsewhere.example>",
      "MAIL FROM:<jdoe@example.org>", "QUIT"],
     ["250", "235", "550", "550", "250", "221"]),
    ("submission only", OUTSIDE, AUTH + ["CHECK_RCPT_REQUIRE_AUTH=yes"],
     ["EHLO c.example.net", "MAIL FROM:<a@c.example.net>", "RCPT TO:<postmaster@example.org>",
      "RSET", "AUTH PLAIN " + plain("jdoe", "secret"), "MAIL FROM:<jdoe@example.org>",
      "RCPT TO:<x@elsewhere.example>", "QUIT"],
     ["250", "250", "530", "250", "235", "250", "250", "221"]),
]

# (name, configuration type, local delivery, -D macros, addresses, texts the output must hold)
ROUTES = [
    ("aliases, virtual and local users", "internet", "mail_spool",
     ["VIRTUAL_USERS_FILE=@WORK@/passwd"],
     ["info@example.org", "jdoe@example.org", "nobody@example.org", "gone@example.org",
      "nosuchuser@example.org"],
     ["router = virtual_users, transport = maildir_virtual", "<-- info@example.org",
      "router = local_user, transport = mail_spool",
      "gone@example.org is undeliverable: moved away",
      "nosuchuser@example.org is undeliverable: Unknown user"]),
    # T-EXP-3: facteur follows taint only for lookup file names (refused when written from
    # client data, as Exim 4.94+ does); the shipped routers never build a path from
    # $local_part itself: check_local_user declines a local part that is no user, and
    # mail_spool writes /var/mail/$local_part_data (the user's name from the password file).
    ("T-EXP-3 dot-dot local parts reach no file", "internet", "mail_spool", [],
     ["../../etc/passwd@example.org", "..@example.org"],
     ["../../etc/passwd@example.org is undeliverable: Unknown user",
      "..@example.org is undeliverable: Unknown user"]),
    ("maildir_home for dc_localdelivery", "internet", "maildir_home", [],
     ["nobody@example.org"], ["router = local_user, transport = maildir_home"]),
    ("smarthost", "smarthost", "mail_spool", [],
     ["x@elsewhere.example", "nobody@example.org"],
     ["router = smarthost, transport = remote_smtp_smarthost",
      "host 127.0.0.2 [127.0.0.2] port=2526", "router = local_user"]),
    ("satellite", "satellite", "mail_spool", [], ["x@elsewhere.example"],
     ["router = smarthost, transport = remote_smtp_smarthost"]),
    ("local refuses remote domains", "local", "mail_spool", [], ["x@elsewhere.example"],
     ["x@elsewhere.example is undeliverable: Mailing to remote domains not supported"]),
    ("domain literals", "internet", "mail_spool", ["MAIN_ALLOW_DOMAIN_LITERALS=yes"],
     ["x@[192.0.2.9]"], ["router = domain_literal, transport = remote_smtp"]),
]
# Through dnslookup and the test DNS (example.test: MX mx1 and mx2; local.example.test: an
# MX on loopback, which ROUTER_DNSLOOKUP_IGNORE_TARGET_HOSTS ignores).
DNS_ROUTES = [
    ("dnslookup", ["user@example.test"],
     ["router = dnslookup, transport = remote_smtp", "host mx1.example.test [192.0.2.10]"]),
    ("dnslookup ignores private targets", ["user@local.example.test"],
     ["user@local.example.test is undeliverable"]),
]


def write_files(work):
    hashed = subprocess.run(["openssl", "passwd", "-6", "secret"], capture_output=True,
                            text=True, check=True).stdout.strip()
    files = {
        "passwd": f"jdoe:{hashed}:Jean Doe\n",
        "passwd.md5": "jdoe:5ebe2294ecd0e0f08eab7690d2a6ee69:Jean Doe\n",  # md5("secret")
        "aliases": "info: jdoe, nobody\ngone: :fail: moved away\n",
    }
    for name, text in files.items():
        with open(os.path.join(work, name), "w") as f:
            f.write(text)


def assemble(work, name, ctype, delivery):
    tree = os.path.join(work, name)
    shutil.copytree(os.path.join(SRC, "conf.d"), os.path.join(tree, "conf.d"))
    with open(os.path.join(tree, "update-facteur.conf.conf"), "w") as f:
        f.write(SETTINGS.format(type=ctype, delivery=delivery))
    conf = os.path.join(tree, "facteur.conf")
    r = subprocess.run([UPDATE, "-d", tree, "-o", conf, "--check"], capture_output=True,
                       text=True)
    r = r if r.returncode else subprocess.run([UPDATE, "-d", tree, "-o", conf],
                                              capture_output=True, text=True)
    if r.returncode != 0 or r.stderr:
        raise RuntimeError(f"assembling the shipped conf.d ({name}): {r.stderr}")
    return conf


def defines(work, macros):
    return ["-D" + m.replace("@WORK@", work) for m in macros]


def session(conf, work, ip, macros, lines):
    cmd = [FACTEUR, "-C", conf] + defines(work, macros) + ["-bh", ip]
    r = subprocess.run(cmd, input="\n".join(lines) + "\n", capture_output=True, text=True,
                       timeout=30)
    codes = []
    for line in r.stdout.splitlines():
        if len(line) >= 4 and line[:3].isdigit() and line[3] == " ":
            codes.append(line[:3])
    return codes[1:], r  # without the banner


def route(conf, work, macros, addresses):
    # The system's /etc/aliases may send nobody to root: the test's own aliases instead.
    macros = macros + ["SYSTEM_ALIASES_SOURCE=@WORK@/aliases"]
    cmd = [FACTEUR, "-C", conf] + defines(work, macros) + ["-bt"] + addresses
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    return r.stdout


def check_routes(conf, work, cases, failed):
    for name, macros, addresses, wants in cases:
        out = route(conf, work, macros, addresses)
        if "not available in this build" in out:
            print("skip", name, "(the dnslookup driver is not built in yet)")
            continue
        missing = [w for w in wants if w not in out]
        if missing:
            failed.append(f"-bt {name}: {missing} not in:\n{out}")
        else:
            print("ok -bt", name)


def main():
    work = tempfile.mkdtemp(prefix="facteur-confd-policy-")
    failed = []
    try:
        write_files(work)
        conf = assemble(work, "internet", "internet", "mail_spool")
        for name, ip, macros, lines, want in CASES:
            got, run = session(conf, work, ip, macros, lines)
            if got == want:
                print("ok", name)
            else:
                failed.append(f"{name}: got {got}, want {want}\n{run.stdout}{run.stderr}")
        for name, ctype, delivery, macros, addresses, wants in ROUTES:
            conf = assemble(work, name.replace(" ", "_"), ctype, delivery)
            check_routes(conf, work, [(name, macros, addresses, wants)], failed)
        with DnsServer() as dns:
            conf = assemble(work, "dns", "internet", "mail_spool")
            macros = ["MAIN_DNS_SERVERS=" + dns.servers]
            check_routes(conf, work, [(n, macros, a, w) for n, a, w in DNS_ROUTES], failed)
    except RuntimeError as e:
        failed.append(str(e))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in failed:
        print("FAIL", f)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
