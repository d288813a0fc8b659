#!/usr/bin/env bash
# Starts (or stops) the PostgreSQL cluster that waardenbot's PostgreSQL store
# is tested against: Debian's postgresql package, a cluster of its own
# (15/waardenbot-store on port 5434, trusting local connections: it holds only
# throwaway test data), so that it never disturbs the cluster of the
# Mattermost end-to-end test (15/waardenbot, port 5433).
#
#   start.sh          install PostgreSQL if missing, create and start the
#                     cluster and the database waardenbot_test; prints
#                     WAARDENBOT_TEST_POSTGRES_DSN=… for the tests
#   start.sh stop     stop the cluster
#   start.sh drop     stop and delete the cluster with its data
#
# Tests read WAARDENBOT_TEST_POSTGRES_DSN and skip, saying so, without it:
#
#   eval "$(e2e/postgres/start.sh)" && export WAARDENBOT_TEST_POSTGRES_DSN
#   go test -race ./bot/store/...
set -euo pipefail
PG_VERSION=${PG_VERSION:-15}
PG_CLUSTER=${PG_CLUSTER:-waardenbot-store}
PG_PORT=${PG_PORT:-5434}
PG_DB=${PG_DB:-waardenbot_test}

psql_pg() { runuser -u postgres -- psql -h 127.0.0.1 -p "$PG_PORT" -v ON_ERROR_STOP=1 -qtA "$@"; }

exists() { pg_lsclusters -h 2>/dev/null | awk '{print $1"/"$2}' | grep -qx "$PG_VERSION/$PG_CLUSTER"; }

start() {
	if ! command -v pg_ctlcluster >/dev/null; then
		apt-get update -qq >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
	fi
	if ! exists; then
		# Test data only: trust local connections, and keep the server small.
		pg_createcluster "$PG_VERSION" "$PG_CLUSTER" -p "$PG_PORT" -- --auth=trust >&2
		conf=/etc/postgresql/$PG_VERSION/$PG_CLUSTER/postgresql.conf
		{
			echo "listen_addresses = '127.0.0.1'"
			echo "max_connections = 300"
			echo "shared_buffers = 128MB"
		} >>"$conf"
	fi
	pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" status >/dev/null 2>&1 || pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start >&2
	for _ in $(seq 60); do psql_pg -c 'select 1' >/dev/null 2>&1 && break; sleep 0.5; done
	psql_pg -c 'select 1' >/dev/null
	[ "$(psql_pg -c "select 1 from pg_database where datname='$PG_DB'")" = 1 ] || psql_pg -c "create database $PG_DB" >&2
	echo "WAARDENBOT_TEST_POSTGRES_DSN=postgres://postgres@127.0.0.1:$PG_PORT/$PG_DB?sslmode=disable"
}

case "${1:-start}" in
start) start ;;
stop) exists && pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop >&2 || true ;;
drop) exists && pg_dropcluster --stop "$PG_VERSION" "$PG_CLUSTER" >&2 || true ;;
*) echo "usage: $0 [start|stop|drop]" >&2; exit 2 ;;
esac
