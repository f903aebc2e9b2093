# shellcheck shell=bash
# bench/lib/common.sh: what bench/relay.sh and bench/tls.sh share. Sourced, never run.
#
# The sourcing script sets, before calling these functions:
#   SELF            its name in messages (bench/relay.sh)
#   SCRIPT          its own path (for usage and --boost's re-run)
#   PREFIX          the name prefix of everything it creates (namespaces, work directory)
#   NS_C, NS_S      the client and server namespaces; VETH_C, VETH_S the veth pair's ends
#   ADDR_C, ADDR_S  their addresses (a /24)
#   WORK, SOCK      the work directory and the daemon's control socket in it
#   DAEMON, CLI     the daemon binary and the adbcfault CLI
#   PIN             true or false (--pin)
#   DAEMON_PID, PROXY_PID   the daemon and the proxy compared against it (empty when none runs);
#                   the CPU table's middle column is the daemon, or every process in the client
#                   namespace while PROXY_PID is set
# At source time this only defines functions and two constants (BIG_SIZE, SMALL_BODY), and
# sources scripts/lib/netns.sh (functions only: the namespace pair and its clean-up, shared with
# scripts/sandbox-demo.sh). The sourcing script sets REPO (the repository) before.

# shellcheck source=scripts/lib/netns.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/netns.sh"

die() { echo "$SELF: $*" >&2; exit 1; }

# What both benches serve: a 1 GiB sparse file and a 300-byte body.
readonly BIG_SIZE=$((1 << 30))
SMALL_BODY=$(printf 'adbcfault-bench-%.0s' $(seq 1 20) | head -c 300)
readonly SMALL_BODY

# The options both benches take. bench_defaults sets them; bench_option reads the one at the
# front of its arguments and sets TAKEN to how many arguments that used (0: not one of these).
# shellcheck disable=SC2034  # the sourcing script reads them
bench_defaults() {
  BUILD="$REPO/build" DURATION=10 REPS=5 PIN=false BOOST=false PROFILE_DIR=""
}
# shellcheck disable=SC2034  # the sourcing script reads them
bench_option() {
  TAKEN=0
  case "$1" in
    --duration) [ $# -ge 2 ] || usage; DURATION=$2; TAKEN=2 ;;
    --quick) DURATION=3; REPS=3; TAKEN=1 ;;
    --reps) [ $# -ge 2 ] || usage; REPS=$2; TAKEN=2 ;;
    --pin) PIN=true; TAKEN=1 ;;
    --boost) BOOST=true; TAKEN=1 ;;
    --profile) [ $# -ge 2 ] || usage; PROFILE_DIR=$(realpath -m "$2"); TAKEN=2 ;;
    --build) [ $# -ge 2 ] || usage; BUILD=$2; TAKEN=2 ;;
    -h|--help) usage ;;
  esac
}
usage() { awk '/^# Usage:/ {on = 1} on && !/^#/ {exit} on {sub(/^# ?/, ""); print}' "$SCRIPT" >&2; exit 2; }

check_duration_and_reps() {   # DURATION REPS; sets SOLO_DURATION
  if ! [[ "$1" =~ ^[0-9]+$ ]] || [ "$1" -lt 1 ] || [ "$1" -gt 60 ]; then
    die "--duration must be 1..60 seconds (got $1)"
  fi
  # shellcheck disable=SC2034  # read by the sourcing script
  SOLO_DURATION=$(( $1 < 5 ? $1 : 5 ))
  if ! [[ "$2" =~ ^[0-9]+$ ]] || [ "$2" -lt 1 ] || [ "$2" -gt 15 ]; then
    die "--reps must be 1..15 (got $2)"
  fi
}

require_root_and_tools() {   # tool...
  [ "$(id -u)" -eq 0 ] || die "must run as root (it creates network namespaces); try: sudo $SCRIPT"
  local missing=() tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    die "missing: ${missing[*]}; install them with: sudo scripts/install-bench-deps.sh"
  fi
  if $PIN; then command -v taskset >/dev/null || die "--pin needs taskset (util-linux)"; fi
}

# --boost: the scheduler shares CPUs fairly between sessions (autogroups) before it looks at nice
# values, so the bench re-runs itself in a new session and raises that session's weight. Ctrl-C
# reaches only this parent, which passes it on as SIGTERM to the new session's process group, so
# the child stops its load generator at once and still cleans up.
boost_session() {   # the script's arguments; returns only in the re-run session
  if [ "${ADBCF_BENCH_IN_SESSION:-}" != "$$" ]; then
    command -v setsid >/dev/null || die "--boost needs setsid (util-linux)"
    [ -w /proc/self/autogroup ] || die "--boost needs scheduler autogroups (/proc/self/autogroup)"
    # The child checks its own pid against this, so a stale variable in the environment cannot match.
    bash -c 'export ADBCF_BENCH_IN_SESSION=$$; exec setsid "$0" "$@"' "$SCRIPT" "$@" &
    BOOST_CHILD=$!
    trap 'kill -TERM -- -"$BOOST_CHILD" 2>/dev/null' INT TERM   # its whole process group, as Ctrl-C would
    local rc=0
    for _ in $(seq 1 1000); do   # one turn per signal received, normally one in all
      rc=0; wait "$BOOST_CHILD" || rc=$?
      kill -0 "$BOOST_CHILD" 2>/dev/null || break
    done
    exit "$rc"
  fi
  echo -10 >/proc/self/autogroup || die "could not raise the priority of the bench's session"
}

wait_for_daemon_binary() {
  # Someone may be relinking the daemon right now: give it a few seconds to reappear.
  for _ in $(seq 1 30); do [ -x "$DAEMON" ] && break; sleep 1; done
  [ -x "$DAEMON" ] || die "no daemon at $DAEMON; build it: make -C $BUILD -j2 adbcfaultd"
}

work_root() { if [ -d /dev/shm ] && [ -w /dev/shm ]; then echo /dev/shm; else echo /tmp; fi; }

# ---------------------------------------------------------------------------------------------
# Processes and namespaces

# The end of every run's cleanup, once its own processes are stopped.
remove_namespaces_and_work() {
  remove_namespace_pair || true
  rm -rf "$WORK"
}

in_c() { ip netns exec "$NS_C" "$@"; }

# nginx as a reference proxy in the client namespace, from a config generated in DIR: one worker,
# its own pid, logs and temp paths, no access log, keep-alive without limits; the caller gives
# what differs. Sets PROXY_PID and returns once it answers (see wait_for_relay).
start_reference_nginx() {   # dir, what to call it, main-context lines, http-block lines, curl args...
  local dir=$1 what=$2 main=$3 http=$4
  shift 4
  mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<EOF
# Generated by $SELF; runs in namespace $NS_C only, as $what.
daemon off;
master_process on;
worker_processes 1;
$main
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  tcp_nodelay on;
  keepalive_requests 100000000;
  keepalive_timeout 120s;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
$http
}
EOF
  ip netns exec "$NS_C" nginx -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log" &
  PROXY_PID=$!
  wait_for_relay "$dir/error.log" "$what" "$@"
}

# Until a reference relay or proxy (PROXY_PID) answers curl from the client namespace, 5 s at
# most; if it does not, its log and a clear death.
wait_for_relay() {   # log file, what to call it, curl arguments (the URL last)...
  local log=$1 what=$2
  shift 2
  for _ in $(seq 1 50); do
    if in_c curl -fsS --noproxy '*' -o /dev/null --max-time 1 "$@" 2>/dev/null; then return 0; fi
    pid_alive "$PROXY_PID" || break
    sleep 0.1
  done
  cat "$log" >&2 2>/dev/null || true
  die "$what did not start in namespace $NS_C"
}
in_s() { ip netns exec "$NS_S" "$@"; }
client_cmd() { if $PIN; then in_c taskset -c 0 "$@"; else in_c "$@"; fi; }

setup_network() {
  make_namespace_pair
  # The connection-rate test opens tens of thousands of short connections from one address.
  in_c sysctl -qw net.ipv4.ip_local_port_range="10000 65000" net.ipv4.tcp_tw_reuse=1
  in_s sysctl -qw net.core.somaxconn=4096 net.ipv4.tcp_max_syn_backlog=4096
}

# ---------------------------------------------------------------------------------------------
# The daemon

# The daemon's status as one JSON object (the "result" part). The adbcfault CLI if it answers
# with JSON, else a raw request on the control socket.
daemon_status() {
  local out=""
  if [ -x "$CLI" ]; then
    out=$(in_c timeout 5 "$CLI" --socket "$SOCK" --json status 2>/dev/null || true)
  fi
  if ! status_object "$out" 2>/dev/null; then
    out=$(in_c python3 "$REPO/scripts/lib/control_request.py" "$SOCK" '{"v":1,"op":"status"}') ||
      die "the daemon did not answer status on $SOCK"
    status_object "$out" || die "the status reply has no flows: $out"
  fi
}

status_object() {   # a status reply (raw, or the CLI's --json); prints its result, or fails
  python3 - "$1" <<'PY'
import json, sys
obj = json.loads(sys.argv[1])
if isinstance(obj, dict) and isinstance(obj.get("result"), dict):
    obj = obj["result"]
if not (isinstance(obj, dict) and "flows" in obj):
    sys.exit(1)
print(json.dumps(obj))
PY
}

status_field() {   # json, dotted path
  python3 -c 'import json,sys
v=json.loads(sys.argv[1])
for k in sys.argv[2].split("."): v=v[k]
print(v)' "$1" "$2"
}

start_daemon() {   # adbcfaultd flags after --socket and --state-dir
  # Its own state directory: nothing of the bench lands in /var/lib/adbcfault.
  mkdir -p "$WORK/state"
  ip netns exec "$NS_C" "$WORK/adbcfaultd" --socket "$SOCK" --state-dir "$WORK/state" \
    "$@" 2>"$WORK/daemon.log" &
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
# by everything else on the machine ("other": softirq that ran outside those processes, other
# people's builds, steal time of the VM), and the ticks left idle. The kernel accounts CPU time by
# tick and without IRQ time accounting (CONFIG_IRQ_TIME_ACCOUNTING is off on this kernel kind), so
# softirq work, most of the TCP/IP processing of both hops, is charged to the process it
# interrupted as well as to /proc/stat's softirq: it is inside the three process columns, not
# beside them. Its total is kept (the fourth field) but not added to anything.
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
cpu_use() {   # mark-before, mark-after -> "load nginx daemon softirq other idle" in % of one CPU
  awk -v a="$1" -v b="$2" -v n="$(nproc)" 'BEGIN {
    split(a, x, " "); split(b, y, " ")
    wall = (y[5] - x[5]) / n   # ticks of one CPU that passed
    if (wall <= 0) wall = 1
    l = (y[1] - x[1]) * 100 / wall; g = (y[2] - x[2]) * 100 / wall; d = (y[3] - x[3]) * 100 / wall
    si = (y[6] - x[6]) * 100 / wall
    busy = (y[4] - x[4]) * 100 / wall; o = busy - l - g - d; if (o < 0) o = 0
    idle = n * 100 - busy; if (idle < 0) idle = 0
    printf "%.0f %.0f %.0f %.0f %.0f %.0f", l, g, d, si, o, idle }'
}

to_us() {   # wrk latency such as 85.00us, 1.23ms, 1.01s -> microseconds
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) print n; else if (v ~ /ms$/) print n * 1000; else if (v ~ /s$/) print n * 1e6;
    else print n }'
}

# label, connections, seconds, url, extra wrk args... -> "requests/s p50_us requests cpu..."
wrk_run() {
  local label=$1 conns=$2 secs=$3 url=$4 out rps p50 requests errors mark me=$BASHPID
  shift 4
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

# Before anything: is someone else using the CPUs? The numbers are only comparable on an idle box.
machine_busy() {   # % of all CPUs busy over one second
  local a b
  a=$(awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat)
  sleep 1
  b=$(awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN {split(a, x, " "); split(b, y, " "); printf "%.0f", (y[1] - x[1]) * 100 / (y[2] - x[2] + 1e-9)}'
}

# ---------------------------------------------------------------------------------------------
# The table

ratio() { awk -v t="$2" -v d="$1" 'BEGIN {printf "%.2f", (d > 0 ? t / d : 0)}'; }
added() { awk -v t="$2" -v d="$1" 'BEGIN {printf "%+.0f", t - d}'; }
cpu_cell() { read -r l g d _si o idle <<<"$1"; if [ "$2" = direct ]; then d=-; fi; echo "$l/$g/$d/$o/$idle"; }
# printf pads by bytes and "µ" is two, so labels holding it get one more column.
row() { printf "%-${5:-48}s %10s %10s %6s %10s %6s %10s\n" "$1" "$2" "$3" "$4" "${6:-}" "${7:-}" "${8:-}"; }
int() { printf %.0f "$1"; }

# ---------------------------------------------------------------------------------------------
# The server

# nginx in the server namespace from a generated config (one worker, sendfile, no access log,
# its own pid and log files; never the system's nginx): the sparse file at /big, SMALL_BODY at
# /small. Sets NGINX_PID.
#   $1  extra directives at http level (TLS settings), or ""
#   $2  extra parameters of the listen directive ("ssl"), or ""
#   $3  extra directives in the server block, or ""
#   $4  what to call the server if it does not answer ("HTTP", "HTTPS for bench.adbcf.test")
#   $5... a command run in the client namespace that succeeds once nginx answers
start_nginx_server() {
  local http_extra=$1 listen_extra=$2 server_extra=$3 what=$4
  shift 4
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
  $http_extra
  server {
    listen $ADDR_S:$PORT $listen_extra backlog=4096;
    $server_extra
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
    if in_c "$@" 2>/dev/null; then return 0; fi
    pid_alive "$NGINX_PID" || break
    sleep 0.1
  done
  cat "$WORK/nginx-error.log" >&2 2>/dev/null || true
  die "nginx did not answer $what in namespace $NS_S"
}
