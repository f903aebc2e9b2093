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
#   --reference   also measure nginx as a plain reverse proxy in the client namespace (the same
#                 extra hop, no interception, nothing parsed or recorded): what any user-space
#                 relay costs on this machine, to read the "through" ratios against
#   --profile DIR after measuring, profile the daemon under the same loads (perf record -g,
#                 strace -c) and leave the reports in DIR; the table never includes those runs
#   --build DIR   the build directory (default: the repository's build/)
# Needs root, nginx and wrk (scripts/install-bench-deps.sh installs them).
set -euo pipefail

readonly SELF=bench/relay.sh
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD="$REPO/build"
DURATION=10
REPS=5
PIN=false
BOOST=false
REFERENCE=false
PROFILE_DIR=""
ARGS=("$@")

die() { echo "$SELF: $*" >&2; exit 1; }
usage() { awk '/^# Usage:/ {on = 1} on && !/^#/ {exit} on {sub(/^# ?/, ""); print}' "${BASH_SOURCE[0]}" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --duration) [ $# -ge 2 ] || usage; DURATION=$2; shift 2 ;;
    --quick) DURATION=3; REPS=3; shift ;;
    --reps) [ $# -ge 2 ] || usage; REPS=$2; shift 2 ;;
    --pin) PIN=true; shift ;;
    --boost) BOOST=true; shift ;;
    --reference) REFERENCE=true; shift ;;
    --profile) [ $# -ge 2 ] || usage; PROFILE_DIR=$(realpath -m "$2"); shift 2 ;;
    --build) [ $# -ge 2 ] || usage; BUILD=$2; shift 2 ;;
    -h|--help) usage ;;
    *) echo "$SELF: unknown option $1" >&2; usage ;;
  esac
done
if ! [[ "$DURATION" =~ ^[0-9]+$ ]] || [ "$DURATION" -lt 1 ] || [ "$DURATION" -gt 60 ]; then
  die "--duration must be 1..60 seconds (got $DURATION)"
fi
SOLO_DURATION=$(( DURATION < 5 ? DURATION : 5 ))
if ! [[ "$REPS" =~ ^[0-9]+$ ]] || [ "$REPS" -lt 1 ] || [ "$REPS" -gt 15 ]; then
  die "--reps must be 1..15 (got $REPS)"
fi

[ "$(id -u)" -eq 0 ] || die "must run as root (it creates network namespaces); try: sudo $0"
missing=()
for tool in ip nginx wrk curl python3 timeout; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  die "missing: ${missing[*]}; install them with: sudo scripts/install-bench-deps.sh"
fi
if $PIN; then command -v taskset >/dev/null || die "--pin needs taskset (util-linux)"; fi

# --boost: the scheduler shares CPUs fairly between sessions (autogroups) before it looks at nice
# values, so the bench re-runs itself in a new session and raises that session's weight. Ctrl-C
# reaches only this parent, which passes it on as SIGTERM to the new session's process group, so
# the child stops its load generator at once and still cleans up.
if $BOOST && [ "${ADBCF_BENCH_IN_SESSION:-}" != "$$" ]; then
  command -v setsid >/dev/null || die "--boost needs setsid (util-linux)"
  [ -w /proc/self/autogroup ] || die "--boost needs scheduler autogroups (/proc/self/autogroup)"
  # The child checks its own pid against this, so a stale variable in the environment cannot match.
  bash -c 'export ADBCF_BENCH_IN_SESSION=$$; exec setsid "$0" "$@"' "${BASH_SOURCE[0]}" "${ARGS[@]}" &
  child=$!
  trap 'kill -TERM -- -"$child" 2>/dev/null' INT TERM   # its whole process group, as Ctrl-C would
  rc=0
  for _ in $(seq 1 1000); do   # one turn per signal received, normally one in all
    rc=0; wait "$child" || rc=$?
    kill -0 "$child" 2>/dev/null || break
  done
  exit "$rc"
fi
if $BOOST; then
  echo -10 >/proc/self/autogroup || die "could not raise the priority of the bench's session"
fi

DAEMON="$BUILD/src/daemon/adbcfaultd"
CLI="$BUILD/src/cli/adbcfault"
# Someone may be relinking the daemon right now: give it a few seconds to reappear.
for _ in $(seq 1 30); do [ -x "$DAEMON" ] && break; sleep 1; done
[ -x "$DAEMON" ] || die "no daemon at $DAEMON; build it: make -C $BUILD -j2 adbcfaultd"

# ---------------------------------------------------------------------------------------------
# Names. Everything this script creates carries its pid, so a leftover of a killed run can be
# told apart from one of a run still going, and swept.
readonly PREFIX=adbcf-bench
readonly NS_C="$PREFIX$$-c" NS_S="$PREFIX$$-s"
VETH_TAG=$(printf '%06x' $(($$ & 0xffffff)))
readonly VETH_C="adbcfb${VETH_TAG}c" VETH_S="adbcfb${VETH_TAG}s"   # 13 characters
readonly ADDR_C=10.200.201.1 ADDR_S=10.200.201.2 PORT=8080
if [ -d /dev/shm ] && [ -w /dev/shm ]; then WORK_ROOT=/dev/shm; else WORK_ROOT=/tmp; fi
readonly WORK="$WORK_ROOT/$PREFIX-$$"
readonly SOCK="$WORK/ctl.sock"
readonly BIG_SIZE=$((1 << 30))
SMALL_BODY=$(printf 'adbcfault-bench-%.0s' $(seq 1 20) | head -c 300)
readonly SMALL_BODY

DAEMON_PID="" NGINX_PID="" PROXY_PID=""
# What the measurements aim at; the reference run points them at the proxy instead.
URL_BASE="http://$ADDR_S:$PORT" URL_CLOSE_BASE="http://$ADDR_S:$PORT"
readonly PROXY_PORT=8081 PROXY_CLOSE_PORT=8082

pid_alive() { kill -0 "$1" 2>/dev/null; }

kill_namespace_processes() {
  local ns=$1 pid
  for _ in $(seq 1 50); do
    local pids
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [ -z "$pids" ] && return 0
    for pid in $pids; do kill -KILL "$pid" 2>/dev/null || true; done
    sleep 0.1
  done
}

stop_process() {   # pid, name: SIGTERM, then SIGKILL after 5 s
  local pid=$1 name=$2
  [ -n "$pid" ] && pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do pid_alive "$pid" || break; sleep 0.1; done
  if pid_alive "$pid"; then
    echo "$SELF: $name (pid $pid) ignored SIGTERM for 5 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

sweep_leftovers() {
  local ns pid dir
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
    if [[ "$ns" =~ ^$PREFIX([0-9]+)-[cs]$ ]]; then
      pid=${BASH_REMATCH[1]}
      if [ "$pid" != "$$" ] && ! pid_alive "$pid"; then
        echo "$SELF: removing leftover namespace $ns" >&2
        kill_namespace_processes "$ns"
        ip netns del "$ns" 2>/dev/null || true
      fi
    fi
  done
  for dir in /dev/shm/"$PREFIX"-* /tmp/"$PREFIX"-*; do
    [ -d "$dir" ] || continue
    pid=${dir##*-}
    if [[ "$pid" =~ ^[0-9]+$ ]] && [ "$pid" != "$$" ] && ! pid_alive "$pid"; then rm -rf "$dir"; fi
  done
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_process "$DAEMON_PID" adbcfaultd
  stop_process "$PROXY_PID" "nginx (reference proxy)"
  stop_process "$NGINX_PID" nginx
  for ns in "$NS_C" "$NS_S"; do
    if ip netns list | awk '{print $1}' | grep -qx "$ns"; then
      kill_namespace_processes "$ns"
      ip netns del "$ns" 2>/dev/null || echo "$SELF: could not delete namespace $ns" >&2
    fi
  done
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

in_c() { ip netns exec "$NS_C" "$@"; }
in_s() { ip netns exec "$NS_S" "$@"; }
client_cmd() { if $PIN; then in_c taskset -c 0 "$@"; else in_c "$@"; fi; }

# ---------------------------------------------------------------------------------------------
setup_network() {
  ip netns add "$NS_C"
  ip netns add "$NS_S"
  ip -n "$NS_C" link set lo up
  ip -n "$NS_S" link set lo up
  ip -n "$NS_C" link add "$VETH_C" type veth peer name "$VETH_S" netns "$NS_S"
  ip -n "$NS_C" addr add "$ADDR_C/24" dev "$VETH_C"
  ip -n "$NS_S" addr add "$ADDR_S/24" dev "$VETH_S"
  ip -n "$NS_C" link set "$VETH_C" up
  ip -n "$NS_S" link set "$VETH_S" up
  # The connection-rate test opens tens of thousands of short connections from one address.
  in_c sysctl -qw net.ipv4.ip_local_port_range="10000 65000" net.ipv4.tcp_tw_reuse=1
  in_s sysctl -qw net.core.somaxconn=4096 net.ipv4.tcp_max_syn_backlog=4096
}

start_nginx() {
  mkdir -p "$WORK/www" "$WORK/nginx-tmp"
  truncate -s "$BIG_SIZE" "$WORK/www/big"   # sparse: costs no memory on tmpfs, reads as zeros
  cat >"$WORK/nginx.conf" <<EOF
# Generated by $SELF; runs in namespace $NS_S only.
daemon off;
master_process on;
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_requests 100000000;
  keepalive_timeout 120s;
  client_body_temp_path $WORK/nginx-tmp/body;
  default_type application/octet-stream;
  server {
    listen $ADDR_S:$PORT backlog=4096;
    root $WORK/www;
    location = /small { default_type text/plain; return 200 "$SMALL_BODY"; }
  }
}
EOF
  local run=(nginx -p "$WORK/" -c "$WORK/nginx.conf" -e "$WORK/nginx-error.log")
  if $PIN; then run=(taskset -c 1 "${run[@]}"); fi
  # Not through in_s: a backgrounded function would be a subshell, and $! its pid, not nginx's.
  ip netns exec "$NS_S" "${run[@]}" &
  NGINX_PID=$!
  for _ in $(seq 1 50); do
    if in_c curl -fsS --noproxy '*' -o /dev/null --max-time 1 "http://$ADDR_S:$PORT/small" 2>/dev/null; then
      return 0
    fi
    pid_alive "$NGINX_PID" || break
    sleep 0.1
  done
  cat "$WORK/nginx-error.log" >&2 2>/dev/null || true
  die "nginx did not start in namespace $NS_S"
}

# The reference: nginx as an ordinary reverse proxy on 127.0.0.1 in the client namespace. One port
# keeps upstream connections alive (for bulk and keep-alive requests), the other opens one
# upstream connection per request, as the daemon does in the connection-rate test.
start_reference_proxy() {
  mkdir -p "$WORK/proxy"
  cat >"$WORK/proxy/nginx.conf" <<EOF
# Generated by $SELF; runs in namespace $NS_C only, as a reference reverse proxy.
daemon off;
master_process on;
worker_processes 1;
pid $WORK/proxy/nginx.pid;
error_log $WORK/proxy/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  tcp_nodelay on;
  keepalive_requests 100000000;
  keepalive_timeout 120s;
  client_body_temp_path $WORK/proxy/body;
  proxy_temp_path $WORK/proxy/proxy;
  proxy_http_version 1.1;
  proxy_buffering off;
  upstream kept { server $ADDR_S:$PORT; keepalive 32; }
  upstream fresh { server $ADDR_S:$PORT; }
  server {
    listen 127.0.0.1:$PROXY_PORT;
    location / { proxy_pass http://kept; proxy_set_header Connection ""; }
  }
  server {
    listen 127.0.0.1:$PROXY_CLOSE_PORT;
    location / { proxy_pass http://fresh; }
  }
}
EOF
  ip netns exec "$NS_C" nginx -p "$WORK/proxy/" -c "$WORK/proxy/nginx.conf" -e "$WORK/proxy/error.log" &
  PROXY_PID=$!
  for _ in $(seq 1 50); do
    if in_c curl -fsS --noproxy '*' -o /dev/null --max-time 1 "http://127.0.0.1:$PROXY_PORT/small" 2>/dev/null; then
      return 0
    fi
    pid_alive "$PROXY_PID" || break
    sleep 0.1
  done
  cat "$WORK/proxy/error.log" >&2 2>/dev/null || true
  die "the reference nginx proxy did not start in namespace $NS_C"
}

# The daemon's status as one JSON object (the "result" part). The adbcfault CLI if it answers
# with JSON, else a raw request on the control socket.
daemon_status() {
  local out=""
  if [ -x "$CLI" ]; then
    out=$(in_c timeout 5 "$CLI" --socket "$SOCK" --json status 2>/dev/null || true)
  fi
  in_c python3 - "$SOCK" "$out" <<'PY'
import json, socket, sys
sock, cli_out = sys.argv[1], sys.argv[2]
def pick(obj):
    if isinstance(obj, dict) and isinstance(obj.get("result"), dict):
        obj = obj["result"]
    return obj if isinstance(obj, dict) and "flows" in obj else None
try:
    found = pick(json.loads(cli_out))
except ValueError:
    found = None
if found is None:
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(5)
    s.connect(sock)
    s.sendall(b'{"v":1,"op":"status"}\n')
    buf = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        buf += chunk
        try:
            reply = json.loads(buf)
            break
        except ValueError:
            continue
    reply = json.loads(buf)
    if not reply.get("ok"):
        sys.exit("status request failed: %s" % buf.decode(errors="replace"))
    found = pick(reply)
    if found is None:
        sys.exit("status reply has no flows: %s" % buf.decode(errors="replace"))
print(json.dumps(found))
PY
}

status_field() {   # json, dotted path
  python3 -c 'import json,sys
v=json.loads(sys.argv[1])
for k in sys.argv[2].split("."): v=v[k]
print(v)' "$1" "$2"
}

start_daemon() {
  # Its own state directory: nothing of the bench lands in /var/lib/adbcfault.
  mkdir -p "$WORK/state"
  ip netns exec "$NS_C" "$WORK/adbcfaultd" --socket "$SOCK" --state-dir "$WORK/state" \
    --intercept "tcp/$PORT" "$@" 2>"$WORK/daemon.log" &
  DAEMON_PID=$!
  for _ in $(seq 1 100); do
    if ! pid_alive "$DAEMON_PID"; then
      cat "$WORK/daemon.log" >&2
      die "adbcfaultd exited during start-up (log above)"
    fi
    if [ -S "$SOCK" ] && daemon_status >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  cat "$WORK/daemon.log" >&2
  die "adbcfaultd did not answer on $SOCK within 10 s"
}

stop_daemon() {
  local pid=$DAEMON_PID rc=0
  DAEMON_PID=""
  kill -TERM "$pid"
  for _ in $(seq 1 100); do pid_alive "$pid" || break; sleep 0.1; done
  pid_alive "$pid" && { kill -KILL "$pid"; die "adbcfaultd did not stop within 10 s of SIGTERM"; }
  wait "$pid" || rc=$?
  [ "$rc" -eq 0 ] || { tail -20 "$WORK/daemon.log" >&2; die "adbcfaultd exited $rc on SIGTERM"; }
}

# ---------------------------------------------------------------------------------------------
# Measurements. Each prints one line of numbers on stdout.

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# CPU accounting, so a result can be explained: ticks used by the load generator (children of
# this shell, once waited for), by nginx (every process in the server namespace), by the daemon,
# by softirq (most of the TCP/IP work of both hops, charged to no process), and by everything else
# on the machine ("other": other people's builds, steal time of the VM).
cpu_mark() {   # pid of the shell whose children are the load generator
  local ns_ticks=0 pid d_ticks=0
  for pid in $(ip netns pids "$NS_S" 2>/dev/null); do
    ns_ticks=$((ns_ticks + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  # The middle column: the daemon, or in the reference run the proxy (every process in the
  # client namespace: the load generator is not running at a mark).
  if [ -n "$DAEMON_PID" ]; then d_ticks=$(awk '{print $14 + $15}' "/proc/$DAEMON_PID/stat" 2>/dev/null || echo 0); fi
  if [ -n "$PROXY_PID" ]; then
    for pid in $(ip netns pids "$NS_C" 2>/dev/null); do
      d_ticks=$((d_ticks + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
    done
  fi
  # /proc/stat cpu: user nice system idle iowait irq softirq steal
  echo "$(awk '{print $16 + $17}' "/proc/$1/stat") $ns_ticks $d_ticks" \
    "$(awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9, $7 + $8}' /proc/stat)"
}
cpu_use() {   # mark-before, mark-after -> "load nginx daemon softirq other" in % of one CPU
  awk -v a="$1" -v b="$2" -v n="$(nproc)" 'BEGIN {
    split(a, x, " "); split(b, y, " ")
    wall = (y[5] - x[5]) / n   # ticks of one CPU that passed
    if (wall <= 0) wall = 1
    l = (y[1] - x[1]) * 100 / wall; g = (y[2] - x[2]) * 100 / wall; d = (y[3] - x[3]) * 100 / wall
    si = (y[6] - x[6]) * 100 / wall
    busy = (y[4] - x[4]) * 100 / wall; o = busy - l - g - d - si; if (o < 0) o = 0
    printf "%.0f %.0f %.0f %.0f %.0f", l, g, d, si, o }'
}

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

to_us() {   # wrk latency such as 85.00us, 1.23ms, 1.01s -> microseconds
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) print n; else if (v ~ /ms$/) print n * 1000; else if (v ~ /s$/) print n * 1e6;
    else print n }'
}

wrk_run() {   # label, connections, seconds, extra wrk args... -> "requests/s p50_us requests cpu..."
  local label=$1 conns=$2 secs=$3 out rps p50 requests errors mark me=$BASHPID url="$URL_BASE/small"
  shift 3
  if [ "${1:-}" = -H ]; then url="$URL_CLOSE_BASE/small"; fi
  mark=$(cpu_mark "$me")
  out=$(client_cmd timeout $((secs + 20)) wrk -t1 -c"$conns" -d"${secs}s" --latency "$@" \
    "$url" 2>&1) || { echo "$out" >&2; die "wrk ($label) failed"; }
  echo "$out" >"$WORK/wrk-$label.txt"
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  if [ -z "$rps" ] || [ -z "$p50" ] || [ -z "$requests" ]; then
    echo "$out" >&2
    die "cannot read wrk output ($label)"
  fi
  errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" || true)
  if [ -n "$errors" ]; then
    echo "$SELF: wrk ($label) reported errors: $errors" >&2
    # A handful of connect errors under a connection storm are noise; many are a broken run.
    local bad
    bad=$(awk '/Non-2xx/ {s += $NF} /Socket errors/ {gsub(",", ""); s += $4 + $6 + $8 + $10} END {print s + 0}' <<<"$out")
    [ "$bad" -le $((requests / 100)) ] || die "wrk ($label): $bad errors in $requests requests"
  fi
  echo "$rps $(to_us "$p50") $requests $(cpu_use "$mark" "$(cpu_mark "$me")")"
}

declare -A M=() CPU=()   # results: M[<mode>_<metric>], CPU[<mode>_<test>]; mode: direct, proxy, through
measure_all() {   # mode
  local mode=$1 out v p50 n cpu
  echo "== $mode: bulk download of 1 GiB x $REPS" >&2
  out=$(bulk)
  read -r v cpu <<<"$out"
  M[${mode}_bulk]=$v CPU[${mode}_bulk]=$cpu
  echo "== $mode: keep-alive GET of a ${#SMALL_BODY}-byte body, wrk -t1 -c8 -d${DURATION}s" >&2
  out=$(wrk_run "$mode-keepalive" 8 "$DURATION")
  read -r v p50 n cpu <<<"$out"
  M[${mode}_ka_rps]=$v M[${mode}_ka_p50]=$p50 CPU[${mode}_ka]=$cpu
  # One connection, one request at a time: the latency a single client sees, without the
  # queueing that 8 connections on 2 shared CPUs add.
  echo "== $mode: the same with one connection, wrk -t1 -c1 -d${SOLO_DURATION}s" >&2
  out=$(wrk_run "$mode-keepalive-c1" 1 "$SOLO_DURATION")
  read -r v p50 n cpu <<<"$out"
  M[${mode}_solo_p50]=$p50
  echo "== $mode: new connection per request (Connection: close), wrk -t1 -c8 -d${DURATION}s" >&2
  out=$(wrk_run "$mode-close" 8 "$DURATION" -H 'Connection: close')
  read -r v p50 n cpu <<<"$out"
  M[${mode}_cc_rps]=$v M[${mode}_cc_p50]=$p50 M[${mode}_cc_n]=$n CPU[${mode}_cc]=$cpu
}

# ---------------------------------------------------------------------------------------------
# Before anything: is someone else using the CPUs? The numbers are only comparable on an idle box.
machine_busy() {   # % of all CPUs busy over one second
  local a b
  a=$(awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat)
  sleep 1
  b=$(awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN {split(a, x, " "); split(b, y, " "); printf "%.0f", (y[1] - x[1]) * 100 / (y[2] - x[2] + 1e-9)}'
}

# --profile DIR: after the measured runs (so profilers never distort the reported numbers), run
# the two wrk loads once more under perf (daemon only, call graphs) and once under strace -c.
profile_daemon() {
  local dir=$1 what label args
  mkdir -p "$dir"
  for what in keepalive close; do
    label="profile-$what"; args=(8 "$DURATION")
    [ "$what" = close ] && args+=(-H 'Connection: close')
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
      echo "requests/s p50_us requests load% nginx% daemon% softirq% other%" >>"$dir/strace-$what-wrk.txt"
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

if $REFERENCE; then
  echo "== reference: nginx as a plain reverse proxy on 127.0.0.1 in $NS_C (no interception)" >&2
  start_reference_proxy
  URL_BASE="http://127.0.0.1:$PROXY_PORT" URL_CLOSE_BASE="http://127.0.0.1:$PROXY_CLOSE_PORT"
  measure_all proxy
  stop_process "$PROXY_PID" "nginx (reference proxy)"
  PROXY_PID=""
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
start_daemon --no-inspect
before=$(daemon_status)
measure_all through
after=$(daemon_status)
[ -n "$PROFILE_DIR" ] && profile_daemon "$PROFILE_DIR"
stop_daemon
check_went_through through "$before" "$after"

echo "== starting adbcfaultd (inspecting HTTP, journaling every request) in $NS_C" >&2
start_daemon
before=$(daemon_status)
measure_all inspect
after=$(daemon_status)
journaled=$("$BUILD/src/cli/adbcfault" --socket "$SOCK" calls count --method GET 2>/dev/null || echo "?")
stop_daemon
check_went_through inspect "$before" "$after"

ratio() { awk -v t="$2" -v d="$1" 'BEGIN {printf "%.2f", (d > 0 ? t / d : 0)}'; }
added() { awk -v t="$2" -v d="$1" 'BEGIN {printf "%+.0f", t - d}'; }
cpu_cell() { read -r l g d si o <<<"$1"; if [ "$2" = direct ]; then d=-; fi; echo "$l/$g/$d/$si/$o"; }

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

# printf pads by bytes and "µ" is two, so labels holding it get one more column.
row() { printf "%-${5:-48}s %10s %10s %6s %10s %6s %10s\n" "$1" "$2" "$3" "$4" "${6:-}" "${7:-}" "${8:-}"; }
int() { printf %.0f "$1"; }
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
echo "CPU use, % of one CPU ($(nproc) CPUs = $(( $(nproc) * 100 ))%): load/nginx/adbcfaultd/softirq/other"
cpu_row() { printf '%-48s %18s %18s\n' "$1" "$(cpu_cell "$2" direct)" "$(cpu_cell "$3" through)"; }
printf '%-48s %18s %18s\n' "" direct through
cpu_row "  bulk download" "${CPU[direct_bulk]}" "${CPU[through_bulk]}"
cpu_row "  keep-alive requests, 8 connections" "${CPU[direct_ka]}" "${CPU[through_ka]}"
cpu_row "  new connections" "${CPU[direct_cc]}" "${CPU[through_cc]}"
if $REFERENCE; then
  echo
  echo "Reference: nginx as a plain reverse proxy (the same extra hop; no interception, nothing parsed or recorded)"
  row metric direct "nginx proxy" ratio 48 "p50 added (µs)"
  row "bulk 1 GiB download, Gbit/s" "${M[direct_bulk]}" "${M[proxy_bulk]}" "$(ratio "${M[direct_bulk]}" "${M[proxy_bulk]}")" 48 -
  row "keep-alive requests/s, 8 connections" "$(printf %.0f "${M[direct_ka_rps]}")" \
    "$(printf %.0f "${M[proxy_ka_rps]}")" "$(ratio "${M[direct_ka_rps]}" "${M[proxy_ka_rps]}")" 48 \
    "$(added "${M[direct_ka_p50]}" "${M[proxy_ka_p50]}")"
  row "  p50 latency with 1 connection, µs" "$(printf %.0f "${M[direct_solo_p50]}")" \
    "$(printf %.0f "${M[proxy_solo_p50]}")" "" 49 "$(added "${M[direct_solo_p50]}" "${M[proxy_solo_p50]}")"
  row "new connections/s" "$(printf %.0f "${M[direct_cc_rps]}")" "$(printf %.0f "${M[proxy_cc_rps]}")" \
    "$(ratio "${M[direct_cc_rps]}" "${M[proxy_cc_rps]}")" 48 "$(added "${M[direct_cc_p50]}" "${M[proxy_cc_p50]}")"
  printf '%-48s %18s %18s\n' "CPU (load/nginx/proxy/softirq/other)" direct "nginx proxy"
  cpu_row "  keep-alive requests, 8 connections" "${CPU[direct_ka]}" "${CPU[proxy_ka]}"
  cpu_row "  new connections" "${CPU[direct_cc]}" "${CPU[proxy_cc]}"
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
