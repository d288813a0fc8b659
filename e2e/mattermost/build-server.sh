#!/usr/bin/env bash
# Builds a Mattermost server for waardenbot's end-to-end tests, outside the
# project's module, from the server's Go module as the Go module proxy serves
# it here. Two servers are supported:
#
#   build-server.sh 6.7.2   the oldest server waardenbot supports (2022):
#                           github.com/mattermost/mattermost-server/v6@v6.7.2,
#                           the newest release of that module the proxy
#                           serves. Its zip has no usable vendor folder, so
#                           vendor/ is removed and it is built with -mod=mod;
#                           Go 1.26 refuses an old golang.org/x/net linkname
#                           unless -checklinkname=0.
#   build-server.sh 11.1    a current server: the monorepo's server module
#                           github.com/mattermost/mattermost/server/v8 at
#                           commit 833e0125320d (master of 2025-10-14, the
#                           11.1 development line). The proxy serves no
#                           version list of that module, only some exact
#                           pseudo-versions; this is the newest one found that
#                           builds. The monorepo builds with a go.work, so
#                           its go.mod names an older server/public
#                           (v0.1.12); v0.1.21 (2025-10-16) is the release of
#                           server/public closest after that commit.
#
# Prints the folder that holds the server (binary at bin/mattermost, with
# i18n/, templates/ and fonts/ beside it). Each build is cached in its own
# folder under $MM_CACHE_ROOT (default ~/.cache/waardenbot-e2e), so CI pays
# for a build (2 to 6 minutes on 2 cores) only once.
set -euo pipefail
version=${1:-6.7.2}
case "$version" in
6.7.2)
	module=github.com/mattermost/mattermost-server/v6
	modver=v6.7.2
	;;
11.1)
	module=github.com/mattermost/mattermost/server/v8
	modver=v8.0.0-20251014075701-833e0125320d
	public=v0.1.21
	;;
*)
	echo "usage: $0 [6.7.2|11.1]" >&2
	exit 2
	;;
esac
root=${MM_CACHE_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/waardenbot-e2e}
dest=$root/mattermost-v$version # mattermost-v6.7.2 is where earlier CI runs cached it
if [ -x "$dest/bin/mattermost" ]; then
	echo "$dest"
	exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(
	cd "$work"
	go mod init mmfetch >/dev/null 2>&1
	GOFLAGS=-mod=mod go mod download -json "$module@$modver" >mod.json
)
src=$(sed -n 's/.*"Dir": "\(.*\)",/\1/p' "$work/mod.json")
mkdir -p "$root"
rm -rf "$dest.tmp"
cp -r "$src" "$dest.tmp"
chmod -R u+w "$dest.tmp"
rm -rf "$dest.tmp/vendor"
(
	cd "$dest.tmp"
	case "$version" in
	6.7.2)
		GOFLAGS=-mod=mod go build -ldflags=-checklinkname=0 -o bin/mattermost ./cmd/mattermost >&2
		;;
	11.1)
		go mod edit "-require=github.com/mattermost/mattermost/server/public@$public"
		# As the release build does: the build number and a team edition.
		model=github.com/mattermost/mattermost/server/public/model
		GOFLAGS=-mod=mod go build -tags production \
			-ldflags "-X $model.BuildNumber=11.1.0-dev -X $model.BuildHash=833e0125320d -X $model.BuildEnterpriseReady=false" \
			-o bin/mattermost ./cmd/mattermost >&2
		;;
	esac
)
mv "$dest.tmp" "$dest"
echo "$dest"
