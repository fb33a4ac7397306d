#!/usr/bin/env python3
"""Checks that every ```exim block of docs/examples/*.md and docs/examples/*/README.md is a configuration facteur accepts
(`facteur -C FILE -bV`), so the example pages cannot drift from what the reader takes.

Usage: docs_examples_test.py BINARY DOCS_DIR
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

binary, docs = sys.argv[1], sys.argv[2]
failed = checked = 0
with tempfile.TemporaryDirectory() as tmp:
    pages = glob.glob(os.path.join(docs, "*.md")) + glob.glob(os.path.join(docs, "*", "*.md"))
    for page in sorted(pages):
        text = open(page, encoding="utf-8").read()
        for n, block in enumerate(re.findall(r"```exim\n(.*?)```", text, re.S)):
            name = os.path.relpath(page, docs).replace(os.sep, "_")
            conf = os.path.join(tmp, f"{name}.{n}.conf")
            with open(conf, "w", encoding="utf-8") as f:
                f.write(block)
            r = subprocess.run([binary, "-C", conf, "-bV"], capture_output=True, text=True)
            checked += 1
            if r.returncode != 0:
                failed += 1
                print(f"FAIL {os.path.relpath(page, docs)} block {n}: {r.stderr.strip()}")
print(f"{checked - failed} passed, {failed} failed")
sys.exit(1 if failed or not checked else 0)
