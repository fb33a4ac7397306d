#!/usr/bin/env python3
"""The shipped conf.d (main/ and acl/ so far) through facteur-update-conf, then `facteur -bh`
sessions: the relay policy and each macro switch give the reply codes they promise.

Usage: confd_policy_test.py FACTEUR FACTEUR_UPDATE_CONF SOURCE_DIR
Exit status 0 when all passed, 1 otherwise.
"""
import os
import shutil
import subprocess
import sys
import tempfile

FACTEUR, UPDATE, SRC = (os.path.abspath(a) for a in sys.argv[1:4])

SETTINGS = """dc_eximconfig_configtype='internet'
dc_other_hostnames='example.org'
dc_relay_nets='192.0.2.0/24'
dc_relay_domains='backup.example'
"""

OUTSIDE, LAN = "198.51.100.7", "192.0.2.5"

# (name, client address, -D macros, SMTP lines, expected reply codes after the banner)
CASES = [
    ("relay refused from outside", OUTSIDE, ["CHECK_RCPT_NO_VERIFY=1"],
     ["EHLO c.example.net", "MAIL FROM:<a@c.example.net>", "RCPT TO:<x@elsewhere.example>",
      "RCPT TO:<bob@example.org>", "RCPT TO:<x@backup.example>", "QUIT"],
     ["250", "250", "550", "250", "250", "221"]),
    ("postmaster always, others verified", OUTSIDE, [],
     ["HELO c.example.net", "MAIL FROM:<>", "RCPT TO:<postmaster@example.org>",
      "RCPT TO:<bob@example.org>", "QUIT"],
     # No router/ fragments are shipped yet: verify = recipient finds bob unrouteable.
     ["250", "250", "250", "550", "221"]),
    ("relay from the LAN", LAN, [],
     ["HELO lan", "MAIL FROM:<a@lan>", "RCPT TO:<x@elsewhere.example>", "QUIT"],
     ["250", "250", "250", "221"]),
    ("restricted characters", OUTSIDE, ["CHECK_RCPT_NO_VERIFY=1"],
     ["HELO c.example.net", "MAIL FROM:<a@c.example.net>", "RCPT TO:<a/b@example.org>",
      "RCPT TO:<.a@example.org>", "QUIT"],
     ["250", "250", "550", "550", "221"]),
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
]


def session(conf, ip, macros, lines):
    cmd = [FACTEUR, "-C", conf] + ["-D" + m for m in macros] + ["-bh", ip]
    r = subprocess.run(cmd, input="\n".join(lines) + "\n", capture_output=True, text=True,
                       timeout=30)
    codes = []
    for line in r.stdout.splitlines():
        if len(line) >= 4 and line[:3].isdigit() and line[3] == " ":
            codes.append(line[:3])
    return codes[1:], r  # without the banner


def main():
    work = tempfile.mkdtemp(prefix="facteur-confd-policy-")
    failed = []
    try:
        shutil.copytree(os.path.join(SRC, "conf.d"), os.path.join(work, "conf.d"))
        with open(os.path.join(work, "update-facteur.conf.conf"), "w") as f:
            f.write(SETTINGS)
        conf = os.path.join(work, "facteur.conf")
        r = subprocess.run([UPDATE, "-d", work, "-o", conf, "--check"], capture_output=True,
                           text=True)
        r = r if r.returncode else subprocess.run([UPDATE, "-d", work, "-o", conf],
                                                  capture_output=True, text=True)
        if r.returncode != 0 or r.stderr:
            print("FAIL assembling the shipped conf.d:", r.stderr)
            return 1
        for name, ip, macros, lines, want in CASES:
            got, run = session(conf, ip, macros, lines)
            if got == want:
                print("ok", name)
            else:
                failed.append(f"{name}: got {got}, want {want}\n{run.stdout}{run.stderr}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in failed:
        print("FAIL", f)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
