#!/usr/bin/env bash
# A lab across three hosts on one machine (labs/README.md, "A lab across the lab room"): three network
# namespaces joined by a bridge that lives in a fourth, each with its own 10.x address and its own sshd on a
# test key. p2plab runs in the first and spreads the Napster SPOF lab (programs copied by rsync) and the
# BitTorrent flash crowd (programs at a shared path) over all three with --hosts; the summaries must have
# the shape of the same labs run on one host, every leecher must complete and every host must have run
# nodes. Then a launcher is SIGKILLed mid-run, and no node may be left in any namespace. Everything the test
# makes (namespaces, bridge, veths, sshds, keys, a user) goes when it ends, pass or fail. Traffic never
# leaves the namespaces. The hosts log in a user the test makes, whose shell is /bin/sh: sshd runs every
# node's command through the login's shell, and a root login's bash reads ~/.bashrc for ssh commands
# (Debian), whatever that file does (a `pyenv init` there made node starts wait up to a minute).
# Usage: multi_host_test.sh SOURCE_DIR BIN_DIR. Needs root; skips (77) without it, except under CI=true.
set -uo pipefail
src=$1
bin=$2

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
cannot() {
  if [ "${CI:-}" = true ]; then fail "$* (CI=true: this test must run, as root)"; fi
  echo "SKIP: $*"
  exit 77
}
[ "$(id -u)" = 0 ] || cannot "network namespaces need root"
ip netns list >/dev/null 2>&1 || cannot "no 'ip netns' (iproute2)"
[ -x /usr/sbin/sshd ] || cannot "no /usr/sbin/sshd (openssh-server)"
for program in ssh ssh-keygen rsync jq setsid timeout useradd userdel; do
  command -v "$program" >/dev/null || cannot "no $program"
done

tag=p2ph$$
hosts=(a b c)
bridge_ns=$tag-br
work=$(mktemp -d /tmp/p2plab-hosts-XXXXXX)
started=()  # the sshds and launchers this test started
made_privsep=0
made_user=0

cleanup() {
  for pid in "${started[@]}"; do kill -9 "$pid" 2>/dev/null; done
  for n in "${hosts[@]/#/$tag-}" "$bridge_ns"; do
    # Whatever is still in one of the test's namespaces is the test's: it goes with the namespace.
    for pid in $(ip netns pids "$n" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
    ip netns del "$n" 2>/dev/null
  done
  [ "$made_privsep" = 1 ] && rmdir /run/sshd 2>/dev/null
  [ "$made_user" = 1 ] && userdel -f "$tag" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# A /24 of 10.0.0.0/8 that no interface of this machine uses.
for _ in $(seq 20); do
  net=10.$((RANDOM % 200 + 50)).$((RANDOM % 250 + 1))
  ip -4 -o addr show | grep -q " $net\." || break
done
ip -4 -o addr show | grep -q " $net\." && fail "found no free 10.x.y.0/24"
address() { echo "$net.$(($1 + 1))"; }

# The network: a bridge in its own namespace, a veth from it to each host's namespace.
ip netns add "$bridge_ns" || fail "cannot make a network namespace"
ip -n "$bridge_ns" link add br0 type bridge
ip -n "$bridge_ns" link set br0 up
for i in 0 1 2; do
  n=$tag-${hosts[$i]}
  ip netns add "$n"
  ip link add eth0 netns "$n" type veth peer name "p$i" netns "$bridge_ns"
  ip -n "$bridge_ns" link set "p$i" master br0 up
  ip -n "$n" link set lo up
  ip -n "$n" addr add "$(address "$i")/24" dev eth0
  ip -n "$n" link set eth0 up
done

# The hosts' login: a user of the test's own (no group, no password, '*' so sshd does not take the account
# for locked), /bin/sh its shell, its home in the test's folder, which it may cross but not list.
getent passwd "$tag" >/dev/null && fail "a user named $tag exists already"
useradd -M -N -d "$work/home" -s /bin/sh -p '*' "$tag" || fail "cannot make the user $tag"
made_user=1
chmod 711 "$work"
mkdir -m 700 "$work/home" && chown "$tag" "$work/home"

# Keys and an sshd per host, listening on its address only; sshd's default MaxSessions (10) is kept. sshd
# reads the authorized keys as the user: they are in a folder of their own that it may read.
ssh-keygen -q -t ed25519 -N '' -f "$work/host_key" || fail "ssh-keygen"
ssh-keygen -q -t ed25519 -N '' -f "$work/id" || fail "ssh-keygen"
mkdir -m 755 "$work/keys"
install -m 644 "$work/id.pub" "$work/keys/authorized_keys"
[ -d /run/sshd ] || { mkdir -p /run/sshd && made_privsep=1; }
for i in 0 1 2; do
  cat >"$work/sshd-$i.conf" <<CONF
ListenAddress $(address "$i")
HostKey $work/host_key
AuthorizedKeysFile $work/keys/authorized_keys
PidFile none
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin no
MaxStartups 100
CONF
  ip netns exec "$tag-${hosts[$i]}" /usr/sbin/sshd -D -e -f "$work/sshd-$i.conf" 2>"$work/sshd-$i.log" &
  started+=($!)
done
cat >"$work/ssh_config" <<CONF
Host *
  User $tag
  IdentityFile $work/id
  IdentitiesOnly yes
  UserKnownHostsFile /dev/null
  StrictHostKeyChecking no
  LogLevel ERROR
CONF
for i in 0 1 2; do
  for try in $(seq 50); do
    ip netns exec "$tag-a" ssh -F "$work/ssh_config" -o BatchMode=yes "$(address "$i")" true 2>/dev/null && break
    [ "$try" = 50 ] && fail "sshd on $(address "$i") does not answer: $(tail -3 "$work/sshd-$i.log")"
    sleep 0.1
  done
done

# Two hosts files: programs copied into the test's folder, and programs run from the build (a shared home).
for mode in copy shared; do
  {
    echo "[hosts]"
    for i in 0 1 2; do echo "${hosts[$i]} = $(address "$i"), 12"; done
    echo "ssh_config = $work/ssh_config"
    echo "binaries = $mode"
    echo "remote_dir = $work/home/remote"
  } >"$work/hosts-$mode"
done

# The launcher's ssh control sockets go in $TMPDIR: the test's folder, so a SIGKILLed launcher's go with it.
export TMPDIR=$work

# run NAME ARGS...: a headless p2plab run in the first host's namespace, its output in $work/NAME.out.
run() {
  local name=$1
  shift
  ip netns exec "$tag-a" timeout -s KILL 90 "$bin/p2plab" run "$@" --headless --out "$work/$name" \
    >"$work/$name.out" 2>&1
}
# The timeline kills and restarts the server, and has a peer leave and come back: the launcher's commands on
# remote nodes, through their wrappers. Each phase lasts a few of the peers' searches (12 peers, 0.2/s each).
spof=("$src/labs/02-napster/spof.ini" --duration 10 --set role.peer.count=12 --set "timeline.at=4 kill server-0"
  --set "timeline.at=7 restart server-0" --set "timeline.at=3 leave peer-3" --set "timeline.at=6 restart peer-3")
# The crowd arrives within 2 s and fetches 512 KiB: the run ends when the last leecher completes.
crowd=("$src/labs/05-bittorrent/flash-crowd.ini" --set role.leecher.count=9 --set bittorrent.file_size=524288
  --set role.leecher.arrival=flash:2)

# Each lab across the hosts, beside the same lab on one host (in the first namespace, on its loopback), all
# four at once. Nodes on a host listen at 20000 plus their place there: the crowd's start at 21000.
declare -A labs
run spof-one "${spof[@]}" &
labs[spof-one]=$!
run spof-hosts "${spof[@]}" --hosts "$work/hosts-copy" --set role.server.host=b &
labs[spof-hosts]=$!
run crowd-one "${crowd[@]}" --duration 60 &
labs[crowd-one]=$!
run crowd-hosts "${crowd[@]}" --duration 60 --hosts "$work/hosts-shared" --first-port 21000 &
labs[crowd-hosts]=$!
for name in "${!labs[@]}"; do
  wait "${labs[$name]}" || {
    cat "$work/$name.out"
    fail "the lab $name failed"
  }
done

for lab in spof crowd; do
  multi=$work/$lab-hosts/summary.json
  single=$work/$lab-one/summary.json
  [ -f "$multi" ] || fail "$lab across hosts left no summary"
  keys() { jq -c '[(del(.hosts) | keys), (.metrics | keys)]' "$1"; }
  [ "$(keys "$multi")" = "$(keys "$single")" ] ||
    fail "$lab: the summary's keys differ from one host's: $(keys "$multi") vs $(keys "$single")"
  jq -e '.hosts | length == 3 and all(.[]; (.nodes | length) > 0)' "$multi" >/dev/null ||
    fail "$lab: not every host ran nodes: $(jq -c .hosts "$multi")"
  [ "$(jq .nodes_crashed "$multi")" = 0 ] || fail "$lab: nodes crashed: $(grep -h crashed "$work/$lab-hosts.out")"
done
jq -e '.hosts.b.nodes | index("server-0") != null' "$work/spof-hosts/summary.json" >/dev/null ||
  fail "role.server.host=b did not put the server on b"
for s in one hosts; do
  jq -e '.nodes_killed == 1 and .nodes_left == 1 and .nodes_restarted == 2' "$work/spof-$s/summary.json" >/dev/null ||
    fail "the timeline's kill, leave and restarts did not all happen ($s): $(jq -c . "$work/spof-$s/summary.json")"
done
for s in one hosts; do
  jq -e '.metrics.completed == 9' "$work/crowd-$s/summary.json" >/dev/null ||
    fail "not every leecher completed ($s): $(jq -c .metrics "$work/crowd-$s/summary.json")"
done
[ -s "$work/crowd-hosts/logs/leecher-0.log" ] || fail "no log came back from leecher-0"
echo "napster across hosts: $(jq -c '.metrics | {searches_before, searches_outage, searches_after}' \
  "$work/spof-hosts/summary.json")"
echo "flash crowd across hosts: $(jq -c '{duration_s, metrics: (.metrics | {completed, download_time_s})}' \
  "$work/crowd-hosts/summary.json")"

# A launcher SIGKILLed mid-run takes every remote node with it: once each host runs nodes, kill it, then
# nothing but each host's sshd may be left in the namespaces.
ip netns exec "$tag-a" "$bin/p2plab" run "${crowd[@]}" --hosts "$work/hosts-copy" --headless --duration 120 \
  --out "$work/killed" >"$work/killed.out" 2>&1 &
launcher=$!
started+=("$launcher")
sshds=" ${started[*]:0:3} "
others() { # the processes in namespace $1 other than its sshd
  for pid in $(ip netns pids "$1"); do
    [[ $sshds == *" $pid "* ]] || echo "$pid"
  done
}
for try in $(seq 300); do
  busy=0
  for h in "${hosts[@]}"; do
    for pid in $(others "$tag-$h"); do
      if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = bt-peer ]; then
        busy=$((busy + 1))
        break
      fi
    done
  done
  [ $busy = 3 ] && break
  [ "$try" = 300 ] && fail "the lab never ran on every host: $(tail -5 "$work/killed.out")"
  sleep 0.1
done
kill -9 $launcher
for try in $(seq 100); do
  left=""
  for h in "${hosts[@]}"; do left+=$(others "$tag-$h"); done
  [ -z "$left" ] && break
  [ "$try" = 100 ] && fail "processes outlived the SIGKILLed launcher: $(ps -o pid,args -p "$(echo $left | tr ' ' ,)")"
  sleep 0.1
done
echo "PASS: two labs across 3 hosts; a SIGKILLed launcher left no process behind"
