#!/usr/bin/env python3
"""Writes fuzz seed files from the conformance corpora: one file per expansion input, the
SMTP dialogues that use AUTH (for auth_fuzz: a first byte 0x03 selects an EHLO session), and
the bad conf.d corpus for the assembler.

Usage: make-fuzz-seeds.py SHARED_DIR OUT_DIR
"""
import json
import os
import sys

shared, out = sys.argv[1], sys.argv[2]


def write_seeds(corpus, target, keep, prefix=b""):
    """One seed per case of conformance/CORPUS whose input `keep` accepts."""
    dest = os.path.join(out, target)
    os.makedirs(dest, exist_ok=True)
    n = 0
    src = os.path.join(shared, "conformance", corpus)
    for name in sorted(os.listdir(src)):
        if not name.endswith(".jsonl"):
            continue
        with open(os.path.join(src, name), encoding="utf-8") as f:
            for line in f:
                case = json.loads(line)
                if not keep(case["input"]):
                    continue
                with open(os.path.join(dest, case["id"]), "wb") as o:
                    o.write(prefix + case["input"].encode("utf-8"))
                n += 1
    print(f"{n} {target} seeds in {dest}")


write_seeds("expand", "expand", lambda text: True)
write_seeds("smtp", "auth", lambda text: "AUTH" in text, b"\x03")

# Assembler seeds (fuzz/assembler_fuzz.cpp's format) from the bad conf.d corpus.
asm_dir = os.path.join(out, "assembler")
os.makedirs(asm_dir, exist_ok=True)
corpus = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "engine",
                      "config", "bad-confd")
n = 0
for case in sorted(os.listdir(corpus)) if os.path.isdir(corpus) else []:
    root = os.path.join(corpus, case)
    if not os.path.isdir(root):
        continue
    parts = []
    settings = os.path.join(root, "update-facteur.conf.conf")
    parts.append(open(settings, encoding="utf-8").read() if os.path.exists(settings) else "")
    parts.append("mail.example.org\n")
    for section in ("main", "acl", "router", "transport", "retry", "rewrite", "auth"):
        sdir = os.path.join(root, "conf.d", section)
        for name in sorted(os.listdir(sdir)) if os.path.isdir(sdir) else []:
            with open(os.path.join(sdir, name), encoding="utf-8") as f:
                parts.append(section + "/" + name + "\n" + f.read())
    with open(os.path.join(asm_dir, case), "wb") as o:
        o.write("\n%%\n".join(parts).encode("utf-8"))
    n += 1
print(f"{n} assembler seeds in {asm_dir}")

# Redirection data for fuzz/redirect_fuzz.cpp: the values of the routing corpus' alias files,
# and a few Exim filters.
red_dir = os.path.join(out, "redirect")
os.makedirs(red_dir, exist_ok=True)
seeds = [
    "# Exim filter\nif $h_subject: contains \"money\" or not personal then\n"
    "  unseen save $home/mail/junk 0600\nelif foranyaddress $h_to: ($thisaddress matches ^a)\n"
    "then deliver \"A <a@b.example>\" errors_to me@example.org\nelse pipe \"/bin/cat x\"\nendif\n",
    "# Exim filter\nadd 2 to n1\ntestprint \"n1=$n1\"\nif $n1 is above 1k then seen finish endif\n"
    "mail to x@y.z subject \"hi\" text \"t\" once /tmp/once\nfail text \"no\"\n",
]
data_dir = os.path.join(shared, "conformance", "route", "data")
for root, _, files in os.walk(data_dir):
    for name in sorted(files):
        with open(os.path.join(root, name), encoding="utf-8", errors="replace") as f:
            for line in f:
                if ":" in line and not line.startswith("#"):
                    seeds.append(line.split(":", 1)[1].strip())
for i, s in enumerate(seeds):
    with open(os.path.join(red_dir, "seed%03d" % i), "wb") as o:
        o.write(s.encode("utf-8"))
print(f"{len(seeds)} redirect seeds in {red_dir}")
