# shellcheck shell=bash
# scripts/lib/netns.sh: a throwaway client/server namespace pair joined by a veth, and the
# clean-up that goes with it. Sourced by scripts/sandbox-demo.sh and bench/lib/common.sh, never
# run; nothing here runs at source time.
#
# The sourcing script sets, before calling these functions:
#   SELF            its name in messages
#   PREFIX          the prefix of its namespaces (PREFIX<pid>-c, PREFIX<pid>-s) and of its work
#                   directory (/dev/shm or /tmp/PREFIX-<pid>): a leftover of a killed run can then
#                   be told apart from one of a run still going, and swept
#   NS_C, NS_S      the client and server namespaces; VETH_C, VETH_S the veth pair's ends
#   ADDR_C, ADDR_S  their addresses, in one /24

pid_alive() { kill -0 "$1" 2>/dev/null; }

kill_namespace_processes() {   # ns
  local ns=$1 pid pids
  for _ in $(seq 1 50); do
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [ -z "$pids" ] && return 0
    for pid in $pids; do kill -KILL "$pid" 2>/dev/null || true; done
    sleep 0.1
  done
}

# SIGTERM, then SIGKILL after 5 s (saying so when given a name); reaps the process so the shell
# stays quiet.
stop_process() {   # pid [name]
  local pid=$1 name=${2:-}
  [ -n "$pid" ] && pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do pid_alive "$pid" || break; sleep 0.1; done
  if pid_alive "$pid"; then
    [ -n "$name" ] && echo "$SELF: $name (pid $pid) ignored SIGTERM for 5 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# Namespaces and work directories of earlier runs whose process is gone (killed with -9).
sweep_leftovers() {
  local ns pid dir
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
    if [[ "$ns" =~ ^$PREFIX([0-9]+)-[cs]$ ]]; then
      pid=${BASH_REMATCH[1]}
      if [ "$pid" != "$$" ] && ! pid_alive "$pid"; then
        echo "$SELF: removing namespace $ns, left over from an earlier run" >&2
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

make_namespace_pair() {
  ip netns add "$NS_C"
  ip netns add "$NS_S"
  ip -n "$NS_C" link set lo up
  ip -n "$NS_S" link set lo up
  ip -n "$NS_C" link add "$VETH_C" type veth peer name "$VETH_S" netns "$NS_S"
  ip -n "$NS_C" addr add "$ADDR_C/24" dev "$VETH_C"
  ip -n "$NS_S" addr add "$ADDR_S/24" dev "$VETH_S"
  ip -n "$NS_C" link set "$VETH_C" up
  ip -n "$NS_S" link set "$VETH_S" up
}

# Kills what still runs in the pair and deletes it (the veth goes with it); returns 1 if a
# namespace would not go, after saying so.
remove_namespace_pair() {
  local ns ok=0
  for ns in "$NS_C" "$NS_S"; do
    if ip netns list | awk '{print $1}' | grep -qx "$ns"; then
      kill_namespace_processes "$ns"
      ip netns del "$ns" 2>/dev/null || { echo "$SELF: could not delete namespace $ns" >&2; ok=1; }
    fi
  done
  return $ok
}
