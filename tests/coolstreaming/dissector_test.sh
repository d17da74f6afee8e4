#!/usr/bin/env bash
# dissector_test.sh ROOT BIN: coolstreaming/coolstreaming.lua decodes one frame of every CoolStreaming message
# kind, field by field and with no malformed field or expert error, in a synthetic TCP capture (text2pcap).
# Three captures of the same frames: one frame per packet found by the heuristic, the same found by the port
# preference, and the frames as one stream cut into 100-byte packets (TCP reassembly). Two bad buffer maps
# must be flagged, so the test can fail, and a frame cut short where TCP does not reassemble is flagged as cut,
# not as an error. Without tshark it exits 77 (skipped) on a developer's machine and fails in CI, as
# tests/interop/interop_util.h does, so a missing install step cannot turn it green.
set -euo pipefail
root=${1:?usage: dissector_test.sh ROOT BIN}
bin=${2:?usage: dissector_test.sh ROOT BIN}
for tool in tshark text2pcap; do
  if ! command -v "$tool" >/dev/null; then
    echo "$tool is not installed"
    [ "${CI:-}" = true ] && exit 1
    exit 77
  fi
done
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
lua=$root/coolstreaming/coolstreaming.lua
# Lab nodes listen on ports the system picks; so does this test.
sport=$((49152 + RANDOM % 8000))
dport=$((sport + 1))
failures=0

decode() {
  local pcap=$1
  shift
  tshark -X "lua_script:$lua" -r "$pcap" "$@" 2>"$dir/tshark.err" || { cat "$dir/tshark.err"; return 1; }
}
capture() {
  text2pcap -q -T "$sport,$dport" "$1" "$2" >"$dir/text2pcap.log" 2>&1 || { cat "$dir/text2pcap.log"; return 1; }
}
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# Every kind shows up as a "CoolStreaming <name>" tree, and nothing is malformed or flagged.
check() {
  local label=$1 pcap=$2
  shift 2
  decode "$pcap" -V "$@" >"$dir/verbose.txt"
  while IFS= read -r name; do
    grep -qix "CoolStreaming $name" "$dir/verbose.txt" || fail "$label: no '$name' decoded"
  done < <("$bin/coolstreaming-sample-frames" --names)
  local flagged
  flagged=$(decode "$pcap" -Y '_ws.malformed || _ws.expert' "$@")
  [ -z "$flagged" ] || fail "$label: malformed or flagged packets:"$'\n'"$flagged"
  echo "$label: $(grep -ci '^CoolStreaming ' "$dir/verbose.txt") frames decoded"
}

"$bin/coolstreaming-sample-frames" >"$dir/frames.txt"
capture "$dir/frames.txt" "$dir/frames.pcap"
check "one frame a packet, by heuristic" "$dir/frames.pcap"
check "one frame a packet, by port preference" "$dir/frames.pcap" \
  --disable-heuristic coolstreaming_tcp -o "coolstreaming.tcp_port:$dport"

"$bin/coolstreaming-sample-frames" --chunk 100 >"$dir/stream.txt"
capture "$dir/stream.txt" "$dir/stream.pcap"
check "one stream in 100-byte packets" "$dir/stream.pcap"

# Buffer maps of 10 segments with a 1-byte bitmap, and with bit 10 set past the window: both are flagged.
printf '%s\n' "000000 30 00 00 00 08 00 00 10 68 00 0a 01 ff" "000000 30 00 00 00 09 00 00 10 68 00 0a 01 ff 60" \
  >"$dir/bad.txt"
capture "$dir/bad.txt" "$dir/bad.pcap"
[ "$(decode "$dir/bad.pcap" -Y coolstreaming.bad_bitmap | wc -l)" -eq 2 ] || fail "a bad bitmap was not flagged"

# A Segment of 1,000 bytes of which the packet holds 8, decoded without TCP reassembly (as on a stream whose
# start the capture missed): flagged as cut, not a Lua error.
echo "000000 32 00 00 03 e8 00 00 10 68 aa bb cc" >"$dir/cut.txt"
capture "$dir/cut.txt" "$dir/cut.pcap"
no_reassembly=(-o tcp.desegment_tcp_streams:FALSE)
[ "$(decode "$dir/cut.pcap" "${no_reassembly[@]}" -Y coolstreaming.cut | wc -l)" -eq 1 ] ||
  fail "a cut frame was not flagged"
flagged=$(decode "$dir/cut.pcap" "${no_reassembly[@]}" -Y '_ws.malformed || _ws.expert.severity >= "error"')
[ -z "$flagged" ] || fail "a cut frame is in error:"$'\n'"$flagged"

[ "$failures" -eq 0 ] || exit 1
echo "every kind decoded by name, nothing malformed"
