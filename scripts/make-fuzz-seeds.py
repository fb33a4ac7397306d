#!/usr/bin/env python3
"""Writes fuzz seed files from the conformance corpora: one file per expansion input, and
the SMTP dialogues that use AUTH (for auth_fuzz: a first byte 0x03 selects an EHLO session).

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
