#!/usr/bin/env bash
# The known-failures gate shared by scripts/conformance.sh and
# scripts/conformance-repo.sh: compares the files a run failed (its
# `FAIL NAME ...` lines in LOG) with the list in KNOWN (one name per line,
# anything after the name and `#` lines ignored). A failure not on the
# list is a regression; a listed file that now passes must leave the list,
# so the list always says exactly where the project stands. (`skip NAME`
# lines name files a runner leaves out; the gate ignores them.)
#
#   scripts/known-gate.sh LOG KNOWN LABEL
set -euo pipefail
log="$1" known="$2" label="$3"
failed="$(sed -n 's/^FAIL \([^ ]*\).*/\1/p' "$log" | sort)"
expected="$({ grep -v -e '^#' -e '^skip ' "$known" || true; } | sed 's/[[:space:]].*//; /^$/d' | sort)"
new="$(comm -23 <(echo "$failed") <(echo "$expected") | sed '/^$/d')"
fixed="$(comm -13 <(echo "$failed") <(echo "$expected") | sed '/^$/d')"
status=0
if [ -n "$new" ]; then
    echo "$label: REGRESSION, these files now fail:" >&2
    echo "$new" | sed 's/^/  /' >&2
    status=1
fi
if [ -n "$fixed" ]; then
    echo "$label: these files now pass; remove them from $known:" >&2
    echo "$fixed" | sed 's/^/  /' >&2
    status=1
fi
[ "$status" = 0 ] && echo "$label: matches the known state ($(echo "$expected" | sed '/^$/d' | wc -l) known failures)"
exit "$status"
