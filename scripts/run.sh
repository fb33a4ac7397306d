#!/usr/bin/env bash
# The run command: installs what is missing, builds, and starts the facteur daemon on the
# shipped conf.d with its run defaults (scripts/start.sh, conf/run/: loopback only, ports 2525
# and 4650, a generated certificate, Maildirs under ./var/mail, the example user "demo" with
# password "facteur-demo"; no root needed). Stop it with: kill "$(cat var/facteur.pid)".
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ]; then scripts/install-deps.sh; fi
scripts/build.sh release
exec scripts/start.sh
