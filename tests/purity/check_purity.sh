#!/usr/bin/env bash
# check_purity.sh [--list] ROOT: protocol cores are pure (docs/ARCHITECTURE.md, "The layers"), and the rule is
# a folder rule. Every .h and .cpp under common/ and the system folders is pure, except the process edge:
# common/host/ and each system's app/. Pure code includes no socket, clock, screen, console, file or disk header,
# reads no clock and prints nothing. Prints each breach as FILE:LINE: KIND: TEXT and exits 1; with --list, only
# lists the pure files.
set -u
list_only=false
if [ "${1:-}" = --list ]; then
  list_only=true
  shift
fi
cd "${1:?usage: check_purity.sh [--list] ROOT}" || exit 2

pure_files() {
  find common napster gnutella kazaa bittorrent coolstreaming -type f \( -name '*.h' -o -name '*.cpp' \) \
    2>/dev/null | grep -Ev '^common/host/|^[^/]+/app/' | sort
}

if $list_only; then
  pure_files
  exit 0
fi

# KIND<TAB>pattern (grep -E). An include is matched with <...> or "...".
include='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]'
rules=(
  "sockets (ZeroMQ)	${include}(zmq\.h|zmq\.hpp|zmq_addon\.hpp)[>\"]"
  "system calls	${include}(sys/[^>\"]+|netinet/[^>\"]+|arpa/inet\.h|netdb\.h|poll\.h|fcntl\.h|unistd\.h)[>\"]"
  "screen	${include}(curses\.h|ncurses\.h)[>\"]"
  "console and files	${include}(iostream|fstream|filesystem|cstdio|stdio\.h)[>\"]"
  "threads	${include}thread[>\"]"
  "clock	[A-Za-z_]*(clock|Clock)::now[[:space:]]*\(|(^|[^A-Za-z0-9_.>])time[[:space:]]*\([[:space:]]*(nullptr|NULL|0)[[:space:]]*\)"
  "printing	std::(cout|cerr|clog)|(^|[^A-Za-z0-9_])f?printf[[:space:]]*\("
)

mapfile -t files < <(pure_files)
if [ "${#files[@]}" -eq 0 ]; then
  echo "no pure files under $(pwd)"
  exit 2
fi
bad=""
for rule in "${rules[@]}"; do
  kind=${rule%%	*}
  pattern=${rule#*	}
  hits=$(grep -nHE -- "$pattern" "${files[@]}" | sed -E "s/^([^:]+:[0-9]+):/\1: $kind: /")
  [ -n "$hits" ] && bad+="$hits"$'\n'
done
if [ -n "$bad" ]; then
  echo "I/O in pure code (only common/host/ and <system>/app/ may do I/O):"
  printf '%s' "$bad"
  exit 1
fi
echo "${#files[@]} pure files checked"
