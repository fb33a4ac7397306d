"""Helpers for the end-to-end tests of `facteur -bd`: free ports, starting and stopping a
daemon on a configuration written to a temporary folder, a line-oriented SMTP client on a raw
socket, certificates made with openssl, and the pass/fail bookkeeping.

Everything listens on loopback (127.0.0.1 and ::1) on ports the kernel hands out.
"""
import os
import signal
import socket
import subprocess
import time

PASSED, FAILED, SKIPPED = [], [], []


class Skip(Exception):
    """Raised by a check that cannot run here (a server that is not installed ...)."""


def check(name, fn, *args):
    try:
        fn(*args)
        PASSED.append(name)
        print("ok   " + name, flush=True)
    except Skip as e:
        SKIPPED.append(name)
        print(f"skip {name}: {e}", flush=True)
    except Exception as e:  # noqa: BLE001 - report any failure
        FAILED.append(name)
        print(f"FAIL {name}: {e!r}", flush=True)


def summary():
    """Prints "N passed, N failed[, N skipped]" (the last line); the exit status."""
    extra = f", {len(SKIPPED)} skipped" if SKIPPED else ""
    print(f"{len(PASSED)} passed, {len(FAILED)} failed{extra}")
    return 1 if FAILED else 0


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def wait_listening(host, port, timeout=10.0):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    end = time.time() + timeout
    while time.time() < end:
        s = socket.socket(family)
        s.settimeout(0.2)
        try:
            s.connect((host, port))
            s.close()
            return True
        except OSError:
            s.close()
            time.sleep(0.05)
    return False


class Daemon:
    """`BIN -C conf -bdf [args]`; waits until every (host, port) in `wait` accepts."""

    def __init__(self, binary, work, name, conf_text, wait, args=()):
        self.conf = os.path.join(work, name + ".conf")
        with open(self.conf, "w") as f:
            f.write(conf_text)
        self.proc = subprocess.Popen([binary, "-C", self.conf, "-bdf", *args],
                                     stderr=subprocess.PIPE)
        for host, port in wait:
            if not wait_listening(host, port):
                self.proc.kill()
                raise RuntimeError("daemon did not start: " + self.proc.stderr.read().decode())

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


class Client:
    """A raw SMTP client: send lines, read replies (multi-line replies joined)."""

    def __init__(self, host, port, timeout=10):
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(family)
        self.sock.settimeout(timeout)
        self.sock.connect((host, port))
        self.f = self.sock.makefile("rb")

    def reply(self):
        """The next reply as (code, text of its lines); (0, '') at end of input."""
        lines = []
        while True:
            line = self.f.readline()
            if not line:
                return (0, "\n".join(lines))
            line = line.decode(errors="replace").rstrip("\r\n")
            lines.append(line)
            if len(line) < 4 or line[3] != "-":
                return (int(line[:3]) if line[:3].isdigit() else -1, "\n".join(lines))

    def cmd(self, line):
        self.sock.sendall(line.encode() + b"\r\n")
        return self.reply()

    def code(self, line):
        """Sends one command line; the code of its reply."""
        return self.cmd(line)[0]

    def send(self, data):
        """Sends bytes (or text) as they are."""
        self.sock.sendall(data.encode() if isinstance(data, str) else data)

    def start(self, helo="client.example"):
        """Reads the banner and says EHLO; the EHLO reply's lines."""
        code, _ = self.reply()
        assert code == 220, code
        code, text = self.cmd("EHLO " + helo)
        assert code == 250, text
        return text.split("\n")

    def closed(self):
        """True when the server has closed the connection."""
        try:
            return self.sock.recv(1) == b""
        except ConnectionResetError:
            return True
        except socket.timeout:
            return False

    def close(self):
        self.sock.close()


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=cwd)


def make_cert(work, cn="mx.test.example"):
    """A self-signed server certificate and its key; returns (cert, key)."""
    cert, key = os.path.join(work, "cert.pem"), os.path.join(work, "key.pem")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
            "-days", "2", "-subj", "/CN=" + cn, cwd=work)
    return cert, key


def make_pki(work):
    """A CA, a server certificate, a client certificate the CA signed and a self-signed one.
    Returns a dict of file names."""
    p = {k: os.path.join(work, k + ".pem") for k in
         ("ca", "ca_key", "server", "server_key", "client", "client_key", "rogue", "rogue_key")}
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", p["ca_key"], "-out",
            p["ca"], "-days", "2", "-subj", "/CN=Test CA", cwd=work)
    for who, cn in (("server", "mx.test.example"), ("client", "client.test.example")):
        csr = os.path.join(work, who + ".csr")
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", p[who + "_key"], "-out", csr,
                "-subj", f"/O=Facteur Tests/CN={cn}", cwd=work)
        openssl("x509", "-req", "-in", csr, "-CA", p["ca"], "-CAkey", p["ca_key"],
                "-CAcreateserial", "-out", p[who], "-days", "2", cwd=work)
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", p["rogue_key"], "-out",
            p["rogue"], "-days", "2", "-subj", "/CN=rogue.example", cwd=work)
    return p


def s_client(host, port, lines, ca, cert=None, key=None, pause=0.3):
    """openssl s_client -starttls smtp, one line at a time (smtp_enforce_sync refuses a
    client that pipelines EHLO with more). Returns what it printed after the handshake."""
    args = ["openssl", "s_client", "-starttls", "smtp", "-connect",
            f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "-CAfile", ca, "-quiet", "-ign_eof"]
    if cert:
        args += ["-cert", cert, "-key", key]
    p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    for line in lines:
        time.sleep(pause)
        try:
            p.stdin.write(line.encode() + b"\r\n")
            p.stdin.flush()
        except BrokenPipeError:
            break
    try:
        p.stdin.close()
    except BrokenPipeError:
        pass
    out = p.stdout.read()
    p.wait(timeout=30)
    return out.decode(errors="replace")
