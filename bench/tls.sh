#!/usr/bin/env bash
# bench/tls.sh: what adbcfaultd costs an HTTPS flow it intercepts (terminates and re-originates TLS).
#
# One run, two throwaway network namespaces joined by a veth pair:
#   client namespace: curl, wrk and openssl s_time (the load); adbcfaultd or mitmproxy when measured
#   server namespace: nginx from a generated config, HTTPS on 10.200.203.2:443 with a certificate
#                     for bench.adbcf.test signed by a throwaway server CA
# Each metric is measured direct (the clients trust the server CA), through adbcfaultd (default
# inspecting mode, TLS intercepted, no scenario enabled; the clients trust its CA) and through
# mitmproxy in transparent mode when mitmdump is installed (the clients trust mitmproxy's CA), in
# the same run, and printed as ratios to direct. A proxied column only counts if the proxy's own
# counters show the connections went through it; if not, the bench fails loudly.
#
# Usage: bench/tls.sh [--duration S] [--quick] [--reps N] [--pin] [--boost] [--no-mitmproxy]
#                     [--reference] [--profile DIR] [--build DIR]
#   --duration S    seconds per wrk and s_time measurement (default 10)
#   --quick         --duration 3 and 3 bulk repetitions: a smoke run in about 70 s
#   --reps N        bulk downloads per column, the median is reported (default 5)
#   --pin           pin the load generator to CPU 0 and nginx to CPU 1 (the proxy floats)
#   --boost         run in a scheduling group of its own at nice -10, so that other work on a shared
#                   machine (compilers) disturbs the numbers less; it slows that work down meanwhile
#   --no-mitmproxy  skip the mitmproxy column even when mitmdump is installed (about a third of
#                   the run time)
#   --reference     also measure nginx as a TLS-terminating reverse proxy in the client namespace
#                   (the load redirected to it as to mitmproxy; it verifies and re-encrypts to the
#                   server, nothing recorded): what an ordinary TLS proxy costs on this machine,
#                   printed below the table
#   --profile DIR   after measuring, profile adbcfaultd under the bulk, keep-alive and new-connection
#                   loads (perf record -g) and leave the reports in DIR; never in the table
#   --build DIR     the build directory (default: the repository's build/)
# Needs root, nginx, wrk, curl, openssl; mitmproxy for the third column
# (scripts/install-bench-deps.sh installs them all).
set -euo pipefail

readonly SELF=bench/tls.sh
SCRIPT=${BASH_SOURCE[0]}
REPO=$(cd "$(dirname "$SCRIPT")/.." && pwd)
# shellcheck source=bench/lib/common.sh
. "$REPO/bench/lib/common.sh"
bench_defaults
MITM=true
REFERENCE=false
ARGS=("$@")

while [ $# -gt 0 ]; do
  bench_option "$@"
  if [ "$TAKEN" -gt 0 ]; then shift "$TAKEN"; continue; fi
  case "$1" in
    --no-mitmproxy) MITM=false; shift ;;
    --reference) REFERENCE=true; shift ;;
    *) echo "$SELF: unknown option $1" >&2; usage ;;
  esac
done
check_duration_and_reps "$DURATION" "$REPS"
require_root_and_tools ip nginx wrk curl openssl python3 timeout ss
MITM_SKIPPED=""
if ! $MITM; then
  MITM_SKIPPED="skipped (--no-mitmproxy)"
elif ! command -v mitmdump >/dev/null; then
  MITM=false
  MITM_SKIPPED="skipped: mitmdump is not installed (sudo apt-get install mitmproxy, or sudo scripts/install-bench-deps.sh)"
elif ! command -v iptables >/dev/null || ! command -v setpriv >/dev/null; then
  MITM=false
  MITM_SKIPPED="skipped: it needs iptables and setpriv (sudo apt-get install iptables util-linux)"
elif ! id nobody >/dev/null 2>&1; then
  MITM=false
  MITM_SKIPPED="skipped: it runs as the user nobody, which does not exist here"
fi
if [ -n "$MITM_SKIPPED" ]; then echo "$SELF: the mitmproxy column is $MITM_SKIPPED" >&2; fi

# --boost: see boost_session in bench/lib/common.sh.
if $BOOST; then boost_session "${ARGS[@]}"; fi

DAEMON="$BUILD/src/daemon/adbcfaultd"
CLI="$BUILD/src/cli/adbcfault"
wait_for_daemon_binary
[ -x "$CLI" ] || die "no CLI at $CLI; build it: make -C $BUILD -j2 adbcfault"

# ---------------------------------------------------------------------------------------------
# Names. Everything this script creates carries its pid, so a leftover of a killed run can be
# told apart from one of a run still going, and swept.
readonly PREFIX=adbcf-tlsbench
readonly NS_C="$PREFIX$$-c" NS_S="$PREFIX$$-s"
VETH_TAG=$(printf '%06x' $(($$ & 0xffffff)))
readonly VETH_C="adbcft${VETH_TAG}c" VETH_S="adbcft${VETH_TAG}s"   # 13 characters
readonly ADDR_C=10.200.203.1 ADDR_S=10.200.203.2 PORT=443
readonly HOST=bench.adbcf.test
WORK_ROOT=$(work_root)
readonly WORK="$WORK_ROOT/$PREFIX-$$"
readonly SOCK="$WORK/ctl.sock"
# `ip netns exec NS` bind-mounts /etc/netns/NS/hosts over /etc/hosts for the command it runs: the
# host name resolves in the client namespace only, for every client (wrk takes no --resolve).
readonly NETNS_ETC=/etc/netns NETNS_DIR="/etc/netns/$NS_C"
NETNS_ETC_CREATED=false
readonly MITM_PORT=8443 REFERENCE_PORT=8444 STIME_CLIENTS=8

DAEMON_PID="" NGINX_PID="" PROXY_PID=""
CLIENT_CA=""   # the CA the clients trust in the column being measured

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_process "$DAEMON_PID" adbcfaultd
  stop_process "$PROXY_PID" "mitmdump or the reference nginx"
  stop_process "$NGINX_PID" nginx
  remove_namespaces_and_work
  rm -rf "$NETNS_DIR"
  if $NETNS_ETC_CREATED; then rmdir "$NETNS_ETC" 2>/dev/null || true; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

sweep_hosts_files() {   # /etc/netns entries of runs that are gone
  local dir pid
  for dir in "$NETNS_ETC/$PREFIX"*-c; do
    [ -d "$dir" ] || continue
    if [[ "$dir" =~ $PREFIX([0-9]+)-c$ ]]; then
      pid=${BASH_REMATCH[1]}
      if [ "$pid" != "$$" ] && ! pid_alive "$pid"; then rm -rf "$dir"; fi
    fi
  done
}

# ---------------------------------------------------------------------------------------------
# The server side: a throwaway CA and a certificate for $HOST (and $ADDR_S, for clients that send
# no SNI), EC P-256 like the daemon's leaves.
make_server_certificate() {
  local dir="$WORK/pki"
  mkdir -p "$dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -keyout "$dir/server-ca.key" -out "$dir/server-ca.pem" -subj "/CN=adbcfault bench server CA $$" \
    -addext keyUsage=critical,keyCertSign,cRLSign 2>"$dir/openssl.log" ||
    { cat "$dir/openssl.log" >&2; die "openssl could not create the server CA"; }
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$HOST" \
    -keyout "$dir/server.key" -out "$dir/server.csr" 2>>"$dir/openssl.log" ||
    { cat "$dir/openssl.log" >&2; die "openssl could not create the server key"; }
  printf '%s\n' "subjectAltName=DNS:$HOST,IP:$ADDR_S" "extendedKeyUsage=serverAuth" \
    "keyUsage=critical,digitalSignature" "basicConstraints=critical,CA:FALSE" >"$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/server-ca.pem" -CAkey "$dir/server-ca.key" \
    -CAcreateserial -days 2 -extfile "$dir/server.ext" -out "$dir/server.pem" 2>>"$dir/openssl.log" ||
    { cat "$dir/openssl.log" >&2; die "openssl could not sign the server certificate"; }
  chmod 0644 "$dir/server-ca.pem"   # mitmproxy, as nobody, reads it
}

start_nginx() {
  local tls="ssl_certificate $WORK/pki/server.pem;
  ssl_certificate_key $WORK/pki/server.key;
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_session_cache shared:bench:20m;
  ssl_session_tickets on;"
  start_nginx_server "$tls" ssl "server_name $HOST;" "HTTPS for $HOST" \
    curl -fsS --noproxy '*' -o /dev/null --max-time 1 --cacert "$WORK/pki/server-ca.pem" \
    "https://$HOST/small"
}

# Locally generated connections to port 443 redirected to a proxy on TO_PORT, except those of the
# user nobody, as whom the proxy connects to the server. "add" or "del".
redirect_to_proxy() {   # add|del, to-port
  local op=-A
  [ "$1" = del ] && op=-D
  in_c iptables -w -t nat "$op" OUTPUT -p tcp --dport "$PORT" -m owner ! --uid-owner "$(id -u nobody)" \
    -j REDIRECT --to-ports "$2"
}

redirected_to() {   # to-port -> connections the REDIRECT rule sent there so far
  in_c iptables -w -t nat -L OUTPUT -v -x -n | awk -v port="$1" '/REDIRECT/ && $NF == port {print $1; exit}'
}

# mitmproxy in transparent mode, as the user nobody, with locally generated connections to port
# 443 redirected to it except its own (which go to the server).
start_mitmproxy() {
  local uid gid
  uid=$(id -u nobody) gid=$(id -g nobody)
  mkdir -p "$WORK/mitm"
  chown "$uid:$gid" "$WORK/mitm"
  redirect_to_proxy add "$MITM_PORT"
  ip netns exec "$NS_C" setpriv --reuid="$uid" --regid="$gid" --clear-groups \
    env HOME="$WORK/mitm" mitmdump --mode transparent --listen-host 127.0.0.1 \
    --listen-port "$MITM_PORT" --set confdir="$WORK/mitm" \
    --set ssl_verify_upstream_trusted_ca="$WORK/pki/server-ca.pem" \
    --set stream_large_bodies=1m --set flow_detail=0 --set termlog_verbosity=warn \
    >"$WORK/mitm.log" 2>&1 &
  PROXY_PID=$!
  for _ in $(seq 1 150); do
    if ! pid_alive "$PROXY_PID"; then
      cat "$WORK/mitm.log" >&2
      die "mitmdump exited during start-up (log above)"
    fi
    if [ -s "$WORK/mitm/mitmproxy-ca-cert.pem" ] &&
      [ -n "$(in_c ss -Hltn "sport = :$MITM_PORT" 2>/dev/null)" ]; then
      CLIENT_CA="$WORK/mitm/mitmproxy-ca-cert.pem"
      return 0
    fi
    sleep 0.1
  done
  cat "$WORK/mitm.log" >&2
  die "mitmdump did not listen on 127.0.0.1:$MITM_PORT in $NS_C within 15 s"
}

# The reference: nginx terminating TLS with the server's own certificate (the clients trust the
# server CA, as direct) and proxying to the server over TLS, verified against the server CA, with
# upstream connections kept alive and sessions reused: an ordinary, well-tuned TLS proxy. Its
# workers run as nobody, so the REDIRECT rule leaves their upstream connections alone.
start_reference_tls_proxy() {
  redirect_to_proxy add "$REFERENCE_PORT"
  start_reference_nginx "$WORK/reference" "the reference nginx TLS proxy" \
    "user nobody $(id -gn nobody);" "  upstream origin { server $ADDR_S:$PORT; keepalive 32; }
  server {
    listen 127.0.0.1:$REFERENCE_PORT ssl backlog=4096;
    ssl_certificate $WORK/pki/server.pem;
    ssl_certificate_key $WORK/pki/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache shared:reference:20m;
    ssl_session_tickets on;
    location / {
      proxy_pass https://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_set_header Host \$host;
      proxy_buffering off;
      proxy_ssl_server_name on;
      proxy_ssl_name $HOST;
      proxy_ssl_verify on;
      proxy_ssl_trusted_certificate $WORK/pki/server-ca.pem;
      proxy_ssl_session_reuse on;
    }
  }" --cacert "$WORK/pki/server-ca.pem" "https://$HOST/small"
}

# ---------------------------------------------------------------------------------------------
# Measurements. Each prints one line of numbers on stdout.

bulk() {   # -> "Gbit/s(median of REPS) cpu..."
  local speeds=() i line mark me=$BASHPID
  mark=$(cpu_mark "$me")
  for i in $(seq 1 "$REPS"); do
    # HTTP/1.1 in every column: adbcfaultd speaks only that, nginx here too, mitmproxy would
    # offer h2 to curl.
    line=$(client_cmd timeout 300 curl -sS --noproxy '*' --http1.1 --cacert "$CLIENT_CA" -o /dev/null \
      -w '%{http_code} %{size_download} %{speed_download}' "https://$HOST/big") ||
      die "bulk download $i failed"
    read -r code size speed <<<"$line"
    if [ "$code" != 200 ] || [ "$size" != "$BIG_SIZE" ]; then
      die "bulk download $i: HTTP $code, $size of $BIG_SIZE bytes"
    fi
    speeds+=("$(awk -v s="$speed" 'BEGIN {printf "%.3f", s * 8 / 1e9}')")
  done
  echo "$(echo "${speeds[*]}" | median) $(cpu_use "$mark" "$(cpu_mark "$me")")"
}

# New connections from a client that blocks while it waits (wrk does not, see measure_all):
# $STIME_CLIENTS `openssl s_time` in parallel, each opening one connection after the other for
# a GET /small (HTTP/1.0, so the server closes), with no SNI (s_time sends none: the flow is
# picked by its destination address). -new: no session offered, full handshakes. -reuse: every
# connection offers the session of the first; s_time prints "r" for each one the server resumed.
stime_run() {   # label, new|reuse, seconds -> "conn/s connections resumed cpu..."
  local label=$1 mode=$2 secs=$3 mark me=$BASHPID start end i total resumed pids=()
  mark=$(cpu_mark "$me")
  start=$(date +%s.%N)
  for i in $(seq 1 "$STIME_CLIENTS"); do
    client_cmd timeout $((secs + 20)) openssl s_time -connect "$ADDR_S:$PORT" "-$mode" -time "$secs" \
      -www /small >"$WORK/stime-$label-$i.txt" 2>&1 &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || { cat "$WORK/stime-$label-"*.txt >&2; die "s_time ($label) failed"; }; done
  end=$(date +%s.%N)
  total=$(cat "$WORK/stime-$label-"*.txt | awk '/connections in .* real seconds/ {s += $1} END {print s + 0}')
  [ "$total" -gt 0 ] || { cat "$WORK/stime-$label-"*.txt >&2; die "s_time ($label) made no connection"; }
  # The progress lines hold one character per connection: "*" new, "r" resumed.
  resumed=$(cat "$WORK/stime-$label-"*.txt | awk '/^[*r]+$/ {s += gsub(/r/, "")} END {print s + 0}')
  echo "$(awk -v n="$total" -v a="$start" -v b="$end" 'BEGIN {printf "%.1f", n / (b - a)}') $total $resumed" \
    "$(cpu_use "$mark" "$(cpu_mark "$me")")"
}

# Does the party the client talks to resume a TLS session the client offers? openssl s_client
# twice, the second offering the first's session (a TLS 1.3 ticket), with SNI as wrk sends it.
resumption_probe() {   # -> "yes|no|failed protocol cipher" of the second connection
  local request out
  request=$(printf 'GET /small HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$HOST")
  rm -f "$WORK/session.pem"
  # Exit statuses say nothing here: s_client fails on a close without close_notify, which
  # adbcfaultd does (docs/tls.md); the session file and the "Reused" line say what happened.
  in_c timeout 10 openssl s_client -connect "$ADDR_S:$PORT" -servername "$HOST" -CAfile "$CLIENT_CA" \
    -verify_return_error -verify_hostname "$HOST" -sess_out "$WORK/session.pem" -ign_eof \
    <<<"$request" >/dev/null 2>&1 || true
  [ -s "$WORK/session.pem" ] || { echo failed; return 0; }
  out=$(in_c timeout 10 openssl s_client -connect "$ADDR_S:$PORT" -servername "$HOST" \
    -CAfile "$CLIENT_CA" -verify_return_error -verify_hostname "$HOST" \
    -sess_in "$WORK/session.pem" -ign_eof <<<"$request" 2>/dev/null || true)
  # "Reused, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384"
  awk -F'[ ,]+' '/^(Reused|New),/ {print ($1 == "Reused" ? "yes" : "no"), $2, $NF; found = 1; exit}
    END {if (!found) print "failed"}' <<<"$out"
}

declare -A M=() CPU=() RESUMED=() PROTOCOL=()   # M[<column>_<metric>], CPU[<column>_<test>]; direct, daemon, mitm
URL="https://$HOST/small"
measure_all() {   # column
  local col=$1 out v p50 n resumed cpu
  echo "== $col: HTTPS download of 1 GiB x $REPS" >&2
  out=$(bulk)
  read -r v cpu <<<"$out"
  M[${col}_bulk]=$v CPU[${col}_bulk]=$cpu
  echo "== $col: keep-alive GET of a ${#SMALL_BODY}-byte body over TLS, wrk -t1 -c8 -d${DURATION}s" >&2
  out=$(wrk_run "$col-keepalive" 8 "$DURATION" "$URL")
  read -r v p50 n cpu <<<"$out"
  M[${col}_ka_rps]=$v M[${col}_ka_p50]=$p50 M[${col}_ka_n]=$n CPU[${col}_ka]=$cpu
  echo "== $col: the same with one connection, wrk -t1 -c1 -d${SOLO_DURATION}s" >&2
  out=$(wrk_run "$col-keepalive-c1" 1 "$SOLO_DURATION" "$URL")
  read -r v p50 n cpu <<<"$out"
  M[${col}_solo_p50]=$p50 M[${col}_solo_n]=$n
  # wrk keeps the session of a connection's last handshake and offers it on the next one
  # (SSL_clear keeps it), so these are resumed handshakes. But wrk busy-polls while a handshake
  # is pending (its socket stays registered for writability until SSL_connect succeeds), so a
  # slower handshake also costs the load generator CPU: the s_time tests below block instead.
  echo "== $col: new TLS connection per request (Connection: close), wrk -t1 -c8 -d${DURATION}s" >&2
  out=$(wrk_run "$col-close" 8 "$DURATION" "$URL" -H 'Connection: close')
  read -r v p50 n cpu <<<"$out"
  M[${col}_cc_rps]=$v M[${col}_cc_p50]=$p50 M[${col}_cc_n]=$n CPU[${col}_cc]=$cpu
  echo "== $col: new TLS connections offering a session, $STIME_CLIENTS x openssl s_time -reuse -time $DURATION (no SNI)" >&2
  out=$(stime_run "$col-reuse" reuse "$DURATION")
  read -r v n resumed cpu <<<"$out"
  M[${col}_reuse_rps]=$v M[${col}_reuse_n]=$n M[${col}_reuse_resumed]=$resumed CPU[${col}_reuse]=$cpu
  echo "== $col: $resumed of $n s_time -reuse connections resumed" >&2
  echo "== $col: full TLS handshakes, $STIME_CLIENTS x openssl s_time -new -time $DURATION (no SNI)" >&2
  out=$(stime_run "$col-new" new "$DURATION")
  read -r v n resumed cpu <<<"$out"
  M[${col}_full_rps]=$v M[${col}_full_n]=$n CPU[${col}_full]=$cpu
  read -r "RESUMED[$col]" "PROTOCOL[$col]" <<<"$(resumption_probe)"
  echo "== $col: a client's TLS session resumed: ${RESUMED[$col]} (${PROTOCOL[$col]:-})" >&2
}

# The connections a column's clients opened (at least): wrk reconnects once per response in the
# close test and s_time's connections; a few are lost at the end of each timed test.
connections_opened() {   # column
  echo $(( REPS + 8 + 1 + (${M[$1_cc_n]} + ${M[$1_reuse_n]} + ${M[$1_full_n]}) * 9 / 10 + 2 ))
}

# --profile DIR: after the measured runs (so the profiler never distorts the reported numbers),
# record adbcfaultd under the bulk, keep-alive and new-connection loads.
profile_daemon() {
  local dir=$1 what secs
  mkdir -p "$dir"
  command -v perf >/dev/null || { echo "$SELF: --profile needs perf (apt-get install linux-perf)" >&2; return 0; }
  for what in bulk keepalive close; do
    secs=$(( DURATION < 5 ? DURATION : 5 ))
    echo "== profile: perf record -g on adbcfaultd for ${secs}s during $what" >&2
    timeout $((secs + 30)) perf record -q -g -F 999 -p "$DAEMON_PID" -o "$dir/perf-$what.data" \
      -- sleep "$secs" >/dev/null 2>&1 &
    local perf_pid=$!
    case $what in
      bulk)
        # Downloads until perf is done, one after the other.
        while pid_alive "$perf_pid"; do
          client_cmd timeout 300 curl -sS --http1.1 --cacert "$CLIENT_CA" -o /dev/null "https://$HOST/big" || break
        done ;;
      keepalive) wrk_run "profile-$what" 8 $((secs + 1)) "$URL" >/dev/null ;;
      close) wrk_run "profile-$what" 8 $((secs + 1)) "$URL" -H 'Connection: close' >/dev/null ;;
    esac
    wait "$perf_pid" || true
    perf report -i "$dir/perf-$what.data" --stdio --no-children --percent-limit 1 -g none \
      >"$dir/perf-$what.txt" 2>/dev/null || true
    perf report -i "$dir/perf-$what.data" --stdio --no-children --sort dso \
      >"$dir/perf-$what-by-dso.txt" 2>/dev/null || true
  done
  echo "== profile: reports in $dir" >&2
}

started=$(date +%s)
sweep_leftovers
sweep_hosts_files
mkdir -p "$WORK"
chmod 0755 "$WORK"   # mitmproxy runs as nobody and reads the server CA below it
# A private copy: another engineer may relink build/ while the bench runs.
cp "$DAEMON" "$WORK/adbcfaultd" || die "could not copy $DAEMON"
DAEMON_BUILT=$(date -r "$DAEMON" '+%F %T')
busy=$(machine_busy)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if [ "$busy" -gt 15 ]; then
  echo "$SELF: WARNING: the machine is already ${busy}% busy before the bench (other jobs);" \
    "results will be noisy, see the 'other' CPU column" >&2
fi
echo "== namespaces $NS_C ($ADDR_C) and $NS_S ($ADDR_S, nginx HTTPS :$PORT as $HOST); $(nproc) CPUs;" \
  "pinning $($PIN && echo 'on: load on CPU 0, nginx on CPU 1' || echo off)" >&2
setup_network
if [ ! -d "$NETNS_ETC" ]; then mkdir "$NETNS_ETC"; NETNS_ETC_CREATED=true; fi
mkdir "$NETNS_DIR"
printf '127.0.0.1 localhost\n%s %s\n' "$ADDR_S" "$HOST" >"$NETNS_DIR/hosts"
make_server_certificate
start_nginx

CLIENT_CA="$WORK/pki/server-ca.pem"
measure_all direct

echo "== starting adbcfaultd in $NS_C (--intercept tcp/$PORT, --tls-intercept $HOST and $ADDR_S/32," \
  "inspecting, no scenario enabled)" >&2
start_daemon --intercept "tcp/$PORT" --tls-intercept "$HOST" --tls-intercept "$ADDR_S/32" \
  --upstream-ca "$WORK/pki/server-ca.pem"
CLIENT_CA=$(in_c "$CLI" --socket "$SOCK" ca | awk 'NR == 1 && /^# / {print $2}')
if [ -z "$CLIENT_CA" ] || [ ! -s "$CLIENT_CA" ]; then
  die "adbcfault ca did not name the daemon's CA certificate"
fi
before=$(daemon_status)
measure_all daemon
after=$(daemon_status)
journaled=$(in_c "$CLI" --socket "$SOCK" calls count --method GET 2>/dev/null || echo "?")
[ -n "$PROFILE_DIR" ] && profile_daemon "$PROFILE_DIR"
stop_daemon
delta() { echo $(( $(status_field "$after" "$1") - $(status_field "$before" "$1") )); }
d_flows=$(delta flows.total) d_tls=$(delta counters.tls_intercepted)
d_relayed=$(delta counters.tls_relayed) d_down=$(delta bytes.server_to_client)
d_fail=$(( $(delta counters.tls_client_handshake_failures) + $(delta counters.tls_upstream_failures) ))
expected=$(connections_opened daemon)
echo "== adbcfaultd counted $d_flows flows, $d_tls TLS intercepted, $d_relayed relayed untouched," \
  "$d_fail handshake failures, $d_down bytes server-to-client" >&2
if [ "$d_flows" -lt "$expected" ]; then
  die "THE adbcfaultd COLUMN DID NOT GO THROUGH THE DAEMON: it counted $d_flows new flows, expected" \
    "at least $expected; the numbers would be meaningless"
fi
if [ "$d_tls" -lt "$expected" ]; then
  die "adbcfaultd intercepted TLS on only $d_tls flows ($d_relayed relayed untouched), expected at" \
    "least $expected: the column would measure a TCP relay, not interception"
fi
if [ "$d_down" -lt $(( REPS * BIG_SIZE )) ]; then
  echo "$SELF: WARNING: adbcfaultd counted only $d_down bytes server to client" \
    "(the bulk downloads alone were $(( REPS * BIG_SIZE ))): its byte counters miss part of the traffic" >&2
fi
DAEMON_COUNTED="$d_flows flows ($d_tls TLS intercepted, $d_fail handshakes failed), $d_down bytes server to client; GET calls in the journal: $journaled (it keeps the last 100000)"

MITM_COUNTED="" MITM_VERSION=""
if $MITM; then
  MITM_VERSION=$(mitmdump --version 2>/dev/null | awk '/^Mitmproxy:/ {print $2}')
  echo "== starting mitmproxy $MITM_VERSION (mitmdump --mode transparent as nobody) in $NS_C" >&2
  start_mitmproxy
  before_m=$(redirected_to "$MITM_PORT")
  measure_all mitm
  after_m=$(redirected_to "$MITM_PORT")
  pid_alive "$PROXY_PID" || { tail -20 "$WORK/mitm.log" >&2; die "mitmdump died during the run"; }
  stop_process "$PROXY_PID" mitmdump
  PROXY_PID=""
  redirected=$(( after_m - before_m ))
  expected=$(connections_opened mitm)
  echo "== iptables redirected $redirected connections to mitmproxy" >&2
  if [ "$redirected" -lt "$expected" ]; then
    die "THE mitmproxy COLUMN DID NOT GO THROUGH mitmproxy: $redirected connections redirected," \
      "expected at least $expected"
  fi
  MITM_COUNTED="$redirected connections redirected to it"
  redirect_to_proxy del "$MITM_PORT"
fi

REFERENCE_COUNTED=""
if $REFERENCE; then
  echo "== reference: nginx as a TLS-terminating reverse proxy in $NS_C (the load redirected to it)" >&2
  start_reference_tls_proxy
  CLIENT_CA="$WORK/pki/server-ca.pem"
  before_r=$(redirected_to "$REFERENCE_PORT")
  measure_all reference
  after_r=$(redirected_to "$REFERENCE_PORT")
  stop_process "$PROXY_PID" "the reference nginx"
  PROXY_PID=""
  redirected=$(( after_r - before_r ))
  expected=$(connections_opened reference)
  if [ "$redirected" -lt "$expected" ]; then
    die "THE REFERENCE COLUMN DID NOT GO THROUGH THE nginx PROXY: $redirected connections" \
      "redirected, expected at least $expected"
  fi
  REFERENCE_COUNTED="$redirected connections redirected to it"
  redirect_to_proxy del "$REFERENCE_PORT"
fi

# ---------------------------------------------------------------------------------------------
# The table
m() { if [ -n "${M[$1]:-}" ]; then echo "${M[$1]}"; else echo -; fi; }
mi() { if [ -n "${M[$1]:-}" ]; then int "${M[$1]}"; else echo -; fi; }
r() { if [ -n "${M[$2_bulk]:-}" ]; then ratio "${M[direct_$1]}" "${M[$2_$1]}"; else echo -; fi; }   # metric, column
W=58   # label width; one more for labels holding "µ"

r_bulk=$(r bulk daemon) r_ka=$(r ka_rps daemon) r_cc=$(r cc_rps daemon)
r_reuse=$(r reuse_rps daemon) r_full=$(r full_rps daemon)
a_ka=$(added "${M[direct_ka_p50]}" "${M[daemon_ka_p50]}")
a_solo=$(added "${M[direct_solo_p50]}" "${M[daemon_solo_p50]}")
a_cc=$(added "${M[direct_cc_p50]}" "${M[daemon_cc_p50]}")
share() {   # column -> "N%" of its s_time -reuse connections resumed
  if [ -n "${M[$1_reuse_n]:-}" ]; then
    awk -v r="${M[$1_reuse_resumed]}" -v n="${M[$1_reuse_n]}" 'BEGIN {printf "%.0f%%", r * 100 / n}'
  else echo -; fi
}
echo
row metric direct adbcfaultd ratio $W mitmproxy ratio "p50 added"
row "bulk 1 GiB HTTPS download, Gbit/s (median of $REPS)" "${M[direct_bulk]}" "${M[daemon_bulk]}" \
  "$r_bulk" $W "$(m mitm_bulk)" "$(r bulk mitm)" -
row "keep-alive ${#SMALL_BODY} B GET over TLS, 8 connections, req/s" "$(int "${M[direct_ka_rps]}")" \
  "$(int "${M[daemon_ka_rps]}")" "$r_ka" $W "$(mi mitm_ka_rps)" "$(r ka_rps mitm)"
row "  p50 latency, µs" "$(int "${M[direct_ka_p50]}")" "$(int "${M[daemon_ka_p50]}")" "" $((W + 1)) \
  "$(mi mitm_ka_p50)" "" "$a_ka"
row "  p50 latency with 1 connection, µs" "$(int "${M[direct_solo_p50]}")" \
  "$(int "${M[daemon_solo_p50]}")" "" $((W + 1)) "$(mi mitm_solo_p50)" "" "$a_solo"
row "new TLS connections/s, wrk -c8 Connection: close (resumes)" "$(int "${M[direct_cc_rps]}")" \
  "$(int "${M[daemon_cc_rps]}")" "$r_cc" $W "$(mi mitm_cc_rps)" "$(r cc_rps mitm)"
row "  p50 latency, µs" "$(int "${M[direct_cc_p50]}")" "$(int "${M[daemon_cc_p50]}")" "" $((W + 1)) \
  "$(mi mitm_cc_p50)" "" "$a_cc"
row "new TLS connections/s, $STIME_CLIENTS x s_time -reuse (offers a session)" \
  "$(int "${M[direct_reuse_rps]}")" "$(int "${M[daemon_reuse_rps]}")" "$r_reuse" $W \
  "$(mi mitm_reuse_rps)" "$(r reuse_rps mitm)"
row "  sessions resumed" "$(share direct)" "$(share daemon)" "" $W "$(share mitm)"
row "new TLS connections/s, $STIME_CLIENTS x s_time -new (full handshakes)" \
  "$(int "${M[direct_full_rps]}")" "$(int "${M[daemon_full_rps]}")" "$r_full" $W \
  "$(mi mitm_full_rps)" "$(r full_rps mitm)"
echo "(ratios are to direct; 'p50 added' is adbcfaultd minus direct)"
verdict() { awk -v v="$1" -v t="$2" 'BEGIN {print (v + 0 >= t ? "met" : "MISSED")}'; }
echo "targets: bulk >= 0.6x: $(verdict "$r_bulk" 0.6) ($r_bulk); requests/s >= 0.4x: $(verdict "$r_ka" 0.4) ($r_ka);" \
  "new TLS connections/s >= 0.3x: s_time -reuse $(verdict "$r_reuse" 0.3) ($r_reuse), s_time -new" \
  "$(verdict "$r_full" 0.3) ($r_full), wrk $(verdict "$r_cc" 0.3) ($r_cc)"
echo "a client that keeps its session (s_client -sess_out, then -sess_in, with SNI) is resumed by:" \
  "direct ${RESUMED[direct]}, adbcfaultd ${RESUMED[daemon]}, mitmproxy ${RESUMED[mitm]:--}"
if $REFERENCE; then
  echo
  echo "Reference: nginx as a TLS-terminating reverse proxy (upstream connections kept alive, sessions reused; nothing recorded)"
  row metric direct "nginx proxy" ratio $W
  row "bulk 1 GiB HTTPS download, Gbit/s" "${M[direct_bulk]}" "${M[reference_bulk]}" "$(r bulk reference)" $W
  row "keep-alive requests/s, 8 connections" "$(int "${M[direct_ka_rps]}")" "$(int "${M[reference_ka_rps]}")" \
    "$(r ka_rps reference)" $W
  row "new TLS connections/s, s_time -reuse" "$(int "${M[direct_reuse_rps]}")" \
    "$(int "${M[reference_reuse_rps]}")" "$(r reuse_rps reference)" $W
  row "new TLS connections/s, s_time -new" "$(int "${M[direct_full_rps]}")" \
    "$(int "${M[reference_full_rps]}")" "$(r full_rps reference)" $W
  row "new TLS connections/s, wrk (resumes)" "$(int "${M[direct_cc_rps]}")" "$(int "${M[reference_cc_rps]}")" \
    "$(r cc_rps reference)" $W
  printf 'adbcfaultd against the nginx proxy in the same run: bulk %sx, keep-alive requests %sx, new connections %sx (s_time -reuse), %sx (s_time -new).\n' \
    "$(ratio "${M[reference_bulk]}" "${M[daemon_bulk]}")" "$(ratio "${M[reference_ka_rps]}" "${M[daemon_ka_rps]}")" \
    "$(ratio "${M[reference_reuse_rps]}" "${M[daemon_reuse_rps]}")" "$(ratio "${M[reference_full_rps]}" "${M[daemon_full_rps]}")"
fi
echo
echo "CPU use, % of one CPU ($(nproc) CPUs = $(( $(nproc) * 100 ))%): load/nginx/proxy/other/idle (softirq is charged to the process it interrupted)"
cpu_row() {
  printf '%-48s %18s %18s %18s\n' "$1" "$(cpu_cell "${CPU[direct_$2]}" direct)" \
    "$(cpu_cell "${CPU[daemon_$2]}" through)" \
    "$(if [ -n "${CPU[mitm_$2]:-}" ]; then cpu_cell "${CPU[mitm_$2]}" through; else echo -; fi)"
}
printf '%-48s %18s %18s %18s\n' "" direct adbcfaultd mitmproxy
cpu_row "  bulk download" bulk
cpu_row "  keep-alive requests, 8 connections" ka
cpu_row "  new connections, wrk (resumes)" cc
cpu_row "  new connections, s_time -reuse" reuse
cpu_row "  new connections, s_time -new (full)" full
# What the CPUs allow: at this run's cost per unit of work (all the machine's busy time: load
# generator, nginx, proxy and the rest), the rate at which the intercepted path would use every CPU.
ceiling() {   # direct rate, through rate, direct cpu, through cpu, unit, unit label
  awk -v dr="$1" -v tr="$2" -v dc="$3" -v tc="$4" -v unit="$5" -v label="$6" -v cap="$(( $(nproc) * 100 ))" 'BEGIN {
    split(dc, a, " "); split(tc, b, " ")
    dcost = (a[1] + a[2] + a[3] + a[5]) / (dr / unit); tcost = (b[1] + b[2] + b[3] + b[5]) / (tr / unit)
    dself = b[3] / (tr / unit)
    printf "  %s: direct %.1f, through adbcfaultd %.1f, the daemon itself %.1f of it (%.0f%% of a CPU, %.0f%% idle): all CPUs busy at %.2fx direct; %.2fx if the daemon cost nothing\n",
      label, dcost, tcost, dself, b[3], b[6], cap / tcost * unit / dr, cap / (tcost - dself) * unit / dr }'
}
echo "CPU per unit of work (% of one CPU, all busy time on the machine), and the ratio to direct at which the"
echo "intercepted path would keep all $(nproc) CPUs busy if that cost held at any rate:"
ceiling "${M[direct_bulk]}" "${M[daemon_bulk]}" "${CPU[direct_bulk]}" "${CPU[daemon_bulk]}" 1 "bulk, per Gbit/s"
ceiling "${M[direct_ka_rps]}" "${M[daemon_ka_rps]}" "${CPU[direct_ka]}" "${CPU[daemon_ka]}" 1000 \
  "keep-alive, per 1000 requests/s"
echo

commit=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$REPO" status --porcelain -- src 2>/dev/null)" ]; then commit="$commit (src/ has uncommitted changes)"; fi
echo "daemon: $DAEMON built $DAEMON_BUILT; repository at $commit"
echo "adbcfaultd counted: $DAEMON_COUNTED"
if $MITM; then echo "mitmproxy $MITM_VERSION: $MITM_COUNTED"; else echo "mitmproxy column $MITM_SKIPPED"; fi
if $REFERENCE; then echo "reference nginx TLS proxy: $REFERENCE_COUNTED"; fi
echo "$(openssl version | awk '{print $1, $2}'), ${PROTOCOL[direct]:-?} (direct), P-256 certificates;" \
  "wrk -t1 -c8 -d${DURATION}s (and -c1 -d${SOLO_DURATION}s); nginx 1 worker; $(nproc) CPUs shared by load, nginx and proxy;" \
  "pinning $($PIN && echo on || echo off); boost $($BOOST && echo 'on (nice -10 session)' || echo off);" \
  "machine ${busy}% busy before start (load average $load_before); $(($(date +%s) - started)) s"
echo
printf 'Summary: adbcfaultd intercepting TLS on %s shared CPUs: bulk %sx direct (%.1f vs %.1f Gbit/s), keep-alive requests %sx (p50 %s µs at 8 connections, %s µs at 1), new TLS connections %sx (s_time -reuse, %s resumed), %sx (s_time -new), %sx (wrk).' \
  "$(nproc)" "$r_bulk" "${M[daemon_bulk]}" "${M[direct_bulk]}" "$r_ka" "$a_ka" "$a_solo" "$r_reuse" \
  "$(share daemon)" "$r_full" "$r_cc"
if $MITM; then
  printf ' mitmproxy %s: bulk %sx, requests %sx, new connections %sx (s_time -reuse), %sx (s_time -new), %sx (wrk).' \
    "$MITM_VERSION" "$(r bulk mitm)" "$(r ka_rps mitm)" "$(r reuse_rps mitm)" "$(r full_rps mitm)" "$(r cc_rps mitm)"
fi
echo
