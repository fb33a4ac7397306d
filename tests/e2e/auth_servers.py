"""Real authentication servers for the end-to-end tests, each started in a temporary folder
and stopped again: a Dovecot auth server (Debian's dovecot-core, passwd-file users) and a
Cyrus saslauthd with a sasldb (Debian's sasl2-bin), as the tutorials set them up.

Dovecot runs as root when the tests do (it then uses its own dovecot/dovenull users) and as
the calling user otherwise. saslauthd's sasldb mechanism only reads /etc/sasldb2, so it is run
in a private mount namespace where a temporary sasldb is bound over that path (and in its own
session: saslauthd signals its whole process group when it stops); this needs
root and unshare(1); without them start() raises Unavailable and the caller skips.
"""
import os
import pwd
import grp
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


class Unavailable(harness.Skip):
    """The server cannot be run here (package missing, not root ...)."""


def _wait_for(path, proc, what, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        if os.path.exists(path):
            return
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with status {proc.returncode}")
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not create {path}")


def _stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Dovecot:
    """users: lines of a passwd-file ("carol:{PLAIN}pw::::::" ...)."""

    def __init__(self, folder, users):
        if not shutil.which("dovecot"):
            raise Unavailable("dovecot is not installed (Debian package dovecot-core)")
        self.dir = folder
        os.makedirs(os.path.join(folder, "run"))
        os.makedirs(os.path.join(folder, "state"))
        os.chmod(folder, 0o755)
        with open(os.path.join(folder, "users"), "w") as f:
            f.write("".join(u + "\n" for u in users))
        os.chmod(os.path.join(folder, "users"), 0o644)
        self.socket = os.path.join(folder, "run", "auth-client")
        self.conf = os.path.join(folder, "dovecot.conf")
        with open(self.conf, "w") as f:
            f.write(self._config())
        self.log = os.path.join(folder, "dovecot.log")
        self.proc = subprocess.Popen(["dovecot", "-F", "-c", self.conf],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        _wait_for(self.socket, self.proc, "dovecot")

    def _config(self):
        d = self.dir
        conf = f"""protocols = none
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
auth_mechanisms = plain login cram-md5
auth_failure_delay = 0
auth_verbose = yes
ssl = no
disable_plaintext_auth = no
passdb {{
  driver = passwd-file
  args = {d}/users
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={d}/home/%u
}}
service auth {{
  unix_listener auth-client {{
    mode = 0666
  }}
}}
"""
        if os.geteuid() != 0:
            user = pwd.getpwuid(os.getuid()).pw_name
            group = grp.getgrgid(os.getgid()).gr_name
            conf += f"""default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
service anvil {{
  chroot =
}}
"""
        return conf

    def stop(self):
        _stop(self.proc)


class Saslauthd:
    """users: (name, realm, password) triples."""

    def __init__(self, folder, users):
        for tool in ("saslauthd", "saslpasswd2", "unshare"):
            if not shutil.which(tool):
                raise Unavailable(f"{tool} is not installed (Debian package sasl2-bin)")
        if os.geteuid() != 0 or not os.path.exists("/etc/sasldb2"):
            raise Unavailable("saslauthd's sasldb needs root and an /etc/sasldb2 to cover")
        os.makedirs(folder)
        os.chmod(folder, 0o755)
        db = os.path.join(folder, "sasldb2")
        for name, realm, password in users:
            subprocess.run(["saslpasswd2", "-f", db, "-c", "-p", "-u", realm, name],
                           input=password.encode(), check=True, capture_output=True)
        self.socket = os.path.join(folder, "mux")
        script = f"mount --bind {db} /etc/sasldb2 && exec saslauthd -a sasldb -m {folder} -d"
        self.proc = subprocess.Popen(["unshare", "-m", "sh", "-c", script],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        try:
            _wait_for(self.socket, self.proc, "saslauthd")
        except RuntimeError as e:
            raise Unavailable(str(e)) from e

    def stop(self):
        _stop(self.proc)
