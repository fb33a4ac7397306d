#!/usr/bin/env python3
"""Debian's own exim4-config conf.d tree through facteur-update-conf and `facteur -bV`.

The package is fetched at test time (`apt-get download exim4-config`, unpacked with
`dpkg -x` in a temporary folder, never installed, removed at the end). For each configuration
type an update-exim4.conf.conf like the one debconf writes is put beside the tree (the
assembler falls back to that name); the tree must assemble with no warning, pass
`facteur-update-conf --check`, and the written file must pass `facteur -C FILE -bV`. An
error inside a fragment must be reported at the fragment's line.

Usage: debian_confd_test.py FACTEUR FACTEUR_UPDATE_CONF
Exit status 0 when all passed, 1 on a failure, 77 (skipped) when the package cannot be
downloaded (no network, no apt).
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

FACTEUR = os.path.abspath(sys.argv[1])
UPDATE = os.path.abspath(sys.argv[2])
SKIP = 77

SETTINGS = """# written by debian_confd_test.py, as debconf writes it
dc_eximconfig_configtype='{type}'
dc_other_hostnames='mail.example.org;example.org'
dc_local_interfaces='127.0.0.1 ; ::1'
dc_readhost='example.org'
dc_relay_domains='relay.example'
dc_minimaldns='false'
dc_relay_nets='192.168.0.0/16;2001:db8::/32'
dc_smarthost='smart.example::587'
CFILEMODE='644'
dc_use_split_config='{split}'
dc_hide_mailname='true'
dc_mailname_in_oh='true'
dc_localdelivery='{delivery}'
"""


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, **kw)


def fetch(work):
    """Unpacks exim4-config into work/root; returns /etc/exim4 there, or None to skip."""
    deb = os.environ.get("FACTEUR_EXIM4_CONFIG_DEB")
    if not deb:
        if not shutil.which("apt-get"):
            return None
        r = run(["apt-get", "download", "exim4-config"], cwd=work)
        debs = glob.glob(os.path.join(work, "exim4-config_*.deb"))
        if r.returncode != 0 or not debs:
            print("apt-get download exim4-config failed:", r.stderr.strip()[-500:])
            return None
        deb = debs[0]
    root = os.path.join(work, "root")
    r = run(["dpkg", "-x", deb, root])
    if r.returncode != 0:
        print("dpkg -x failed:", r.stderr.strip())
        return None
    return os.path.join(root, "etc", "exim4")


def main():
    work = tempfile.mkdtemp(prefix="facteur-debian-confd-")
    failed = []
    try:
        confdir = fetch(work)
        if confdir is None:
            print("SKIP: Debian's exim4-config package could not be downloaded")
            return SKIP
        cases = [(t, "true", "mail_spool") for t in
                 ("internet", "smarthost", "satellite", "local", "none")]
        cases += [("internet", "true", "maildir_home"), ("internet", "false", "mail_spool")]
        for ctype, split, delivery in cases:
            name = f"{ctype}-{split}-{delivery}"
            with open(os.path.join(confdir, "update-exim4.conf.conf"), "w") as f:
                f.write(SETTINGS.format(type=ctype, split=split, delivery=delivery))
            out = os.path.join(work, name + ".conf")
            r = run([UPDATE, "--check", "-d", confdir, "-o", out])
            if r.returncode != 0 or "warning" in r.stderr:
                failed.append(f"{name}: --check: {r.returncode}\n{r.stderr}")
                continue
            r = run([UPDATE, "-d", confdir, "-o", out])
            if r.returncode != 0 or not os.path.exists(out):
                failed.append(f"{name}: assembling: {r.returncode}\n{r.stderr}")
                continue
            r = run([FACTEUR, "-C", out, "-bV"])
            if r.returncode != 0:
                failed.append(f"{name}: facteur -bV rejects the result:\n{r.stderr}")
                continue
            print("ok", name)
        failed += error_in_fragment(confdir, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in failed:
        print("FAIL", f)
    return 1 if failed else 0


def error_in_fragment(confdir, work):
    """A broken line in Debian's primary router is reported at its fragment and line."""
    with open(os.path.join(confdir, "update-exim4.conf.conf"), "w") as f:
        f.write(SETTINGS.format(type="internet", split="true", delivery="mail_spool"))
    frag = os.path.join(confdir, "conf.d", "router", "200_exim4-config_primary")
    with open(frag) as f:
        lines = f.read().split("\n")
    at = next(i for i, l in enumerate(lines) if l.strip().startswith("driver = dnslookup"))
    lines.insert(at + 1, "  domains = ${if")
    with open(frag, "w") as f:
        f.write("\n".join(lines))
    out = os.path.join(work, "broken.conf")
    r = run([UPDATE, "--check", "-d", confdir, "-o", out])
    want = f"{frag}:{at + 2}:"
    if r.returncode == 1 and want in r.stderr:
        print("ok error in a fragment")
        return []
    return [f"error in a fragment: want {want!r} in:\n{r.stderr}"]


if __name__ == "__main__":
    sys.exit(main())
