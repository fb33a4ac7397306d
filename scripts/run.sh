#!/usr/bin/env bash
# The run command: installs what is missing, builds, and starts the facteur daemon on the
# shipped default configuration (conf/facteur.conf: loopback only, port 2525, spool and logs
# under ./var, no root needed). Stop it with: kill "$(cat var/facteur.pid)".
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ]; then scripts/install-deps.sh; fi
scripts/build.sh release
mkdir -p var/spool var/log var/mail
root="$(pwd)"
conf="$root/conf/facteur.conf"
./build/facteur -C "$conf" -DFACTEUR_ROOT="$root" -bV
if [ -f var/facteur.pid ] && kill -0 "$(cat var/facteur.pid)" 2>/dev/null; then
  kill "$(cat var/facteur.pid)"; sleep 1
fi
./build/facteur -C "$conf" -DFACTEUR_ROOT="$root" -bd -oP "$root/var/facteur.pid"
sleep 1
echo "facteur is listening on 127.0.0.1:2525 (pid $(cat var/facteur.pid)); logs in var/log/"
echo "try: swaks --server 127.0.0.1:2525 --to postmaster@localhost"
