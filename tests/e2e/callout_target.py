"""A tiny SMTP server on loopback for the callout tests (tests/e2e/callout_test.py): it answers
the banner, EHLO/HELO, MAIL, RCPT and QUIT, and refuses RCPT for local parts starting with
"bad" (550) or "tmp" (451); with the mode "rejectmail" it refuses every MAIL (550). Every
command it receives is appended to `log`. Run directly:
python3 callout_target.py PORT LOGFILE [MODE] (prints "ready" once listening)."""
import socket
import sys
import threading


MODE = ""


def answer(line):
    cmd = line[:4].upper()
    if cmd in ("EHLO", "HELO"):
        return "250 target.test"
    if cmd == "MAIL":
        return "550 No mail from you" if MODE == "rejectmail" else "250 OK"
    if cmd == "RCPT":
        local = line[line.find("<") + 1:].split("@")[0]
        if local.startswith("bad"):
            return f"550 Unknown user {local}"
        if local.startswith("tmp"):
            return "451 Try later"
        return "250 Accepted"
    if cmd == "QUIT":
        return "221 Bye"
    return "500 What?"


def serve_client(conn, log):
    f = conn.makefile("rwb", buffering=0)
    f.write(b"220 target.test ESMTP\r\n")
    for raw in f:
        line = raw.decode("latin-1").rstrip("\r\n")
        with open(log, "a") as out:
            out.write(line + "\n")
        f.write((answer(line) + "\r\n").encode())
        if line.upper().startswith("QUIT"):
            break
    conn.close()


def serve(port, log):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(8)
    print("ready", flush=True)
    while True:
        c, _ = s.accept()
        threading.Thread(target=serve_client, args=(c, log), daemon=True).start()


if __name__ == "__main__":
    MODE = sys.argv[3] if len(sys.argv) > 3 else ""
    serve(int(sys.argv[1]), sys.argv[2])
