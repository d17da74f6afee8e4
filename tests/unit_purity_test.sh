#!/usr/bin/env bash
# Protocol cores are pure (DESIGN.md): no ZeroMQ, no ncurses, no clock read, no printing outside the I/O layer.
# The I/O layer is named below; everything else under common/ and the system folders must stay clean.
set -u
cd "$1"
io_layer='^(common/net/(reactor|transport)|common/node/(host|cli|node_options)|common/telemetry/publisher|common/content/shared_folder)\.|_main\.cpp$|^labs/'
files=$(git ls-files 'common/*' 'napster/*' 'gnutella/*' 'kazaa/*' 'bittorrent/*' 'coolstreaming/*' 2>/dev/null |
  grep -E '\.(h|cpp)$' | grep -Ev "$io_layer")
[ -n "$files" ] || files=$(find common napster gnutella kazaa bittorrent coolstreaming -name '*.h' -o -name '*.cpp' 2>/dev/null | grep -Ev "$io_layer")
bad=$(grep -nE '#include <(zmq\.hpp|zmq\.h|curses\.h|ncurses\.h|iostream)>|(steady_clock|system_clock|high_resolution_clock)::now|[^_a-z]time\(nullptr\)|std::cout|(^|[^a-z_])f?printf\(' $files)
if [ -n "$bad" ]; then
  echo "I/O inside pure code:"; echo "$bad"; exit 1
fi
echo "$(echo "$files" | wc -w) pure files checked"
