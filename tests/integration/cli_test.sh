#!/usr/bin/env bash
# Every program in build/bin answers --help (exit 0, a usage line) and ends a bad flag with exit 2 and one line;
# a negative value for an unsigned option is such a bad flag (Boost would wrap it to the type's largest value).
set -u
bin=$1; shift
failed=0
# expect_refused PROGRAM FLAG=VALUE: exit 2 and one line naming the flag.
expect_refused() {
  local err code lines
  err=$("$bin/$1" "$2" 2>&1 >/dev/null); code=$?
  lines=$(printf '%s\n' "$err" | grep -c .)
  if [ $code -ne 2 ] || [ "$lines" -ne 1 ] || ! grep -q -- "${2%%=*}" <<<"$err"; then
    echo "FAIL $1 $2: exit $code, $lines line(s): $err"; failed=1
  fi
}
for program in "$@"; do
  out=$("$bin/$program" --help 2>&1); code=$?
  if [ $code -ne 0 ] || ! grep -q "^Usage: " <<<"$out"; then
    echo "FAIL $program --help exited $code"; failed=1
  fi
  expect_refused "$program" --no-such-flag
  # Every node program shares the link flags.
  if grep -q -- "--up-kbps" <<<"$out"; then
    expect_refused "$program" --up-kbps=-5
    expect_refused "$program" --down-kbps=-1
  fi
done
for flag in --numwant=-1 --max-peers=-1 --dial-peers=-3; do expect_refused bt-peer "$flag"; done
echo "$# programs checked"
exit $failed
