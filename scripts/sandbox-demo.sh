#!/usr/bin/env bash
# scripts/sandbox-demo.sh: see adbcfault work end to end, without touching this machine's network.
#
# Makes a throwaway client and server network namespace pair, runs a plain HTTP server on port 80
# in the server namespace and adbcfaultd with its built-in defaults (intercept tcp/443 and tcp/80)
# in the client namespace, fetches a page with curl (no proxy settings) from the client namespace,
# shows the flow in `adbcfault status`, then removes everything it made, even on failure or Ctrl-C.
#
# Usage: sudo scripts/sandbox-demo.sh [BUILD_DIR]    (default: ./build)
# Exit status: 0 when every step worked, 1 when one failed (it says which), 2 for usage errors.
set -euo pipefail

readonly SELF=sandbox-demo.sh
readonly PREFIX=adbcf-demo

usage() { echo "usage: $0 [BUILD_DIR]   (default: ./build)" >&2; exit 2; }
case "${1:-}" in -h|--help) usage ;; esac
[ $# -le 1 ] || usage
BUILD=${1:-./build}
[ -d "$BUILD" ] || { echo "$SELF: no build directory at $BUILD; build first, or pass its path" >&2; exit 2; }
BUILD=$(cd "$BUILD" && pwd)
readonly DAEMON="$BUILD/src/daemon/adbcfaultd" CLI="$BUILD/src/cli/adbcfault"
readonly CATALOGUE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/scenarios"
CONTROL_REQUEST="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib/control_request.py"
readonly CONTROL_REQUEST

say() { printf '%s\n' "$*"; }
fail() { printf '%s: FAILED: %s\n' "$SELF" "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || { echo "$SELF: must run as root (it creates network namespaces); try: sudo $0 $*" >&2; exit 2; }
for tool in ip curl python3; do
  command -v "$tool" >/dev/null || fail "$tool is missing; run scripts/install-deps.sh"
done
[ -x "$DAEMON" ] || fail "no daemon at $DAEMON; build it first (cmake --build $BUILD)"
PYTHON=$(command -v python3)

# Every name carries this script's pid, so leftovers of a killed run can be recognised and swept.
readonly NS_C="$PREFIX$$-c" NS_S="$PREFIX$$-s"
VETH_TAG=$(printf '%06x' $(($$ & 0xffffff)))
readonly VETH_C="adbcfd${VETH_TAG}c" VETH_S="adbcfd${VETH_TAG}s"
readonly ADDR_C=10.200.202.1 ADDR_S=10.200.202.2
readonly WORK="/tmp/$PREFIX-$$"
readonly SOCK="$WORK/control.sock"
DAEMON_PID="" SERVER_PID=""

# shellcheck source=scripts/lib/netns.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/netns.sh"

teardown() {   # removes everything this run made; fails if a namespace would not go
  local ok=0
  stop_process "$DAEMON_PID"; DAEMON_PID=""
  stop_process "$SERVER_PID"; SERVER_PID=""
  remove_namespace_pair || ok=1
  rm -rf "$WORK"
  return $ok
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  teardown || true
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# One request on the control socket; prints the reply line.
control() {
  ip netns exec "$NS_C" "$PYTHON" "$CONTROL_REQUEST" "$SOCK" "$1"
}

flows_total() {   # from a raw status reply
  "$PYTHON" -c 'import json,sys; r=json.loads(sys.argv[1]); print(r["result"]["flows"]["total"])' "$1"
}

# ---------------------------------------------------------------------------------------------
plain_curl() {
  ip netns exec "$NS_C" env -u http_proxy -u HTTP_PROXY -u https_proxy -u HTTPS_PROXY \
    -u all_proxy -u ALL_PROXY curl -sS --max-time 10 "$@"
}

demo_fault() {
  say "== adbcfault enable tcp_reset_on_connect   (the next connection gets a RST, once)"
  "$CLI" --socket "$SOCK" enable tcp_reset_on_connect | sed 's/^/   /' || fail "enable failed"
  if plain_curl -o /dev/null "http://$ADDR_S/" 2>"$WORK/curl.err"; then
    fail "curl succeeded: the scenario did not inject its reset"
  fi
  say "   curl: $(head -1 "$WORK/curl.err")"
  plain_curl -o /dev/null "http://$ADDR_S/" || fail "the request after the one-shot reset failed"
  say "   one-shot: the next request passes through again"
  say "== adbcfault status tcp_reset_on_connect"
  "$CLI" --socket "$SOCK" status tcp_reset_on_connect | grep -E "^(enabled|fired|injected)" | sed 's/^/   /'
  say "== adbcfault calls   (every HTTP request the daemon saw)"
  "$CLI" --socket "$SOCK" calls | sed 's/^/   /'
}

started=$(date +%s)
sweep_leftovers
mkdir -p "$WORK/www" "$WORK/state"

say "== creating namespaces $NS_C (client, $ADDR_C) and $NS_S (server, $ADDR_S)"
make_namespace_pair

say "== starting an HTTP server on $ADDR_S:80 in the server namespace"
readonly MARKER="hello from the adbcfault sandbox server"
printf '<html><body><p>%s</p></body></html>\n' "$MARKER" >"$WORK/www/index.html"
ip netns exec "$NS_S" "$PYTHON" -m http.server 80 --bind "$ADDR_S" --directory "$WORK/www" \
  >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
ready=false
for _ in $(seq 1 50); do   # asked from inside the server namespace: nothing crosses the veth yet
  if ip netns exec "$NS_S" curl -fsS --noproxy '*' -o /dev/null --max-time 1 "http://$ADDR_S/" 2>/dev/null; then
    ready=true; break
  fi
  pid_alive "$SERVER_PID" || break
  sleep 0.1
done
$ready || { cat "$WORK/server.log" >&2; fail "the HTTP server did not start"; }

say "== starting adbcfaultd in the client namespace (built-in defaults: intercept tcp/443 and tcp/80)"
# Only the socket and state directory are moved into the throwaway directory; the intercept list is
# the built-in default.
ip netns exec "$NS_C" "$DAEMON" --socket "$SOCK" --state-dir "$WORK/state" \
  --scenarios "$CATALOGUE" 2>"$WORK/daemon.log" &
DAEMON_PID=$!
ready=false
for _ in $(seq 1 100); do
  pid_alive "$DAEMON_PID" || break
  if [ -S "$SOCK" ] && control '{"v":1,"op":"status"}' >/dev/null 2>&1; then ready=true; break; fi
  sleep 0.1
done
$ready || { cat "$WORK/daemon.log" >&2; fail "adbcfaultd did not become ready (its log is above)"; }
before=$(control '{"v":1,"op":"status"}')
say "   ready; control socket $SOCK"

say "== curl http://$ADDR_S/ from the client namespace (no proxy settings)"
body=$(ip netns exec "$NS_C" env -u http_proxy -u HTTP_PROXY -u https_proxy -u HTTPS_PROXY \
  -u all_proxy -u ALL_PROXY curl -sS --max-time 10 "http://$ADDR_S/") || fail "curl failed"
grep -q "$MARKER" <<<"$body" || fail "curl got an unexpected page: $body"
say "   got: $MARKER"

say "== adbcfault status"
status_ok=false
if [ -x "$CLI" ]; then
  if out=$(ip netns exec "$NS_C" "$CLI" --socket "$SOCK" status 2>&1) && grep -q flows <<<"$out"; then
    sed 's/^/   /' <<<"$out"
    status_ok=true
  fi
fi
after=$(control '{"v":1,"op":"status"}') || fail "adbcfaultd did not answer status"
if ! $status_ok; then
  say "   (the adbcfault CLI did not answer; this is the control socket's reply)"
  "$PYTHON" - "$after" <<'PY' | sed 's/^/   /'
import json, sys
r = json.loads(sys.argv[1])["result"]
print("adbcfaultd %s, up %.1f s" % (r.get("version", "?"), r.get("uptime_seconds", 0)))
print("intercept        %s" % ", ".join(r.get("intercept", [])))
print("rules installed  %s" % str(r.get("rules_installed")).lower())
print("flows            %d live, %d total" % (r["flows"]["live"], r["flows"]["total"]))
b = r.get("bytes", {})
print("bytes            %s client to server, %s server to client"
      % (b.get("client_to_server", "?"), b.get("server_to_client", "?")))
print("counters         " + ", ".join("%s=%s" % kv for kv in sorted(r.get("counters", {}).items()) if kv[1]))
PY
fi
flows=$(( $(flows_total "$after") - $(flows_total "$before") ))
[ "$flows" -ge 1 ] || fail "adbcfaultd saw no flow: the request did not go through it"
say "   the request went through adbcfaultd: $flows new flow(s)"

demo_fault

say "== stopping adbcfaultd (SIGTERM: it removes its rules and exits)"
kill -TERM "$DAEMON_PID"
for _ in $(seq 1 50); do pid_alive "$DAEMON_PID" || break; sleep 0.1; done
pid_alive "$DAEMON_PID" && fail "adbcfaultd did not stop within 5 s of SIGTERM"
rc=0; wait "$DAEMON_PID" || rc=$?
DAEMON_PID=""
[ "$rc" -eq 0 ] || { tail -20 "$WORK/daemon.log" >&2; fail "adbcfaultd exited with status $rc"; }
if command -v iptables-save >/dev/null; then
  left=$(ip netns exec "$NS_C" iptables-save 2>/dev/null | grep -c ADBCFAULT || true)
  [ "$left" -eq 0 ] || fail "adbcfaultd exited but left $left ADBCFAULT lines in iptables"
  say "   exited 0; no ADBCFAULT rules left in the client namespace"
fi

say "== removing the namespaces"
teardown || fail "could not remove everything (see above)"
say "== done in $(($(date +%s) - started)) s: everything the demo made is gone"
