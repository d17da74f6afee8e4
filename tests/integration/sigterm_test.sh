#!/usr/bin/env bash
# A node leaves within 1 s of SIGTERM, goodbyes included: the launcher sends SIGKILL 2 s after SIGTERM, and a
# lab that stops 100 nodes should not wait for each. Each server below starts alone on 127.0.0.1, announces
# that it listens, gets SIGTERM and is timed until it exits.
set -u
bin=$1
limit_ms=1000
failed=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# time_sigterm NAME ARGS...: fails when the node does not start in 10 s or takes over limit_ms to leave.
time_sigterm() {
  local log="$work/$1.log" pid started=0 start end
  "$bin/$1" --listen 127.0.0.1:0 "${@:2}" 2>"$log" >/dev/null &
  pid=$!
  for _ in $(seq 100); do
    if grep -q "listening on" "$log"; then started=1; break; fi
    sleep 0.1
  done
  if [ $started -eq 0 ]; then
    echo "FAIL $1 did not start: $(head -c 300 "$log")"; kill -KILL $pid 2>/dev/null; wait $pid 2>/dev/null
    failed=1; return
  fi
  start=$(date +%s%N)
  kill -TERM $pid
  for _ in $(seq 500); do kill -0 $pid 2>/dev/null || break; sleep 0.01; done
  end=$(date +%s%N)
  kill -KILL $pid 2>/dev/null
  wait $pid 2>/dev/null
  local ms=$(((end - start) / 1000000))
  echo "$1 left $ms ms after SIGTERM"
  if [ $ms -gt $limit_ms ]; then echo "FAIL $1 took $ms ms (limit $limit_ms)"; failed=1; fi
}
time_sigterm bt-tracker --open
time_sigterm napster-server
time_sigterm gnutella-servent
time_sigterm bt-dht
exit $failed
