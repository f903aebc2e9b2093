#!/usr/bin/env bash
# bench/relay.sh: what adbcfaultd costs a TCP flow it relays without a fault (pass-through).
#
# One run, two throwaway network namespaces joined by a veth pair:
#   client namespace: curl and wrk (the load), and in "through" mode adbcfaultd intercepting tcp/8080
#   server namespace: nginx from a generated config, on 10.200.201.2:8080
# Each metric is measured direct (no daemon) and through adbcfaultd, in the same run, and printed as
# a table with the ratio through/direct. The "through" numbers only count if the daemon's own status
# shows the flows and bytes went through it; if not, the bench fails loudly.
#
# Usage: bench/relay.sh [--duration S] [--quick] [--reps N] [--pin] [--boost] [--reference]
#                       [--profile DIR] [--build DIR]
#   --duration S  seconds per wrk measurement (default 10)
#   --quick       --duration 3 and 3 bulk repetitions: a smoke run in about 30 s
#   --reps N      bulk downloads per mode, the median is reported (default 5)
#   --pin         pin the load generator to CPU 0 and nginx to CPU 1 (the daemon floats);
#                 off by default, see bench/README.md for when it helps
#   --boost       run in a scheduling group of its own at nice -10, so that other work on a shared
#                 machine (compilers) disturbs the numbers less; it slows that work down meanwhile
#   --reference   also measure ordinary relays in the client namespace, each the same extra hop
#                 with nothing parsed or recorded: nginx as a reverse proxy, haproxy as a TCP relay
#                 (splice on, one thread; the relay issue 2 quotes for scale), and that haproxy
#                 made transparent with the daemon's steering minus NFQUEUE (mark, policy route,
#                 TPROXY). What a user-space relay costs on this machine, to read the "through"
#                 ratios against; the haproxy columns are skipped, with a note, without haproxy
#   --profile DIR after measuring, profile the daemon under the same loads (perf record -g,
#                 strace -c) and leave the reports in DIR; the table never includes those runs
#   --build DIR   the build directory (default: the repository's build/)
# Needs root, nginx and wrk (scripts/install-bench-deps.sh installs them).
set -euo pipefail

readonly SELF=bench/relay.sh
SCRIPT=${BASH_SOURCE[0]}
REPO=$(cd "$(dirname "$SCRIPT")/.." && pwd)
# shellcheck source=bench/lib/common.sh
. "$REPO/bench/lib/common.sh"
bench_defaults
REFERENCE=false
ARGS=("$@")

while [ $# -gt 0 ]; do
  bench_option "$@"
  if [ "$TAKEN" -gt 0 ]; then shift "$TAKEN"; continue; fi
  case "$1" in
    --reference) REFERENCE=true; shift ;;
    *) echo "$SELF: unknown option $1" >&2; usage ;;
  esac
done
check_duration_and_reps "$DURATION" "$REPS"
require_root_and_tools ip nginx wrk curl python3 timeout

# --boost: see boost_session in bench/lib/common.sh.
if $BOOST; then boost_session "${ARGS[@]}"; fi

DAEMON="$BUILD/src/daemon/adbcfaultd"
CLI="$BUILD/src/cli/adbcfault"
wait_for_daemon_binary

# ---------------------------------------------------------------------------------------------
# Names. Everything this script creates carries its pid, so a leftover of a killed run can be
# told apart from one of a run still going, and swept.
readonly PREFIX=adbcf-bench
readonly NS_C="$PREFIX$$-c" NS_S="$PREFIX$$-s"
VETH_TAG=$(printf '%06x' $(($$ & 0xffffff)))
readonly VETH_C="adbcfb${VETH_TAG}c" VETH_S="adbcfb${VETH_TAG}s"   # 13 characters
readonly ADDR_C=10.200.201.1 ADDR_S=10.200.201.2 PORT=8080
WORK_ROOT=$(work_root)
readonly WORK="$WORK_ROOT/$PREFIX-$$"
readonly SOCK="$WORK/ctl.sock"

DAEMON_PID="" NGINX_PID="" PROXY_PID=""
# What the measurements aim at; the reference run points them at the proxy instead.
URL_BASE="http://$ADDR_S:$PORT" URL_CLOSE_BASE="http://$ADDR_S:$PORT"
readonly PROXY_PORT=8081 PROXY_CLOSE_PORT=8082 HAPROXY_PORT=8083 HAPROXY_TPROXY_PORT=8084
# The transparent haproxy connects upstream from a second client address, which its steering
# rules leave alone (as the daemon's bypass mark does for the daemon).
readonly ADDR_C_RELAY=10.200.201.3 STEER_MARK=0x4000 STEER_TABLE=4242

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_process "$DAEMON_PID" adbcfaultd
  stop_process "$PROXY_PID" "reference relay"
  stop_process "$NGINX_PID" nginx
  remove_namespaces_and_work
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------
start_nginx() {
  start_nginx_server "" "" "" HTTP \
    curl -fsS --noproxy '*' -o /dev/null --max-time 1 "http://$ADDR_S:$PORT/small"
}

# The reference: nginx as an ordinary reverse proxy on 127.0.0.1 in the client namespace. One port
# keeps upstream connections alive (for bulk and keep-alive requests), the other opens one
# upstream connection per request, as the daemon does in the connection-rate test.
start_reference_proxy() {
  start_reference_nginx "$WORK/proxy" "the reference nginx proxy" "" "  proxy_http_version 1.1;
  proxy_buffering off;
  upstream kept { server $ADDR_S:$PORT; keepalive 32; }
  upstream fresh { server $ADDR_S:$PORT; }
  server {
    listen 127.0.0.1:$PROXY_PORT;
    location / { proxy_pass http://kept; proxy_set_header Connection \"\"; }
  }
  server {
    listen 127.0.0.1:$PROXY_CLOSE_PORT;
    location / { proxy_pass http://fresh; }
  }" "http://127.0.0.1:$PROXY_PORT/small"
}

# The second reference: haproxy relaying TCP (no HTTP parsing, as adbcfaultd --no-inspect), one
# upstream connection per client connection, splice when it pays (option splice-auto), one thread
# like the daemon's relay thread. maxconn stays under the default open-file limit.
#   $1  "plain": listens on 127.0.0.1:HAPROXY_PORT, the load connects there;
#       "transparent": the load connects to the server's own address, and rules like the daemon's
#       (without the NFQUEUE verdict) steer it into haproxy (see steer_into_haproxy)
start_reference_haproxy() {
  local bind="127.0.0.1:$HAPROXY_PORT" source="" probe="http://127.0.0.1:$HAPROXY_PORT/small"
  if [ "$1" = transparent ]; then
    bind="127.0.0.1:$HAPROXY_TPROXY_PORT transparent" source="source $ADDR_C_RELAY"
    probe="http://$ADDR_S:$PORT/small"
  fi
  mkdir -p "$WORK/haproxy"
  cat >"$WORK/haproxy/haproxy.cfg" <<EOF
# Generated by $SELF; runs in namespace $NS_C only, as a reference TCP relay.
global
  maxconn 4000
  nbthread 1
  pidfile $WORK/haproxy/haproxy.pid
defaults
  mode tcp
  option splice-auto
  timeout connect 5s
  timeout client 120s
  timeout server 120s
listen relay
  bind $bind
  server upstream $ADDR_S:$PORT $source
EOF
  # -db: stay in the foreground, so that $! is haproxy itself and stop_process can end it.
  ip netns exec "$NS_C" haproxy -db -f "$WORK/haproxy/haproxy.cfg" >"$WORK/haproxy/haproxy.log" 2>&1 &
  PROXY_PID=$!
  wait_for_relay "$WORK/haproxy/haproxy.log" "the reference haproxy relay" "$probe"
}

# The daemon's steering without its NFQUEUE verdict, for the transparent haproxy: the rule shapes
# of iptables/adbcfault.rules.in (a new connection's SYN to the server port is marked, the mark
# is saved to the connection and restored on its later packets, routed to lo by the policy route,
# and handed to the listener by TPROXY), with a MARK where the daemon queues the SYN to its
# classifier. haproxy's own upstream connections come from ADDR_C_RELAY and are left alone, as
# the daemon's bypass mark does for the daemon's. "add" or "del".
steer_into_haproxy() {
  local m="$STEER_MARK/$STEER_MARK" chain
  if [ "$1" = add ]; then
    in_c iptables-restore --noflush <<EOF
*mangle
:ADBCF_REF_OUTPUT - [0:0]
:ADBCF_REF_POSTROUTING - [0:0]
:ADBCF_REF_PREROUTING - [0:0]
-I OUTPUT 1 -j ADBCF_REF_OUTPUT
-I POSTROUTING 1 -j ADBCF_REF_POSTROUTING
-I PREROUTING 1 -j ADBCF_REF_PREROUTING
-A ADBCF_REF_OUTPUT -s $ADDR_C_RELAY -j RETURN
-A ADBCF_REF_OUTPUT -p tcp -m multiport --ports 22 -j RETURN
-A ADBCF_REF_OUTPUT -d 127.0.0.0/8 -j RETURN
-A ADBCF_REF_OUTPUT -m connmark --mark $m -m conntrack --ctdir ORIGINAL -j MARK --set-xmark $m
-A ADBCF_REF_OUTPUT -m connmark --mark $m -j RETURN
-A ADBCF_REF_OUTPUT -p tcp -m tcp --dport $PORT --tcp-flags FIN,SYN,RST,ACK SYN -j MARK --set-xmark $m
-A ADBCF_REF_POSTROUTING -m mark --mark $m -j CONNMARK --save-mark --nfmask $STEER_MARK --ctmask $STEER_MARK
-A ADBCF_REF_PREROUTING -i lo -p tcp -m mark --mark $m -j TPROXY --on-port $HAPROXY_TPROXY_PORT --on-ip 127.0.0.1 --tproxy-mark $m
COMMIT
EOF
    in_c ip rule add fwmark "$m" lookup "$STEER_TABLE"
    in_c ip route add local 0.0.0.0/0 dev lo table "$STEER_TABLE"
  else
    in_c ip rule del fwmark "$m" lookup "$STEER_TABLE"
    in_c ip route del local 0.0.0.0/0 dev lo table "$STEER_TABLE"
    for chain in OUTPUT POSTROUTING PREROUTING; do
      in_c iptables -t mangle -D "$chain" -j "ADBCF_REF_$chain"
      in_c iptables -t mangle -F "ADBCF_REF_$chain"
      in_c iptables -t mangle -X "ADBCF_REF_$chain"
    done
  fi
}

# ---------------------------------------------------------------------------------------------
# Measurements. Each prints one line of numbers on stdout.

bulk() {   # -> "Gbit/s(median of REPS) cpu..."
  local speeds=() i line mark me=$BASHPID
  mark=$(cpu_mark "$me")
  for i in $(seq 1 "$REPS"); do
    line=$(client_cmd timeout 60 curl -sS --noproxy '*' -o /dev/null \
      -w '%{http_code} %{size_download} %{speed_download}' "$URL_BASE/big") ||
      die "bulk download $i failed"
    read -r code size speed <<<"$line"
    if [ "$code" != 200 ] || [ "$size" != "$BIG_SIZE" ]; then
      die "bulk download $i: HTTP $code, $size of $BIG_SIZE bytes"
    fi
    speeds+=("$(awk -v s="$speed" 'BEGIN {printf "%.3f", s * 8 / 1e9}')")
  done
  echo "$(echo "${speeds[*]}" | median) $(cpu_use "$mark" "$(cpu_mark "$me")")"
}

declare -A M=() CPU=()   # results: M[<mode>_<metric>], CPU[<mode>_<test>]; mode: direct, proxy, haproxy,
                          # tproxy (transparent haproxy), through, inspect
measure_all() {   # mode
  local mode=$1 out v p50 n cpu
  echo "== $mode: bulk download of 1 GiB x $REPS" >&2
  out=$(bulk)
  read -r v cpu <<<"$out"
  M[${mode}_bulk]=$v CPU[${mode}_bulk]=$cpu
  echo "== $mode: keep-alive GET of a ${#SMALL_BODY}-byte body, wrk -t1 -c8 -d${DURATION}s" >&2
  out=$(wrk_run "$mode-keepalive" 8 "$DURATION" "$URL_BASE/small")
  read -r v p50 n cpu <<<"$out"
  M[${mode}_ka_rps]=$v M[${mode}_ka_p50]=$p50 CPU[${mode}_ka]=$cpu
  # One connection, one request at a time: the latency a single client sees, without the
  # queueing that 8 connections on 2 shared CPUs add.
  echo "== $mode: the same with one connection, wrk -t1 -c1 -d${SOLO_DURATION}s" >&2
  out=$(wrk_run "$mode-keepalive-c1" 1 "$SOLO_DURATION" "$URL_BASE/small")
  read -r v p50 n cpu <<<"$out"
  M[${mode}_solo_p50]=$p50
  echo "== $mode: new connection per request (Connection: close), wrk -t1 -c8 -d${DURATION}s" >&2
  out=$(wrk_run "$mode-close" 8 "$DURATION" "$URL_CLOSE_BASE/small" -H 'Connection: close')
  read -r v p50 n cpu <<<"$out"
  M[${mode}_cc_rps]=$v M[${mode}_cc_p50]=$p50 M[${mode}_cc_n]=$n CPU[${mode}_cc]=$cpu
}

# --profile DIR: after the measured runs (so profilers never distort the reported numbers), run
# the two wrk loads once more under perf (daemon only, call graphs) and once under strace -c.
profile_daemon() {
  local dir=$1 what label args
  mkdir -p "$dir"
  for what in keepalive close; do
    label="profile-$what"; args=(8 "$DURATION" "$URL_BASE/small")
    [ "$what" = close ] && args=(8 "$DURATION" "$URL_CLOSE_BASE/small" -H 'Connection: close')
    if command -v perf >/dev/null; then
      echo "== profile: perf record on adbcfaultd during wrk ($what)" >&2
      timeout $((DURATION + 30)) perf record -q -g -F 999 -p "$DAEMON_PID" -o "$dir/perf-$what.data" \
        -- sleep "$DURATION" >/dev/null 2>&1 &
      local perf_pid=$!
      wrk_run "$label-perf" "${args[@]}" >/dev/null
      wait "$perf_pid" || true
      perf report -i "$dir/perf-$what.data" --stdio --no-children --percent-limit 1.5 -g none \
        >"$dir/perf-$what.txt" 2>/dev/null || true
      perf report -i "$dir/perf-$what.data" --stdio --no-children --sort dso \
        >"$dir/perf-$what-by-dso.txt" 2>/dev/null || true
    fi
    if command -v strace >/dev/null; then
      echo "== profile: strace -c on adbcfaultd during wrk ($what) (slows it down; counts only)" >&2
      timeout $((DURATION + 30)) strace -c -f -p "$DAEMON_PID" -o "$dir/strace-$what.txt" &
      local strace_pid=$!
      sleep 0.5
      wrk_run "$label-strace" "${args[@]}" >"$dir/strace-$what-wrk.txt"
      kill -INT "$strace_pid" 2>/dev/null || true
      wait "$strace_pid" || true
      echo "requests/s p50_us requests load% nginx% daemon% softirq%(inside the others) other% idle%" >>"$dir/strace-$what-wrk.txt"
    fi
  done
  cp "$WORK"/wrk-*.txt "$dir/" 2>/dev/null || true
  echo "== profile: reports in $dir" >&2
}

started=$(date +%s)
sweep_leftovers
mkdir -p "$WORK"
# A private copy: another engineer may relink build/ while the bench runs.
cp "$DAEMON" "$WORK/adbcfaultd" || die "could not copy $DAEMON"
DAEMON_BUILT=$(date -r "$DAEMON" '+%F %T')
busy=$(machine_busy)
if [ "$busy" -gt 15 ]; then
  echo "$SELF: WARNING: the machine is already ${busy}% busy before the bench (other jobs);" \
    "results will be noisy, see the 'other' CPU column" >&2
fi
echo "== namespaces $NS_C ($ADDR_C) and $NS_S ($ADDR_S, nginx :$PORT); $(nproc) CPUs;" \
  "pinning $($PIN && echo 'on: load on CPU 0, nginx on CPU 1' || echo off)" >&2
setup_network
start_nginx

measure_all direct

HAPROXY=false
if $REFERENCE; then
  echo "== reference: nginx as a plain reverse proxy on 127.0.0.1 in $NS_C (no interception)" >&2
  start_reference_proxy
  URL_BASE="http://127.0.0.1:$PROXY_PORT" URL_CLOSE_BASE="http://127.0.0.1:$PROXY_CLOSE_PORT"
  measure_all proxy
  stop_process "$PROXY_PID" "nginx (reference proxy)"
  PROXY_PID=""
  if command -v haproxy >/dev/null; then
    HAPROXY=true
    echo "== reference: haproxy relaying TCP on 127.0.0.1 in $NS_C (no interception)" >&2
    start_reference_haproxy plain
    URL_BASE="http://127.0.0.1:$HAPROXY_PORT" URL_CLOSE_BASE="http://127.0.0.1:$HAPROXY_PORT"
    measure_all haproxy
    stop_process "$PROXY_PID" "haproxy (reference relay)"
    PROXY_PID=""
    URL_BASE="http://$ADDR_S:$PORT" URL_CLOSE_BASE="http://$ADDR_S:$PORT"
    echo "== reference: the same haproxy, transparent: steered by mark, policy route and TPROXY" >&2
    in_c ip addr add "$ADDR_C_RELAY/24" dev "$VETH_C"
    steer_into_haproxy add
    start_reference_haproxy transparent
    measure_all tproxy
    # As for the daemon: numbers that did not go through the relay are worthless.
    steered=$(in_c iptables -t mangle -nvxL ADBCF_REF_PREROUTING | awk '/TPROXY/ {print $1}')
    if [ "${steered:-0}" -lt "${M[tproxy_cc_n]}" ]; then
      die "the transparent haproxy run was not steered into haproxy: ${steered:-0} packets went to TPROXY"
    fi
    stop_process "$PROXY_PID" "haproxy (transparent reference relay)"
    PROXY_PID=""
    steer_into_haproxy del
  else
    echo "$SELF: haproxy is not installed (scripts/install-bench-deps.sh installs it): no haproxy column" >&2
  fi
  URL_BASE="http://$ADDR_S:$PORT" URL_CLOSE_BASE="http://$ADDR_S:$PORT"
fi

# Two daemon runs: pass-through (--no-inspect: bytes relayed, nothing parsed; what issue 2's
# targets are about) and inspecting (the default: every HTTP request parsed and journaled).
check_went_through() {   # mode, status before, status after
  local flows down expected_flows expected_down
  flows=$(( $(status_field "$3" flows.total) - $(status_field "$2" flows.total) ))
  down=$(( $(status_field "$3" bytes.server_to_client) - $(status_field "$2" bytes.server_to_client) ))
  expected_flows=$(( REPS + 8 + 1 + ${M[$1_cc_n]} * 9 / 10 ))
  expected_down=$(( REPS * BIG_SIZE ))
  echo "== adbcfaultd ($1) counted $flows flows and $down bytes server-to-client" >&2
  if [ "$flows" -lt "$expected_flows" ]; then
    die "$1 MODE DID NOT GO THROUGH THE DAEMON: it counted $flows new flows, expected at least" \
      "$expected_flows; the numbers would be meaningless"
  fi
  if [ "$down" -lt "$expected_down" ]; then
    echo "$SELF: WARNING: adbcfaultd ($1) counted only $down bytes server to client" \
      "(the bulk downloads alone were $expected_down): its byte counters miss part of the traffic" >&2
  fi
  COUNTED[$1]="$flows flows, $down bytes"
}
declare -A COUNTED=()

echo "== starting adbcfaultd --no-inspect in $NS_C (--intercept tcp/$PORT, no scenario enabled)" >&2
start_daemon --intercept "tcp/$PORT" --no-inspect
before=$(daemon_status)
measure_all through
after=$(daemon_status)
[ -n "$PROFILE_DIR" ] && profile_daemon "$PROFILE_DIR"
stop_daemon
check_went_through through "$before" "$after"

echo "== starting adbcfaultd (inspecting HTTP, journaling every request) in $NS_C" >&2
start_daemon --intercept "tcp/$PORT"
before=$(daemon_status)
measure_all inspect
after=$(daemon_status)
journaled=$("$BUILD/src/cli/adbcfault" --socket "$SOCK" calls count --method GET 2>/dev/null || echo "?")
stop_daemon
check_went_through inspect "$before" "$after"

r_bulk=$(ratio "${M[direct_bulk]}" "${M[through_bulk]}")
r_ka=$(ratio "${M[direct_ka_rps]}" "${M[through_ka_rps]}")
r_cc=$(ratio "${M[direct_cc_rps]}" "${M[through_cc_rps]}")
a_ka=$(added "${M[direct_ka_p50]}" "${M[through_ka_p50]}")
a_cc=$(added "${M[direct_cc_p50]}" "${M[through_cc_p50]}")
a_solo=$(added "${M[direct_solo_p50]}" "${M[through_solo_p50]}")
i_bulk=$(ratio "${M[direct_bulk]}" "${M[inspect_bulk]}")
i_bulk_pt=$(ratio "${M[through_bulk]}" "${M[inspect_bulk]}")
i_ka=$(ratio "${M[direct_ka_rps]}" "${M[inspect_ka_rps]}")
i_cc=$(ratio "${M[direct_cc_rps]}" "${M[inspect_cc_rps]}")
i_solo=$(added "${M[direct_solo_p50]}" "${M[inspect_solo_p50]}")

echo
row metric direct "pass-thru" ratio 48 inspect ratio "p50 added"
row "bulk 1 GiB download, Gbit/s (median of $REPS)" "${M[direct_bulk]}" "${M[through_bulk]}" "$r_bulk" 48 \
  "${M[inspect_bulk]}" "$i_bulk" -
row "keep-alive ${#SMALL_BODY} B GET, 8 connections, req/s" "$(int "${M[direct_ka_rps]}")" \
  "$(int "${M[through_ka_rps]}")" "$r_ka" 48 "$(int "${M[inspect_ka_rps]}")" "$i_ka"
row "  p50 latency, µs" "$(int "${M[direct_ka_p50]}")" "$(int "${M[through_ka_p50]}")" "" 49 \
  "$(int "${M[inspect_ka_p50]}")" "" "$a_ka"
row "  p50 latency with 1 connection, µs" "$(int "${M[direct_solo_p50]}")" \
  "$(int "${M[through_solo_p50]}")" "" 49 "$(int "${M[inspect_solo_p50]}")" "" "$a_solo"
row "new connections (Connection: close), conn/s" "$(int "${M[direct_cc_rps]}")" \
  "$(int "${M[through_cc_rps]}")" "$r_cc" 48 "$(int "${M[inspect_cc_rps]}")" "$i_cc"
row "  p50 latency, µs" "$(int "${M[direct_cc_p50]}")" "$(int "${M[through_cc_p50]}")" "" 49 \
  "$(int "${M[inspect_cc_p50]}")" "" "$a_cc"
echo "(ratios are to direct; 'p50 added' is pass-through minus direct; inspecting bulk is ${i_bulk_pt}x pass-through)"
echo
echo "CPU use, % of one CPU ($(nproc) CPUs = $(( $(nproc) * 100 ))%): load/nginx/adbcfaultd/other/idle (softirq is charged to the process it interrupted)"
cpu_row() { printf '%-48s %18s %18s\n' "$1" "$(cpu_cell "$2" direct)" "$(cpu_cell "$3" through)"; }
printf '%-48s %18s %18s\n' "" direct through
cpu_row "  bulk download" "${CPU[direct_bulk]}" "${CPU[through_bulk]}"
cpu_row "  keep-alive requests, 8 connections" "${CPU[direct_ka]}" "${CPU[through_ka]}"
cpu_row "  new connections" "${CPU[direct_cc]}" "${CPU[through_cc]}"
if $REFERENCE; then
  # One column per reference relay measured: nginx always, haproxy when installed.
  refs=(proxy) names=("nginx proxy")
  if $HAPROXY; then refs+=(haproxy tproxy); names+=(haproxy "haproxy TPROXY"); fi
  ref_row() {   # label, metric key, "int" or "", p50 key or "", "noratio" for a latency row
    local cells=() k v r
    for k in "${refs[@]}"; do
      v=${M[${k}_$2]}; [ "$3" = int ] && v=$(int "$v")
      r=$(ratio "${M[direct_$2]}" "${M[${k}_$2]}"); [ "${5:-}" = noratio ] && r=-
      cells+=("$v" "$r")
      [ -n "$4" ] && cells+=("$(added "${M[direct_$4]}" "${M[${k}_$4]}")") || cells+=(-)
    done
    local direct=${M[direct_$2]}; [ "$3" = int ] && direct=$(int "$direct")
    printf '%-40s %10s' "$1" "$direct"; printf ' %10s %6s %6s' "${cells[@]}"; echo
  }
  echo
  echo "Reference relays: the same extra hop, nothing parsed or recorded (ratio to direct, p50 added in µs);"
  echo "'haproxy TPROXY' is haproxy steered by the daemon's rules, with a MARK for the NFQUEUE verdict"
  printf '%-40s %10s' metric direct; for n in "${names[@]}"; do printf ' %10s %6s %6s' "$n" ratio "+p50"; done; echo
  ref_row "bulk 1 GiB download, Gbit/s" bulk "" ""
  ref_row "keep-alive requests/s, 8 connections" ka_rps int ka_p50
  ref_row "  p50 latency with 1 connection, µs" solo_p50 int solo_p50 noratio
  ref_row "new connections/s" cc_rps int cc_p50
  printf '%-40s %18s' "CPU (load/nginx/relay/other/idle)" direct; for n in "${names[@]}"; do printf ' %24s' "$n"; done; echo
  for t in bulk ka cc; do
    printf '%-40s %18s' "  $t" "$(cpu_cell "${CPU[direct_$t]}" direct)"
    for k in "${refs[@]}"; do printf ' %24s' "$(cpu_cell "${CPU[${k}_$t]}" through)"; done; echo
  done
  if $HAPROXY; then
    for k in haproxy tproxy; do
      printf 'Pass-through against %s in the same run: bulk %sx, keep-alive requests %sx, new connections %sx.\n' \
        "$([ $k = haproxy ] && echo haproxy || echo 'transparent haproxy')" \
        "$(ratio "${M[${k}_bulk]}" "${M[through_bulk]}")" "$(ratio "${M[${k}_ka_rps]}" "${M[through_ka_rps]}")" \
        "$(ratio "${M[${k}_cc_rps]}" "${M[through_cc_rps]}")"
    done
  fi
fi
echo

commit=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
echo "daemon: $DAEMON built $DAEMON_BUILT; repository at $commit"
echo "daemon counters: pass-through ${COUNTED[through]}; inspecting ${COUNTED[inspect]}, $journaled GET calls journaled"
echo "wrk -t1 -c8 -d${DURATION}s (and -c1 -d${SOLO_DURATION}s); nginx 1 worker; $(nproc) CPUs shared by load, nginx and daemon;" \
  "pinning $($PIN && echo on || echo off); boost $($BOOST && echo 'on (nice -10 session)' || echo off);" \
  "machine ${busy}% busy before start; $(($(date +%s) - started)) s"
echo
printf 'Summary: adbcfaultd on %s shared CPUs, pass-through: bulk %sx direct (%.1f vs %.1f Gbit/s), keep-alive requests %sx (p50 %s µs at 8 connections, %s µs at 1), new connections %sx; inspecting HTTP: bulk %sx direct (%sx pass-through), requests %sx (p50 %s µs at 1), connections %sx.\n' \
  "$(nproc)" "$r_bulk" "${M[through_bulk]}" "${M[direct_bulk]}" "$r_ka" "$a_ka" "$a_solo" "$r_cc" \
  "$i_bulk" "$i_bulk_pt" "$i_ka" "$i_solo" "$i_cc"
