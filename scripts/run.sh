#!/usr/bin/env bash
# The run command: installs what is missing, builds, and starts facteur on the shipped default
# configuration (conf/facteur.conf: loopback, unprivileged port, spool and mailboxes under
# ./var). Until the SMTP daemon exists (issue 3) this checks the configuration (-bV) and
# runs an example expansion (-be).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ]; then scripts/install-deps.sh; fi
scripts/build.sh release
mkdir -p var/spool var/log var/mail
conf="$(pwd)/conf/facteur.conf"
./build/facteur -C "$conf" -DFACTEUR_ROOT="$(pwd)" -bV
./build/facteur -C "$conf" -DFACTEUR_ROOT="$(pwd)" -be 'facteur on $primary_hostname: ${if match_ip{127.0.0.1}{+relay_from_hosts}{loopback may relay}{loopback may not relay}}'
