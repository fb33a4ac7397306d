"""Shared pieces of the end-to-end tests: free loopback ports, a certificate made at test
time, a facteur daemon started on a configuration text, a raw SMTP client that shows every
reply line, and the pass/fail bookkeeping every script prints ("N passed, N failed" last).
"""
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def make_cert(directory, cn="mx.test.example"):
    """A self-signed certificate and key in `directory`; returns (cert, key)."""
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "2", "-subj", "/CN=" + cn],
                   check=True, capture_output=True)
    return cert, key


def client_tls_context(cafile):
    c = ssl.create_default_context(cafile=cafile)
    c.check_hostname = False
    return c


def wait_for_port(port, proc=None, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if proc is not None and proc.poll() is not None:
                break
            time.sleep(0.05)
    err = proc.stderr.read().decode(errors="replace") if proc is not None and proc.stderr else ""
    raise RuntimeError(f"nothing listens on port {port}: {err}")


class Daemon:
    """`facteur -bdf` on a configuration written to `work`/name.conf."""

    def __init__(self, binary, work, name, text, port, extra_args=()):
        self.binary, self.port = binary, port
        self.conf = os.path.join(work, name + ".conf")
        with open(self.conf, "w") as f:
            f.write(text)
        self.proc = subprocess.Popen([binary, "-C", self.conf, "-bdf", *extra_args],
                                     stderr=subprocess.PIPE)
        wait_for_port(port, self.proc)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Smtp:
    """A raw SMTP client: send bytes as they are, read replies line by line."""

    def __init__(self, port, host="127.0.0.1", timeout=10, sock=None):
        self.sock = sock or socket.create_connection((host, port), timeout=timeout)
        self.f = self.sock.makefile("rb")

    def reply(self):
        """One whole reply: (code, [lines]); code 0 when the connection is closed."""
        lines = []
        while True:
            line = self.f.readline()
            if not line:
                return 0, lines
            lines.append(line.rstrip(b"\r\n").decode(errors="replace"))
            if len(line) < 4 or line[3:4] != b"-":
                return int(line[:3]) if line[:3].isdigit() else 0, lines

    def cmd(self, text):
        """Sends one command line and returns the code of its reply."""
        self.send(text + "\r\n")
        return self.reply()[0]

    def send(self, data):
        self.sock.sendall(data.encode() if isinstance(data, str) else data)

    def start(self, helo="client.example"):
        """Reads the banner and says EHLO; returns the EHLO reply lines."""
        code, _ = self.reply()
        assert code == 220, code
        self.send(f"EHLO {helo}\r\n")
        code, lines = self.reply()
        assert code == 250, lines
        return lines

    def closed(self, seconds=5):
        """True when the server closes the connection within `seconds`."""
        self.sock.settimeout(seconds)
        try:
            return self.sock.recv(1) == b""
        except (socket.timeout, ConnectionResetError):
            return False

    def close(self):
        self.sock.close()


class Results:
    def __init__(self):
        self.passed, self.failed = [], []

    def check(self, name, fn):
        try:
            fn()
            self.passed.append(name)
            print("ok   " + name, flush=True)
        except Exception as e:  # noqa: BLE001 - report any failure
            self.failed.append(name)
            print(f"FAIL {name}: {e!r}", flush=True)

    def finish(self, work=None):
        if work:
            shutil.rmtree(work, ignore_errors=True)
        print(f"{len(self.passed)} passed, {len(self.failed)} failed")
        sys.exit(1 if self.failed else 0)


def workdir(prefix):
    return tempfile.mkdtemp(prefix=prefix)
