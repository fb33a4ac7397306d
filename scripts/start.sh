#!/usr/bin/env bash
# Starts the facteur daemon on the shipped conf.d with the run command's defaults
# (conf/run/: loopback, ports 2525 and 4650, TLS with a generated certificate, Maildirs under
# ./var/mail, the example user "demo"). scripts/run.sh builds first and then runs this.
#
#   scripts/start.sh [ROOT]     ROOT: where var/ goes (default: the checkout)
#
# Environment: FACTEUR_BIN, FACTEUR_UPDATE_CONF (default build/facteur*),
# FACTEUR_PORT / FACTEUR_TLS_PORT (default 2525 / 4650), FACTEUR_FOREGROUND=1 (-bdf: stay
# in the foreground, for tests).
#
# It writes ROOT/var/etc/ (conf.d = the shipped one + conf/run/conf.d, the settings,
# certificate, password file and aliases; existing certificate, password file and aliases
# are kept), assembles it with facteur-update-conf into ROOT/var/facteur.conf, checks it,
# stops a daemon this script started before, and starts a new one (pid in var/facteur.pid).
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "${1:-$src}" && pwd)"
bin="${FACTEUR_BIN:-$src/build/facteur}"
update="${FACTEUR_UPDATE_CONF:-$src/build/facteur-update-conf}"
port="${FACTEUR_PORT:-2525}"
tls_port="${FACTEUR_TLS_PORT:-4650}"
etc="$root/var/etc"

# The example user: its password is in README.md. Change it with
#   echo "demo:$(openssl passwd -6 'new password')" > var/etc/passwd
demo_user=demo
demo_password=facteur-demo

mkdir -p "$etc" "$root/var/spool" "$root/var/log" "$root/var/mail"
owner="$(stat -c %U "$root")"
if [ "$(id -u)" = 0 ] && [ "$owner" != root ]; then
  chown "$owner" "$root/var/mail"
fi

rm -rf "$etc/conf.d"
cp -r "$src/conf.d" "$etc/conf.d"
cp -r "$src/conf/run/conf.d/." "$etc/conf.d/"
{
  echo "# written by scripts/start.sh: where the checkout is, who owns it"
  echo "FACTEUR_ROOT = $root"
  echo "FACTEUR_RUN_USER = $owner"
} > "$etc/conf.d/main/000_facteur_root"
sed -e "s/^MAIN_DAEMON_SMTP_PORTS = .*/MAIN_DAEMON_SMTP_PORTS = $port : $tls_port/" \
    -e "s/^MAIN_TLS_ON_CONNECT_PORTS = .*/MAIN_TLS_ON_CONNECT_PORTS = $tls_port/" \
    -i "$etc/conf.d/main/000_localmacros"
cp "$src/conf/run/update-facteur.conf.conf" "$etc/update-facteur.conf.conf"

if [ ! -e "$etc/facteur.crt" ]; then
  "$src/scripts/facteur-gencert" --name localhost "$etc" >/dev/null
fi
if [ ! -e "$etc/passwd" ]; then
  (umask 077; echo "$demo_user:$(openssl passwd -6 "$demo_password")" > "$etc/passwd")
fi
if [ ! -e "$etc/aliases" ]; then
  printf 'postmaster: %s\nroot: %s\n' "$demo_user" "$demo_user" > "$etc/aliases"
fi

conf="$root/var/facteur.conf"
"$update" --confdir "$etc" --output "$conf" --check
"$update" --confdir "$etc" --output "$conf"
"$bin" -C "$conf" -bV >/dev/null

pidfile="$root/var/facteur.pid"
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  kill "$(cat "$pidfile")"
  for _ in $(seq 50); do kill -0 "$(cat "$pidfile")" 2>/dev/null || break; sleep 0.1; done
fi
if [ "${FACTEUR_FOREGROUND:-}" = 1 ]; then
  exec "$bin" -C "$conf" -bdf -oP "$pidfile"
fi
"$bin" -C "$conf" -bd -oP "$pidfile"
for _ in $(seq 50); do [ -s "$pidfile" ] && break; sleep 0.1; done
echo "facteur is listening on 127.0.0.1:$port (STARTTLS) and :$tls_port (TLS), pid $(cat "$pidfile")"
echo "configuration: $conf (from $etc); logs: $root/var/log/; mail: $root/var/mail/USER/Maildir"
echo "try: swaks --server 127.0.0.1:$port --to $demo_user@localhost"
echo "     swaks --server 127.0.0.1:$port -tls -a PLAIN -au $demo_user -ap $demo_password --to someone@example.net"
