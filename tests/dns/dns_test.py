#!/usr/bin/env python3
"""DNS end to end: facteur against a real DNS server (NSD on loopback, tests/lib/dnsserver.py)
serving tests/dns/zones/. Runs the dnsdb golden cases of expand.cases with -be and the -bh
sessions of sessions.cases (dnslists, host names in host lists, verify = reverse_host_lookup
and helo, @mx_*) and the -bt routings of route.cases (manualroute through MX and address
records), all with tests/dns/facteur.conf; then the dnslookup router's cases
(dnslookup.cases with dnslookup.conf: -bt, -bv, -bvs).

Usage: dns_test.py BINARY
Prints "N passed, N failed" last; exit status 1 when anything failed.
"""
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
from dnsserver import DnsServer  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
PASSED, FAILED = [], []


def check(name, ok, detail=""):
    (PASSED if ok else FAILED).append(name)
    if not ok:
        print(f"FAIL {name}\n{detail}")


def read_cases(path, start):
    """Splits a cases file into blocks, each starting with a line beginning with `start`."""
    blocks = []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            if line.startswith(start):
                blocks.append([line])
            elif blocks:
                blocks[-1].append(line)
    return blocks


def expansions(conf):
    for block in read_cases(os.path.join(HERE, "expand.cases"), "IN "):
        text = block[0][3:]
        want = "\n".join(b[4:] for b in block[1:] if b.startswith("OUT "))
        fail = [b[5:] for b in block[1:] if b.startswith("FAIL ")]
        r = subprocess.run([BIN, "-C", conf, "-be", text], capture_output=True, text=True,
                           timeout=60)
        got = r.stdout[:-1] if r.stdout.endswith("\n") else r.stdout
        if fail:
            want = "Failed: " + fail[0]
        check(f"expand: {text}", got == want, f"  want: {want!r}\n  got:  {got!r}")


def session(conf, block):
    head = block[0][4:]
    name, ip = head.rsplit(" ", 1)
    sent = "".join(b[2:] + "\n" for b in block[1:] if b.startswith("> "))
    r = subprocess.run([BIN, "-C", conf, "-bh", ip], input=sent, capture_output=True, text=True,
                       timeout=60)
    replies = [l for l in r.stdout.splitlines() if l[:3].isdigit()]
    problems, pos = [], 0
    for b in block[1:]:
        if b.startswith("< "):
            want = b[2:]
            while pos < len(replies) and not replies[pos].startswith(want):
                pos += 1
            if pos == len(replies):
                problems.append(f"  no reply starting {want!r}")
                pos = 0
            else:
                pos += 1
        elif b.startswith("L ") and b[2:] not in r.stderr:
            problems.append(f"  log lacks {b[2:]!r}")
        elif b.startswith("!L ") and b[3:] in r.stderr:
            problems.append(f"  log has {b[3:]!r}")
    detail = "\n".join(problems) + "\n  replies:\n    " + "\n    ".join(replies)
    detail += "\n  log:\n    " + "\n    ".join(r.stderr.splitlines())
    check(f"session: {name}", not problems, detail)


MODES = {"BT ": "-bt", "BV ": "-bv", "BVS ": "-bvs"}


def route_blocks(name):
    """The cases of an address-test file: (option, address, block lines)."""
    blocks = []
    with open(os.path.join(HERE, name)) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            mode = next((m for m in MODES if line.startswith(m)), None)
            if mode:
                blocks.append((MODES[mode], line[len(mode):], []))
            elif blocks:
                blocks[-1][2].append(line)
    return blocks


def routes(conf, name, env=None):
    for option, address, block in route_blocks(name):
        want = "".join(b[4:] + "\n" for b in block if b.startswith("OUT "))
        rc = [int(b[3:]) for b in block if b.startswith("RC ")]
        r = subprocess.run([BIN, "-C", conf, option, address], capture_output=True, text=True,
                           timeout=60, env=env)
        got = r.stdout
        if "UNORDERED" in block:
            got, want = sorted(got.splitlines()), sorted(want.splitlines())
        ok = got == want and (not rc or r.returncode == rc[0])
        check(f"route: {name} {option} {address}", ok,
              f"  want ({rc}): {want!r}\n  got ({r.returncode}):  {got!r}\n{r.stderr}")


def config(dns, work, name):
    conf = os.path.join(work, name)
    with open(os.path.join(HERE, name)) as f:
        text = f.read().replace("@DNS@", dns.servers).replace("@DIR@", work)
    with open(conf, "w") as f:
        f.write(text)
    return conf


def main():
    work = tempfile.mkdtemp(prefix="facteur-dnstest-")
    try:
        with DnsServer() as dns:
            conf = config(dns, work, "facteur.conf")
            expansions(conf)
            routes(conf, "route.cases")
            for block in read_cases(os.path.join(HERE, "sessions.cases"), "=== "):
                session(conf, block)
            # The search domain of qualify_single and search_parents (see dnslookup.conf).
            env = dict(os.environ, LOCALDOMAIN="example.test")
            routes(config(dns, work, "dnslookup.conf"), "dnslookup.cases", env)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(PASSED)} passed, {len(FAILED)} failed")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
