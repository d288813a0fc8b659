#!/usr/bin/env bash
# Checks deploy/waardenbot.service with systemd's own tools: the unit must
# pass `systemd-analyze verify`, and `systemd-analyze security` must rate
# its exposure at most "OK". verify also checks that the ExecStart binary
# exists, so the unit is checked with ExecStart pointing at a freshly built
# binary; nothing else in it changes. Prints the exposure level.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -C "$here/.." -o "$work/waardenbot" ./cmd/waardenbot
sed "s|^ExecStart=/usr/local/bin/waardenbot |ExecStart=$work/waardenbot |" "$here/waardenbot.service" >"$work/waardenbot.service"
grep -q "^ExecStart=$work/waardenbot " "$work/waardenbot.service" || { echo "ExecStart not found in the unit" >&2; exit 1; }
systemd-analyze verify "$work/waardenbot.service"
level=$(systemd-analyze security --offline=true --no-pager "$work/waardenbot.service" 2>&1 | sed -n 's/.*Overall exposure level for waardenbot.service: \([0-9.]*\) \([A-Z]*\).*/\1 \2/p')
echo "systemd-analyze verify: ok; exposure level: $level"
case "$level" in
*" OK" | *" SAFE") ;;
*) echo "exposure level $level is worse than OK" >&2; exit 1 ;;
esac
