#!/usr/bin/env python3
"""Golden tests of the -bh policy trace (stderr) and replies (stdout).

Usage: run.py FACTEUR [--update] [--only TEXT]

Every NAME.case in this directory names a configuration and holds one or more SMTP
sessions; they run in order against one fresh spool (so hints such as ratelimit rates carry
from one session to the next). The output of each session, its stderr then its stdout, is
compared with NAME.golden after masking what changes from run to run: the work directory
(@WORK@), message ids (ID) and dates (DATE). The goldens were written by facteur and checked
line by line against Exim 4.96 running the same configuration and input (see
scripts/bh-trace-compare); where the two differ on purpose the case file says so.

Case file format:
    # comments
    config: NAME.conf
    session: IP [extra arguments]
    SMTP lines (CRLF is added)
    session: IP ...
    ...
With --update the goldens are rewritten from the current output (review the diff!).
"""
import difflib, os, re, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MSGID = re.compile(r'\b[0-9A-Za-z]{6}-[0-9A-Za-z]{6}-[0-9A-Za-z]{2}\b')
DATE = re.compile(r'\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}')


def parse_case(path):
    config, sessions = None, []
    for line in open(path, encoding='utf-8').read().split('\n'):
        if line.startswith('#'):
            continue
        if line.startswith('config:'):
            config = line.split(':', 1)[1].strip()
        elif line.startswith('session:'):
            sessions.append((line.split(':', 1)[1].split(), []))
        elif sessions and line:
            sessions[-1][1].append(line)
    return config, sessions


def materialise(conf, work):
    text = open(os.path.join(HERE, conf), encoding='utf-8').read()
    for d in ('spool', 'log'):
        os.mkdir(os.path.join(work, d))
    text = (text.replace('@SPOOL@', os.path.join(work, 'spool'))
                .replace('@LOG@', os.path.join(work, 'log'))
                .replace('@UID@', str(os.getuid())).replace('@GID@', str(os.getgid())))
    path = os.path.join(work, conf)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)
    return path


def mask(text, work):
    text = text.replace(work, '@WORK@')
    return DATE.sub('DATE', MSGID.sub('ID', text))


def run_case(binary, name):
    config, sessions = parse_case(os.path.join(HERE, name + '.case'))
    work = tempfile.mkdtemp(prefix='smtp-trace-')
    try:
        conf = materialise(config, work)
        out = []
        for n, (args, lines) in enumerate(sessions, 1):
            cmd = [binary, '-C', conf, '-bh'] + args
            data = ''.join(l + '\r\n' for l in lines).encode()
            p = subprocess.run(cmd, input=data, capture_output=True, timeout=30)
            out.append('=== session %d: %s' % (n, ' '.join(args)))
            out.append('--- stderr')
            out += mask(p.stderr.decode('utf-8', 'replace'), work).splitlines()
            out.append('--- stdout')
            out += [l.rstrip('\r') for l in
                    mask(p.stdout.decode('utf-8', 'replace'), work).splitlines() if l.strip()]
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv):
    if not argv or not os.access(argv[0], os.X_OK):
        print(__doc__)
        return 2
    binary, update = os.path.abspath(argv[0]), '--update' in argv
    only = argv[argv.index('--only') + 1] if '--only' in argv else ''
    failed = 0
    for f in sorted(os.listdir(HERE)):
        if not f.endswith('.case') or only not in f:
            continue
        name = f[:-5]
        got = run_case(binary, name)
        golden = os.path.join(HERE, name + '.golden')
        if update:
            with open(golden, 'w', encoding='utf-8') as g:
                g.write('\n'.join(got) + '\n')
            print('updated', name)
            continue
        want = open(golden, encoding='utf-8').read().splitlines() if os.path.exists(golden) else []
        if got == want:
            print('ok', name)
            continue
        failed += 1
        print('FAIL', name)
        for l in difflib.unified_diff(want, got, 'golden', 'got', lineterm=''):
            print('   ', l)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
