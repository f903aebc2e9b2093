#!/usr/bin/env bash
# Installs the tools bench/relay.sh and bench/tls.sh need (nginx-light as the server, wrk as the
# load generator, openssl for the throwaway server CA and `s_time`, mitmproxy as tls.sh's
# comparison column, iptables for mitmproxy's redirect, haproxy as relay.sh's reference TCP relay)
# from Debian 12 packages. Run as root; safe to run again.
#
# The benches run their own nginx and haproxy from generated configs inside a network namespace;
# they never use the system services. So that installing the packages does not leave a
# system-wide nginx listening on port 80 (or a haproxy nobody asked for), the packages' services
# are kept from starting during the install and, for each package this script is the one to
# install, disabled afterwards.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "install-bench-deps.sh: must run as root (apt-get needs it); try: sudo $0" >&2
  exit 2
fi

packages=(nginx-light wrk curl python3 iproute2 procps util-linux openssl iptables mitmproxy haproxy)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
declare -A was_installed=([nginx]=false [haproxy]=false)
if installed nginx-common; then was_installed[nginx]=true; fi
if installed haproxy; then was_installed[haproxy]=true; fi

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

if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
  for service in nginx haproxy; do
    if ! ${was_installed[$service]}; then
      systemctl disable --now "$service.service" >/dev/null 2>&1 || true
      echo "install-bench-deps.sh: disabled the system $service service (the benches run their own)"
    fi
  done
fi

for tool in nginx wrk curl openssl iptables mitmdump haproxy; do
  command -v "$tool" >/dev/null || { echo "install-bench-deps.sh: $tool still missing" >&2; exit 1; }
done
mitm=$(mitmdump --version 2>/dev/null | awk '/^Mitmproxy:/ {print $2}')
echo "install-bench-deps.sh: nginx $(nginx -v 2>&1 | sed 's/.*\///'),"\
  "$(wrk -v 2>&1 | head -1 | awk '{print $1, $2}'), mitmproxy ${mitm:-?},"\
  "haproxy $(haproxy -v 2>/dev/null | awk 'NR == 1 {print $3}') ready"
