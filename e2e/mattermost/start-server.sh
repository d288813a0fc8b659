#!/usr/bin/env bash
# Starts (or stops) a real Mattermost server for waardenbot's end-to-end
# tests: a PostgreSQL cluster of its own (Debian's postgresql package, managed
# with pg_ctlcluster) and the server that build-server.sh built, configured
# with environment variables only, listening on loopback.
#
#   start-server.sh          start PostgreSQL and Mattermost, wait for the ping
#   start-server.sh stop     stop Mattermost and its PostgreSQL cluster
#   start-server.sh restart  stop, then start Mattermost again (same data)
#   start-server.sh crash    kill Mattermost (SIGKILL), then start it again
#   start-server.sh reset    stop Mattermost and drop its database and files
#
# MM_SERVER picks the server: 6.7.2 (default) or 11.1 (see build-server.sh).
# Each has its own port (8065, 8066), database and state folder, so both
# can run at once; they share the PostgreSQL cluster.
#
# Prints MM_URL=… when the server answers. Nothing here phones home.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PG_VERSION=${PG_VERSION:-15}
PG_CLUSTER=${PG_CLUSTER:-waardenbot}
PG_PORT=${PG_PORT:-5433}
MM_SERVER=${MM_SERVER:-6.7.2}
case "$MM_SERVER" in
6.7.2) default_port=8065 ;;
11.1) default_port=8066 ;;
*) echo "MM_SERVER=$MM_SERVER: want 6.7.2 or 11.1" >&2; exit 2 ;;
esac
MM_PORT=${MM_PORT:-$default_port}
MM_STATE=${MM_STATE:-/tmp/waardenbot-e2e-mattermost-$MM_SERVER}
MM_DB=mattermost_${MM_SERVER//./_}
MM_URL="http://127.0.0.1:$MM_PORT"
mkdir -p "$MM_STATE"
pidfile="$MM_STATE/mattermost.pid"

stop_server() {
	if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
		pid=$(cat "$pidfile")
		kill "-${1:-TERM}" "$pid"
		for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
		kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
	fi
	rm -f "$pidfile"
}

start_postgres() {
	if ! command -v pg_ctlcluster >/dev/null; then
		apt-get update -qq >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
	fi
	if ! pg_lsclusters -h | awk '{print $1"/"$2}' | grep -qx "$PG_VERSION/$PG_CLUSTER"; then
		# A cluster of our own on its own port, trusting local connections:
		# it holds only throwaway test data.
		pg_createcluster "$PG_VERSION" "$PG_CLUSTER" -p "$PG_PORT" -- --auth=trust >&2
	fi
	pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" status >/dev/null 2>&1 || pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start >&2
	psql_pg() { runuser -u postgres -- psql -h 127.0.0.1 -p "$PG_PORT" -v ON_ERROR_STOP=1 -qtA "$@"; }
	for _ in $(seq 30); do psql_pg -c 'select 1' >/dev/null 2>&1 && break; sleep 0.5; done
	[ "$(psql_pg -c "select 1 from pg_roles where rolname='mmuser'")" = 1 ] || psql_pg -c "create user mmuser with password 'mmuser-e2e'" >&2
	[ "$(psql_pg -c "select 1 from pg_database where datname='$MM_DB'")" = 1 ] || psql_pg -c "create database $MM_DB owner mmuser" >&2
}

start_server() {
	if curl -fsS "$MM_URL/api/v4/system/ping" >/dev/null 2>&1; then
		echo "MM_URL=$MM_URL"
		return
	fi
	start_postgres
	mm_dir=$("$here/build-server.sh" "$MM_SERVER")
	mkdir -p "$MM_STATE/data" "$MM_STATE/logs" "$MM_STATE/plugins" "$MM_STATE/client-plugins"
	(
		cd "$mm_dir" # finds i18n/, templates/ and fonts/ here
		export MM_SQLSETTINGS_DRIVERNAME=postgres
		export MM_SQLSETTINGS_DATASOURCE="postgres://mmuser:mmuser-e2e@127.0.0.1:$PG_PORT/$MM_DB?sslmode=disable&connect_timeout=10"
		export MM_SERVICESETTINGS_LISTENADDRESS="127.0.0.1:$MM_PORT"
		export MM_SERVICESETTINGS_SITEURL="$MM_URL"
		export MM_SERVICESETTINGS_ENABLEBOTACCOUNTCREATION=true
		export MM_SERVICESETTINGS_ENABLEUSERACCESSTOKENS=true
		export MM_SERVICESETTINGS_ENABLECOMMANDS=true
		export MM_SERVICESETTINGS_ENABLEPOSTUSERNAMEOVERRIDE=false
		export MM_SERVICESETTINGS_ALLOWEDUNTRUSTEDINTERNALCONNECTIONS='127.0.0.1 localhost'
		export MM_SERVICESETTINGS_ENABLESECURITYFIXALERT=false
		export MM_PLUGINSETTINGS_ENABLE=false
		export MM_PLUGINSETTINGS_DIRECTORY="$MM_STATE/plugins"
		export MM_PLUGINSETTINGS_CLIENTDIRECTORY="$MM_STATE/client-plugins"
		export MM_LOGSETTINGS_ENABLEDIAGNOSTICS=false
		export MM_LOGSETTINGS_FILELOCATION="$MM_STATE/logs"
		export MM_LOGSETTINGS_CONSOLELEVEL=ERROR
		export MM_NOTIFICATIONLOGSETTINGS_CONSOLELEVEL=ERROR # since 9.x
		export MM_NOTIFICATIONLOGSETTINGS_FILELOCATION="$MM_STATE/logs"
		export MM_ANNOUNCEMENTSETTINGS_ADMINNOTICESENABLED=false
		export MM_ANNOUNCEMENTSETTINGS_USERNOTICESENABLED=false
		export MM_FILESETTINGS_DIRECTORY="$MM_STATE/data"
		export MM_TEAMSETTINGS_ENABLEOPENSERVER=true
		export MM_EMAILSETTINGS_SENDEMAILNOTIFICATIONS=false
		export MM_RATELIMITSETTINGS_ENABLE=false
		nohup ./bin/mattermost --config "$MM_STATE/config.json" >>"$MM_STATE/mattermost.out" 2>&1 &
		echo $! >"$pidfile"
	)
	for _ in $(seq 240); do
		if curl -fsS "$MM_URL/api/v4/system/ping" >/dev/null 2>&1; then
			echo "MM_URL=$MM_URL"
			return
		fi
		if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
			echo "Mattermost exited; last lines of $MM_STATE/mattermost.out:" >&2
			tail -n 30 "$MM_STATE/mattermost.out" >&2
			exit 1
		fi
		sleep 0.5
	done
	echo "Mattermost $MM_SERVER did not answer $MM_URL/api/v4/system/ping within 120 s; see $MM_STATE/mattermost.out" >&2
	exit 1
}

case "${1:-start}" in
start) start_server ;;
stop)
	stop_server
	# The cluster is shared: leave it up while the other server runs.
	for other in /tmp/waardenbot-e2e-mattermost-*/mattermost.pid; do
		[ -f "$other" ] && kill -0 "$(cat "$other")" 2>/dev/null && exit 0
	done
	if pg_lsclusters -h 2>/dev/null | awk '{print $1"/"$2}' | grep -qx "$PG_VERSION/$PG_CLUSTER"; then
		pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" status >/dev/null 2>&1 && pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop >&2
	fi
	;;
restart) stop_server; start_server ;;
crash) stop_server KILL; start_server ;;
reset)
	stop_server
	start_postgres
	runuser -u postgres -- psql -h 127.0.0.1 -p "$PG_PORT" -qc "drop database if exists $MM_DB" >&2 || true
	rm -rf "$MM_STATE"
	;;
*) echo "usage: $0 [start|stop|restart|crash|reset]" >&2; exit 2 ;;
esac
