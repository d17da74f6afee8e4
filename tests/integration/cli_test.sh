#!/usr/bin/env bash
# Every program in build/bin answers --help (exit 0, a usage line) and ends a bad flag with exit 2 and one line.
set -u
bin=$1; shift
failed=0
for program in "$@"; do
  out=$("$bin/$program" --help 2>&1); code=$?
  if [ $code -ne 0 ] || ! grep -q "^Usage: " <<<"$out"; then
    echo "FAIL $program --help exited $code"; failed=1
  fi
  err=$("$bin/$program" --no-such-flag 2>&1 >/dev/null); code=$?
  lines=$(printf '%s\n' "$err" | grep -c .)
  if [ $code -ne 2 ] || [ "$lines" -ne 1 ] || ! grep -q "no-such-flag" <<<"$err"; then
    echo "FAIL $program --no-such-flag: exit $code, $lines line(s): $err"; failed=1
  fi
done
echo "$# programs checked"
exit $failed
