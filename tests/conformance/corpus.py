#!/usr/bin/env python3
"""Runs a conformance runner (shared/conformance/run-expand or run-smtp) and applies the skip
list: the run passes when every failing case is listed in SKIP_FILE with its reason.

Usage: corpus.py RUNNER BINARY CORPUS_DIR SKIP_FILE [runner options...]

A skip-list line is "case-id  # reason". Cases listed there that now pass are reported so the
list can only shrink. Exit status: 0 when no unlisted case failed, 1 otherwise.
"""
import re
import subprocess
import sys

FAIL_RE = re.compile(r"^\s*FAIL\s+(?:\S+\.jsonl\s+)?([^\s:]+)")


def read_skips(path):
    skips = {}
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                case_id, _, reason = line.partition("#")
                skips[case_id.strip()] = reason.strip()
    except FileNotFoundError:
        pass
    return skips


def main(argv):
    if len(argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    runner, binary, corpus, skip_file = argv[1:5]
    cmd = ["python3", runner, binary, corpus, "--verbose"] + argv[5:]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout
    failed = []
    for line in out.splitlines():
        m = FAIL_RE.match(line)
        if m and m.group(1) not in failed:
            failed.append(m.group(1))
    skips = read_skips(skip_file)
    unexpected = [c for c in failed if c not in skips]
    fixed = [c for c in skips if c not in failed]
    summary = [l for l in out.splitlines() if re.search(r"passed|failed", l) and "FAIL" not in l]
    print("\n".join(summary))
    if fixed:
        print("skip list entries that now pass (remove them from %s):" % skip_file)
        for c in fixed:
            print("  " + c)
    if unexpected:
        print("unexpected failures (not in %s):" % skip_file)
        blocks = out.split("\n")
        for line in blocks:
            if FAIL_RE.match(line) and FAIL_RE.match(line).group(1) in unexpected:
                print(line)
        print("%d unexpected failures" % len(unexpected))
        return 1
    print("conformance: %d failing cases, all in the skip list (%d entries)" % (len(failed), len(skips)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
