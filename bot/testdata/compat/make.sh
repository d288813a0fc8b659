#!/usr/bin/env bash
# Writes main.db and main.json: a data file as waardenbot left it before its
# core was split into packages (main after session 3's fixes of issues 10
# and 11), made through the ask command only, so that
# TestDataFileOfTheFirstMilestoneOpens can check that later code opens it
# and keeps its polls, votes and schedules. The file is kept in git and
# never rewritten: run this only with that commit checked out.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../../.."
db=$here/main.db
rm -f "$db"
go build -o /tmp/waardenbot-compat ./cmd/waardenbot
ask() { /tmp/waardenbot-compat ask --db "$db" --channel raad --user "$1" --json "$2"; }
id() { sed -n 's/.*"poll":{"id":"\([a-z0-9]*\)".*/\1/p'; }
a=$(ask anna "/casus max=2 tot=2027-02-01 12:00 Camera's op het stationsplein? | privacy, veiligheid, gelijkheid" | id)
ask bob "/stem $a privacy, veiligheid" >/dev/null
ask carla "/stem $a gelijkheid" >/dev/null
ask dirk "/stem $a privacy" >/dev/null
b=$(ask anna "/stelling anoniem De gemeente publiceert al haar algoritmes" | id)
ask bob "/stem $b eens" >/dev/null
ask carla "/stem $b oneens" >/dev/null
ask anna "/sluit $b" >/dev/null
c=$(ask anna "/casus verborgen max=1 Kiezen we voor open source? | doelmatigheid, autonomie" | id)
ask bob "/stem $c 1" >/dev/null
ask anna "/reflectie aan 0 9 * * 1" >/dev/null
ask anna "/debat 2027-03-10 19:30 Camera's in de binnenstad" >/dev/null
printf '{"open":"%s","anonymous_closed":"%s","hidden_open":"%s"}\n' "$a" "$b" "$c" >"$here/main.json"
echo "wrote $db: polls $a $b $c"
