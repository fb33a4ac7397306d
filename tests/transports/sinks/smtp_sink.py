#!/usr/bin/env python3
"""A small SMTP/LMTP server for the transport tests (standard library only).

Listens on 127.0.0.1 (port 0: any; the port is printed on the first line of stdout), on a
Unix-domain socket (--unix PATH, "ready" is printed), or speaks on stdin/stdout (--stdio,
for the lmtp transport's `command`). Each message is stored as NNN.eml in --store with the
envelope in X-Sink-From:/X-Sink-To: lines before it.

Recipients steer the replies: a local part starting with "reject" gets 550 at RCPT,
"tempfail" 451 at RCPT, "datafail" (LMTP) 552 after the data, "datatemp" (LMTP) 452 after
the data. --mail-reply CODE answers MAIL with CODE; --data-reply CODE answers the final dot
with CODE; --banner CODE gives that greeting; --no-pipelining, --no-ehlo; --tls CERT KEY
offers STARTTLS; --auth USER:PASS offers AUTH PLAIN and LOGIN; --close-after CMD drops the
connection when CMD (MAIL, RCPT, DATA, DOT) arrives; --sleep-after CMD SECONDS stalls.
--events FILE appends a line per connection, RSET, QUIT and stored message ("connect",
"rset", "quit", "message"), EHLO inside TLS ("ehlo-tls") and AUTH ("auth") to FILE;
--rset-reply CODE answers RSET with CODE; --one-message closes the connection (no reply) once
a message has been accepted and a command follows; --starttls-inject sends "250-evil" and
"250 AUTH LOGIN" in clear right behind the 220 to STARTTLS, in the same write (T-TLS-9);
--strict-crlf refuses (550) a message with a data line not ending in CRLF or holding a CR.
--starttls-reply CODE offers STARTTLS and answers it with CODE; with 220 no TLS follows, the
sink goes on in clear with a "250" line (T-TLS-8: a server that accepts STARTTLS but does not
start TLS).
"""
import argparse
import base64
import os
import socket
import ssl
import sys
import threading


class Conn:
    def __init__(self, rfile, wfile, args, sock=None):
        self.r, self.w, self.a, self.sock = rfile, wfile, args, sock
        self.tls = False
        self.authed = None
        self.bare = False  # a line not ending in CRLF, or with a CR inside, was read

    def event(self, what):
        if self.a.events:
            with self.a.lock, open(self.a.events, "a") as f:
                f.write(what + "\n")

    def send(self, text):
        self.w.write(text.encode() + b"\r\n")
        self.w.flush()

    def line(self):
        raw = self.r.readline(100000)
        if not raw:
            raise EOFError
        self.bare |= not raw.endswith(b"\r\n") or b"\r" in raw[:-2]
        return raw.rstrip(b"\r\n").decode("latin-1")

    def caps(self):
        c = []
        if not self.a.no_pipelining:
            c.append("PIPELINING")
        c += ["SIZE 100000000", "8BITMIME"]
        if self.a.lmtp:
            c.append("IGNOREQUOTA")
        if (self.a.tls or self.a.starttls_reply) and not self.tls:
            c.append("STARTTLS")
        if self.a.auth:
            c.append("AUTH PLAIN LOGIN")
        return c

    def hook(self, cmd):
        if self.a.close_after == cmd:
            raise EOFError
        if self.a.sleep_after and self.a.sleep_after[0] == cmd:
            import time
            time.sleep(float(self.a.sleep_after[1]))

    def starttls(self):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.a.tls[0], self.a.tls[1])
        self.sock = ctx.wrap_socket(self.sock, server_side=True)
        self.r = self.sock.makefile("rb")
        self.w = self.sock.makefile("wb")
        self.tls = True

    def auth(self, arg):
        mech, _, initial = arg.partition(" ")
        user, _, password = self.a.auth.partition(":")
        if mech.upper() == "PLAIN":
            if not initial:
                self.send("334 ")
                initial = self.line()
            parts = base64.b64decode(initial).split(b"\0")
            ok = len(parts) == 3 and parts[1].decode() == user and parts[2].decode() == password
        elif mech.upper() == "LOGIN":
            self.send("334 VXNlcm5hbWU6")
            u = base64.b64decode(self.line()).decode()
            self.send("334 UGFzc3dvcmQ6")
            p = base64.b64decode(self.line()).decode()
            ok = u == user and p == password
        else:
            self.send("504 unknown mechanism")
            return
        if ok:
            self.authed = user
            self.send("235 Authentication succeeded")
        else:
            self.send("535 Incorrect authentication data")

    def run(self):
        self.event("connect")
        self.send("%d sink.test %s ready" % (self.a.banner, "LMTP" if self.a.lmtp else "ESMTP"))
        if self.a.banner != 220:
            return
        mail, rcpts, accepted = None, [], False
        while True:
            cmd = self.line()
            if accepted and self.a.one_message:
                raise EOFError
            verb, _, arg = cmd.partition(" ")
            verb = verb.upper()
            if verb in ("EHLO", "LHLO") and self.tls:
                self.event("ehlo-tls")
            if verb == "AUTH":
                self.event("auth")
            if verb in ("EHLO", "LHLO") and not (self.a.no_ehlo and verb == "EHLO"):
                c = self.caps()
                lines = ["sink.test hello " + arg] + c
                for i, l in enumerate(lines):
                    self.send("250%s%s" % ("-" if i < len(lines) - 1 else " ", l))
            elif verb == "HELO":
                self.send("250 sink.test hello " + arg)
            elif verb == "STARTTLS" and self.a.starttls_reply:
                self.send("%d STARTTLS answer" % self.a.starttls_reply)
                if self.a.starttls_reply == 220:
                    self.send("250 still in clear")
            elif verb == "STARTTLS" and self.a.tls:
                # --starttls-inject: replies in clear behind the 220, in the same segment
                self.send("220 go ahead" + ("\r\n250-evil\r\n250 AUTH LOGIN"
                                            if self.a.starttls_inject else ""))
                self.starttls()
            elif verb == "AUTH" and self.a.auth:
                self.auth(arg)
            elif verb == "MAIL":
                self.hook("MAIL")
                if self.a.mail_reply:
                    self.send("%d mail refused" % self.a.mail_reply)
                    continue
                mail, rcpts = arg, []
                self.send("250 OK")
            elif verb == "RCPT":
                self.hook("RCPT")
                addr = arg[arg.find("<") + 1:arg.find(">")]
                local = addr.split("@")[0]
                if local.startswith("reject"):
                    self.send("550 5.1.1 <%s> unknown user" % addr)
                elif local.startswith("tempfail"):
                    self.send("451 4.2.1 <%s> try later" % addr)
                elif mail is None:
                    self.send("503 MAIL first")
                else:
                    rcpts.append(addr)
                    self.send("250 Accepted")
            elif verb == "DATA":
                self.hook("DATA")
                if not rcpts:
                    self.send("503 no valid recipients")
                    continue
                self.send("354 Enter message")
                self.bare = False
                data = []
                while True:
                    l = self.line()
                    if l == ".":
                        break
                    data.append(l[1:] if l.startswith(".") else l)
                self.hook("DOT")
                if self.a.strict_crlf and self.bare:
                    self.send("550 5.6.0 bare CR or LF in the data")
                    mail, rcpts = None, []
                    continue
                self.store(mail, rcpts, data)
                if self.a.lmtp:
                    for r in rcpts:
                        local = r.split("@")[0]
                        if local.startswith("datafail"):
                            self.send("552 5.2.2 <%s> mailbox full" % r)
                        elif local.startswith("datatemp"):
                            self.send("452 4.2.2 <%s> over quota" % r)
                        else:
                            self.send("250 2.1.5 <%s> delivered" % r)
                elif self.a.data_reply:
                    self.send("%d data refused" % self.a.data_reply)
                else:
                    self.send("250 OK id=sink%d" % self.a.count)
                mail, rcpts, accepted = None, [], True
            elif verb == "RSET":
                self.event("rset")
                mail, rcpts = None, []
                self.send("%d Reset OK" % (self.a.rset_reply or 250))
            elif verb == "QUIT":
                self.event("quit")
                self.send("221 bye")
                return
            elif verb == "NOOP":
                self.send("250 OK")
            else:
                self.send("500 unrecognized command")

    def store(self, mail, rcpts, data):
        self.event("message")
        with self.a.lock:
            self.a.count += 1
            n = self.a.count
        if not self.a.store:
            return
        head = "X-Sink-From: %s\nX-Sink-To: %s\nX-Sink-TLS: %s\nX-Sink-Auth: %s\n" % (
            mail, " ".join(rcpts), "yes" if self.tls else "no", self.authed or "")
        path = os.path.join(self.a.store, "%03d.eml" % n)
        with open(path + ".tmp", "w", encoding="latin-1") as f:
            f.write(head + "\n".join(data) + "\n")
        os.rename(path + ".tmp", path)


def serve(sock, args):
    try:
        Conn(sock.makefile("rb"), sock.makefile("wb"), args, sock).run()
    except (EOFError, ConnectionError, ssl.SSLError, OSError):
        pass
    finally:
        try:
            sock.close()
        except OSError:
            pass


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--lmtp", action="store_true")
    p.add_argument("--unix")
    p.add_argument("--stdio", action="store_true")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--store")
    p.add_argument("--banner", type=int, default=220)
    p.add_argument("--mail-reply", type=int)
    p.add_argument("--data-reply", type=int)
    p.add_argument("--no-pipelining", action="store_true")
    p.add_argument("--no-ehlo", action="store_true")
    p.add_argument("--tls", nargs=2)
    p.add_argument("--starttls-inject", action="store_true")
    p.add_argument("--strict-crlf", action="store_true")
    p.add_argument("--auth")
    p.add_argument("--close-after")
    p.add_argument("--sleep-after", nargs=2)
    p.add_argument("--events")
    p.add_argument("--rset-reply", type=int)
    p.add_argument("--one-message", action="store_true")
    p.add_argument("--starttls-reply", type=int)
    args = p.parse_args()
    args.lock = threading.Lock()
    args.count = 0
    if args.stdio:
        try:
            Conn(sys.stdin.buffer, sys.stdout.buffer, args).run()
        except EOFError:
            pass
        return
    if args.unix:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(args.unix)
        s.listen(16)
        print("ready", flush=True)
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", args.port))
        s.listen(16)
        print(s.getsockname()[1], flush=True)
    while True:
        c, _ = s.accept()
        if not args.unix:
            # Replies go out line by line: without this, Nagle holds each later line until
            # the client's delayed ACK (40 ms), which would dominate any timing.
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=serve, args=(c, args), daemon=True).start()


if __name__ == "__main__":
    main()
