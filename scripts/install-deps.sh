#!/usr/bin/env bash
# Installs the Debian 12 packages facteur needs to build, test and run (as root).
# Idempotent: only missing packages are installed.
set -euo pipefail

PKGS=(
  build-essential cmake ninja-build ccache pkg-config python3 git
  libpcre2-dev libssl-dev libboost-dev libfmt-dev doctest-dev libsqlite3-dev libcrypt-dev libc-ares-dev
  clang libclang-rt-14-dev libbenchmark-dev clang-format
  sqlite3 openssl swaks libnet-ssleay-perl libdigest-hmac-perl libauthen-sasl-perl
  dovecot-core dovecot-lmtpd dovecot-imapd sasl2-bin nsd
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
