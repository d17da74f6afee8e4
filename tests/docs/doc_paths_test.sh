#!/usr/bin/env bash
# doc_paths_test.sh ROOT: every repository file the README, docs/ and the lab handouts name exists, so a
# student who follows a handout to a file finds it. A path is a word starting with a top-level folder of the
# tree and ending in a file extension; a "<...>" or "*" in it marks a pattern, which is not checked.
set -u
cd "$1"
docs=$(ls README.md docs/*.md labs/README.md labs/*/README.md 2>/dev/null)
missing=0
checked=0
for doc in $docs; do
  while IFS= read -r path; do
    case "$path" in *'<'* | *'*'* | *NAME* | *SYSTEM*) continue ;; esac
    checked=$((checked + 1))
    if [ ! -e "$path" ]; then
      echo "$doc names $path, which does not exist"
      missing=$((missing + 1))
    fi
  done < <(grep -oE '(^|[^A-Za-z0-9_./-])(common|napster|gnutella|kazaa|bittorrent|coolstreaming|labs|tests|docs)/[A-Za-z0-9_./<>*-]*\.(h|cpp|ini|sh|md|lua|txt|json)' "$doc" |
    sed -E 's/^[^A-Za-z]//' | sort -u)
done
[ "$missing" -eq 0 ] || exit 1
echo "$checked file paths named in $(echo "$docs" | wc -w) documents, all present"
