#!/usr/bin/env bash
# Installs the tools bench/relay.sh and bench/tls.sh need (nginx-light as the server, wrk as the
# load generator, openssl for the throwaway server CA and `s_time`, mitmproxy as tls.sh's
# comparison column, iptables for mitmproxy's redirect) from Debian 12 packages. Run as root; safe
# to run again.
#
# The bench runs its own nginx from a generated config inside a network namespace; it never uses
# the system nginx service. So that installing the package does not leave a system-wide nginx
# listening on port 80, the package's service is kept from starting during the install and, when
# this script is the one that installed nginx, disabled afterwards.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "install-bench-deps.sh: must run as root (apt-get needs it); try: sudo $0" >&2
  exit 2
fi

packages=(nginx-light wrk curl python3 iproute2 procps util-linux openssl iptables mitmproxy)

nginx_was_installed=false
if dpkg-query -W -f='${Status}' nginx-common 2>/dev/null | grep -q 'install ok installed'; then
  nginx_was_installed=true
fi

# Keep maintainer scripts from starting services, unless a policy already exists (containers
# usually ship one that denies everything). Ours is removed on exit, whatever happens.
policy=/usr/sbin/policy-rc.d
own_policy=false
cleanup() {
  if $own_policy; then rm -f "$policy"; fi
}
trap cleanup EXIT INT TERM
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# temporary, from adbcfault scripts/install-bench-deps.sh\nexit 101\n' >"$policy"
  chmod 0755 "$policy"
  own_policy=true
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}"

if ! $nginx_was_installed && [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
  systemctl disable --now nginx.service >/dev/null 2>&1 || true
  echo "install-bench-deps.sh: disabled the system nginx service (the bench runs its own nginx)"
fi

for tool in nginx wrk curl openssl iptables mitmdump; do
  command -v "$tool" >/dev/null || { echo "install-bench-deps.sh: $tool still missing" >&2; exit 1; }
done
mitm=$(mitmdump --version 2>/dev/null | awk '/^Mitmproxy:/ {print $2}')
echo "install-bench-deps.sh: nginx $(nginx -v 2>&1 | sed 's/.*\///'),"\
  "$(wrk -v 2>&1 | head -1 | awk '{print $1, $2}'), mitmproxy ${mitm:-?} ready"
