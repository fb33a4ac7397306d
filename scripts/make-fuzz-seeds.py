#!/usr/bin/env python3
"""Writes fuzz seed files from the conformance corpora: one file per expansion input, and
the SMTP dialogues that use AUTH (for auth_fuzz: a first byte 0x03 selects an EHLO session).

Usage: make-fuzz-seeds.py SHARED_DIR OUT_DIR
"""
import json
import os
import sys

shared, out = sys.argv[1], sys.argv[2]
exp_dir = os.path.join(out, "expand")
os.makedirs(exp_dir, exist_ok=True)
n = 0
src = os.path.join(shared, "conformance", "expand")
for name in sorted(os.listdir(src)):
    if not name.endswith(".jsonl"):
        continue
    with open(os.path.join(src, name), encoding="utf-8") as f:
        for line in f:
            case = json.loads(line)
            with open(os.path.join(exp_dir, case["id"]), "wb") as o:
                o.write(case["input"].encode("utf-8"))
            n += 1
print(f"{n} expansion seeds in {exp_dir}")

auth_dir = os.path.join(out, "auth")
os.makedirs(auth_dir, exist_ok=True)
n = 0
src = os.path.join(shared, "conformance", "smtp")
for name in sorted(os.listdir(src)):
    if not name.endswith(".jsonl"):
        continue
    with open(os.path.join(src, name), encoding="utf-8") as f:
        for line in f:
            case = json.loads(line)
            if "AUTH" not in case["input"]:
                continue
            with open(os.path.join(auth_dir, case["id"]), "wb") as o:
                o.write(b"\x03" + case["input"].encode("utf-8"))
            n += 1
print(f"{n} AUTH seeds in {auth_dir}")
