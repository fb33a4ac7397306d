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
