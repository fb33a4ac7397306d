#!/usr/bin/env python3
"""A real DNS server for tests: NSD (authoritative only) on 127.0.0.1, an unprivileged port,
everything (configuration, zones, pid file, logs) in one temporary folder, no root needed.

It serves the zones of tests/dns/zones/ (example.test, its reverse zones, the RBL-style
names under bl.example.test); a query for a name outside them gets REFUSED, which a
resolver reports as a temporary failure — the tests use that for "defer" cases.

As a module:
    with DnsServer() as dns:            # or DnsServer(zones_dir=..., extra_zones={...})
        dns.port, dns.servers           # 5353-ish, "127.0.0.1.5353" (facteur's dns_servers)
As a command (for shell scripts, ctest fixtures and C++ tests):
    dnsserver.py start DIR   -> prints the port; the server runs until
    dnsserver.py stop DIR

Failure: nsd missing, a zone that does not load or a server that does not answer within
5 seconds raise RuntimeError (exit status 1 from the command) with nsd's log.
"""
import os
import random
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pidfile  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ZONES = os.path.join(HERE, "..", "dns", "zones")


def find_nsd():
    for p in [shutil.which("nsd"), "/usr/sbin/nsd"]:
        if p and os.access(p, os.X_OK):
            return p
    raise RuntimeError("nsd not found (apt-get install nsd)")


def free_udp_tcp_port():
    """A port free for both UDP and TCP on 127.0.0.1 (NSD binds both)."""
    for _ in range(50):
        port = random.randint(20000, 60000)
        u, t = socket.socket(socket.AF_INET, socket.SOCK_DGRAM), socket.socket()
        try:
            u.bind(("127.0.0.1", port))
            t.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
        finally:
            u.close()
            t.close()
    raise RuntimeError("no free port for the DNS server")


def soa_query(name):
    q = struct.pack(">HHHHHH", random.randint(0, 65535), 0, 1, 0, 0, 0)
    for label in name.rstrip(".").split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\0" + struct.pack(">HH", 6, 1)


def answers(port, name="example.test"):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(0.2)
    try:
        s.sendto(soa_query(name), ("127.0.0.1", port))
        data = s.recv(4096)
        return len(data) >= 12 and (data[3] & 0x0F) == 0
    except OSError:
        return False
    finally:
        s.close()


def write_config(folder, port, zone_files):
    lines = [
        "server:",
        f"  port: {port}",
        "  ip-address: 127.0.0.1",
        "  server-count: 1",
        '  username: ""',
        '  chroot: ""',
        f'  zonesdir: "{folder}"',
        f'  pidfile: "{folder}/nsd.pid"',
        f'  logfile: "{folder}/nsd.log"',
        '  database: ""',
        f'  zonelistfile: "{folder}/zone.list"',
        f'  xfrdfile: "{folder}/xfrd.state"',
        f'  xfrdir: "{folder}"',
        "  verbosity: 1",
        "  hide-version: yes",
        "remote-control:",
        "  control-enable: no",
    ]
    for zf in zone_files:
        lines += ["zone:", f"  name: {zf[:-len('.zone')]}", f'  zonefile: "{zf}"']
    with open(os.path.join(folder, "nsd.conf"), "w") as f:
        f.write("\n".join(lines) + "\n")


def start(folder, zones_dir=ZONES, extra_zones=None):
    """Starts NSD serving the zones in `zones_dir` (plus {name: text} in extra_zones) from
    `folder`; returns the port."""
    nsd = find_nsd()
    os.makedirs(folder, exist_ok=True)
    zone_files = []
    for z in sorted(os.listdir(zones_dir)):
        if z.endswith(".zone"):
            shutil.copy(os.path.join(zones_dir, z), folder)
            zone_files.append(z)
    for name, text in (extra_zones or {}).items():
        with open(os.path.join(folder, name + ".zone"), "w") as f:
            f.write(text)
        zone_files.append(name + ".zone")
    port = free_udp_tcp_port()
    write_config(folder, port, zone_files)
    conf = os.path.join(folder, "nsd.conf")
    r = subprocess.run([nsd, "-c", conf], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"nsd failed to start: {r.stderr}{read_log(folder)}")
    deadline = time.time() + 5
    while time.time() < deadline:
        if answers(port):
            with open(os.path.join(folder, "port"), "w") as f:
                f.write(f"{port}\n")
            return port
        time.sleep(0.05)
    stop(folder)
    raise RuntimeError(f"nsd does not answer on port {port}: {read_log(folder)}")


def read_log(folder):
    try:
        with open(os.path.join(folder, "nsd.log")) as f:
            return f.read()
    except OSError:
        return ""


def stop(folder):
    pidfile.stop(os.path.join(folder, "nsd.pid"))


class DnsServer:
    def __init__(self, zones_dir=ZONES, extra_zones=None):
        self.zones_dir, self.extra_zones = zones_dir, extra_zones
        self.folder, self.port = None, None

    def __enter__(self):
        self.folder = tempfile.mkdtemp(prefix="facteur-dns-")
        self.port = start(self.folder, self.zones_dir, self.extra_zones)
        return self

    def __exit__(self, *exc):
        stop(self.folder)
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def servers(self):
        return f"127.0.0.1.{self.port}"


def main(argv):
    if len(argv) != 3 or argv[1] not in ("start", "stop"):
        print("usage: dnsserver.py start|stop DIR", file=sys.stderr)
        return 2
    try:
        if argv[1] == "start":
            print(start(argv[2]))
        else:
            stop(argv[2])
    except RuntimeError as e:
        print(f"dnsserver.py: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
