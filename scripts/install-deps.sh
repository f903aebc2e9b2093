#!/usr/bin/env bash
# Installs every build and test dependency of adbcfault from Debian 12 packages.
# Run as root on a fresh Debian 12 machine; safe to run again.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps.sh: must run as root (apt-get needs it); try: sudo $0" >&2
  exit 2
fi

packages=(
  # build
  cmake g++ make pkg-config
  libnetfilter-queue-dev libmnl-dev libnfnetlink-dev
  libnl-3-dev libnl-route-3-dev libsystemd-dev
  libssl-dev
  libthrift-dev thrift-compiler
  libboost-dev libboost-program-options-dev
  nlohmann-json3-dev libyaml-cpp-dev
  libgtest-dev libgmock-dev
  # kernel-side tools the daemon and tests drive
  iptables nftables iproute2 kmod
  # real clients and servers used by the integration tests and benchmarks
  curl openssl python3 procps psmisc jq
  # strict TLS clients the interception tests check our leaf certificates against
  nodejs openjdk-17-jdk-headless
)

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}"
