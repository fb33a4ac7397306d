#!/usr/bin/env python3
"""Checks an address-test cases file of tests/dns/ against the real Exim (maintainers only: needs
root, unshare, exim4 and nsd). Exim has no dns_servers option and always asks the servers of
/etc/resolv.conf on port 53, so each run happens in a new network and mount namespace where
loopback is the only interface, NSD serves tests/dns/zones/ on 127.0.0.1 port 53 and a private
resolv.conf names it, with "search example.test" (the LOCALDOMAIN dns_test.py gives facteur).

Usage: exim_reference.py CASES CONF     e.g. exim_reference.py dnslookup.cases dnslookup.conf
Prints each case whose Exim output differs from the file, then "N passed, N failed".
"""
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import dns_test  # noqa: E402  (route_blocks, the cases reader)

INNER = r"""
set -e
ip link set lo up
printf 'nameserver 127.0.0.1\nsearch example.test\noptions attempts:1 timeout:1\n' > "$W/resolv.conf"
mount --bind "$W/resolv.conf" /etc/resolv.conf
python3 - <<PY
import sys
sys.path.insert(0, "$LIB")
import dnsserver
dnsserver.free_udp_tcp_port = lambda: 53
dnsserver.start("$W/nsd")
PY
set +e
python3 "$RUNNER" "$W"
python3 "$LIB/dnsserver.py" stop "$W/nsd"
"""

RUNNER = r"""
import json, subprocess, sys
w = sys.argv[1]
cases = json.load(open(w + "/cases.json"))
out = []
for option, address in cases:
    r = subprocess.run(["exim4", "-C", w + "/exim.conf", option, address],
                       capture_output=True, text=True, timeout=60)
    out.append([r.stdout, r.returncode])
json.dump(out, open(w + "/results.json", "w"))
"""


def main():
    import json

    cases_file, conf_file = sys.argv[1], sys.argv[2]
    blocks = dns_test.route_blocks(cases_file)
    work = tempfile.mkdtemp(prefix="facteur-eximref-")
    os.chmod(work, 0o755)
    try:
        with open(os.path.join(HERE, conf_file)) as f:
            text = "".join(l for l in f if not l.startswith("dns_servers"))
        os.makedirs(os.path.join(work, "spool"))
        with open(os.path.join(work, "exim.conf"), "w") as f:
            f.write(text.replace("@DIR@", work))
        with open(os.path.join(work, "cases.json"), "w") as f:
            json.dump([[o, a] for o, a, _ in blocks], f)
        with open(os.path.join(work, "runner.py"), "w") as f:
            f.write(RUNNER)
        env = dict(os.environ, W=work, LIB=os.path.join(HERE, "..", "lib"),
                   RUNNER=os.path.join(work, "runner.py"))
        subprocess.run(["unshare", "-mn", "bash", "-c", INNER], env=env, check=True)
        with open(os.path.join(work, "results.json")) as f:
            results = json.load(f)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    passed = failed = 0
    for (option, address, block), (got, rc) in zip(blocks, results):
        want = "".join(b[4:] + "\n" for b in block if b.startswith("OUT "))
        want_rc = [int(b[3:]) for b in block if b.startswith("RC ")]
        a, b = (sorted(got.splitlines()), sorted(want.splitlines())) if "UNORDERED" in block \
            else (got, want)
        if a == b and (not want_rc or want_rc[0] == rc):
            passed += 1
            continue
        failed += 1
        print(f"DIFF {option} {address}\n  file ({want_rc}): {want!r}\n  exim ({rc}): {got!r}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
