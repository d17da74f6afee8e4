#!/usr/bin/env bash
# purity_test.sh ROOT: the purity rule holds on the tree, and it would catch a breach. On a scratch copy of the
# tree's pure files, one forbidden line of each kind is planted in a core file (the check must fail and name the
# file and the line), one in a core file of a system's subfolder such as bittorrent/dht/ (it must fail too),
# then all in an app/ file and in common/host/ (the check must still pass).
set -u
root=$(cd "${1:?usage: purity_test.sh ROOT}" && pwd)
check="$(dirname "$0")/check_purity.sh"
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

echo "== the tree"
bash "$check" "$root" || fail "the tree breaks the purity rule"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
while read -r file; do
  mkdir -p "$scratch/$(dirname "$file")"
  cp "$root/$file" "$scratch/$file"
done < <(bash "$check" --list "$root")
core=$(bash "$check" --list "$scratch" | grep -m1 '\.cpp$')
[ -n "$core" ] || fail "no pure .cpp file to plant in"
cp "$scratch/$core" "$scratch/core.orig"

planted=(
  '#include <zmq.hpp>'
  '#include "zmq.h"'
  '#include <ncurses.h>'
  '#include <curses.h>'
  '#include <iostream>'
  '#include <fstream>'
  '#include <filesystem>'
  '#include <cstdio>'
  '#include <stdio.h>'
  '#include <thread>'
  '#include <fcntl.h>'
  '#include <unistd.h>'
  '#include <poll.h>'
  '#include <sys/socket.h>'
  '#include <netinet/in.h>'
  '#include <arpa/inet.h>'
  '#include <netdb.h>'
  'auto started = std::chrono::steady_clock::now();'
  'auto wall = std::chrono::system_clock::now();'
  'std::time_t stamp = time(nullptr);'
  'void say() { std::cout << "hi"; }'
  'void shout() { std::cerr << "hi"; }'
  'void print() { printf("hi"); }'
  'void print_to() { std::fprintf(stderr, "hi"); }'
)

echo "== each kind planted in the core file $core must fail"
for line in "${planted[@]}"; do
  { cat "$scratch/core.orig"; echo "$line"; } >"$scratch/$core"
  if out=$(bash "$check" "$scratch" 2>&1); then
    fail "not caught in $core: $line"
  elif ! grep -qF "$core:" <<<"$out" || ! grep -qF -- "$line" <<<"$out"; then
    fail "caught without naming $core and the line: $line"$'\n'"$out"
  else
    echo "caught: $(grep -F -- "$line" <<<"$out" | head -1)"
  fi
done
cp "$scratch/core.orig" "$scratch/$core"

echo "== a folder inside a system folder (bittorrent/dht/) is pure too"
nested=$(bash "$check" --list "$scratch" | grep -v '^common/' | grep -m1 '^[^/]*/[^/]*/[^/]*\.cpp$')
if [ -z "$nested" ]; then
  fail "no pure .cpp file in a folder inside a system folder"
else
  cp "$scratch/$nested" "$scratch/nested.orig"
  { cat "$scratch/nested.orig"; echo '#include <thread>'; } >"$scratch/$nested"
  if bash "$check" "$scratch" >/dev/null 2>&1; then
    fail "not caught in the nested core file $nested"
  else
    echo "caught in $nested"
  fi
  cp "$scratch/nested.orig" "$scratch/$nested"
fi

echo "== the same in an app/ file and in common/host/ must pass"
system=${core%%/*}
[ "$system" = common ] && system=napster
for edge in "$system/app/planted.cpp" common/host/planted.cpp; do
  mkdir -p "$scratch/$(dirname "$edge")"
  printf '%s\n' "${planted[@]}" >"$scratch/$edge"
  bash "$check" "$scratch" >/dev/null || fail "the process edge $edge was held to the purity rule"
done

if [ "$failures" -gt 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "purity rule: holds on the tree, catches ${#planted[@]} planted breaches, leaves the process edge alone"
