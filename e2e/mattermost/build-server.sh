#!/usr/bin/env bash
# Builds a Mattermost server for waardenbot's end-to-end tests, outside the
# project's module: github.com/mattermost/mattermost-server/v6@v6.7.2 is the
# newest server module the Go module proxy serves here. Its zip has no usable
# vendor folder, so the module is copied out of the module cache, vendor/ is
# removed and ./cmd/mattermost is built with -mod=mod. Go 1.26 refuses an old
# golang.org/x/net linkname unless -checklinkname=0.
#
# Prints the folder that holds the server (binary at bin/mattermost, with
# i18n/ and templates/ beside it). The build is cached in $MM_CACHE.
set -euo pipefail
MM_VERSION=v6.7.2
MM_CACHE=${MM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/waardenbot-e2e/mattermost-$MM_VERSION}
if [ -x "$MM_CACHE/bin/mattermost" ]; then
	echo "$MM_CACHE"
	exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(
	cd "$work"
	go mod init mmfetch >/dev/null 2>&1
	GOFLAGS=-mod=mod go mod download -json "github.com/mattermost/mattermost-server/v6@$MM_VERSION" >mod.json
)
src=$(sed -n 's/.*"Dir": "\(.*\)",/\1/p' "$work/mod.json")
mkdir -p "$(dirname "$MM_CACHE")"
rm -rf "$MM_CACHE.tmp"
cp -r "$src" "$MM_CACHE.tmp"
chmod -R u+w "$MM_CACHE.tmp"
rm -rf "$MM_CACHE.tmp/vendor"
(
	cd "$MM_CACHE.tmp"
	GOFLAGS=-mod=mod go build -ldflags=-checklinkname=0 -o bin/mattermost ./cmd/mattermost >&2
)
mv "$MM_CACHE.tmp" "$MM_CACHE"
echo "$MM_CACHE"
