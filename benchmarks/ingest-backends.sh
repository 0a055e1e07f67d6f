#!/usr/bin/env bash
# Ingest of a corpus into a fresh archive on SQLite, PostgreSQL under GIN and PostgreSQL under RUM
# (Archive:PostgresRum), alternating by round; wall seconds of each `ingest`, and the search indexes
# each PostgreSQL archive ended with. PORT: a server of scripts/postgres.sh (its databases
# ingest_* are made and dropped). The build: a Release output folder.
# Usage: benchmarks/ingest-backends.sh BUILD CORPUS_DIR PORT [ROUNDS=2]
set -euo pipefail
build=$1 corpus=$2 port=$3 rounds=${4:-2}
server="Host=127.0.0.1;Port=$port;Username=postgres"
q() { psql -h 127.0.0.1 -p "$port" -U postgres -qAt "$@"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for ((r = 0; r < rounds; r++)); do
  order="sqlite gin rum"
  [ $((r % 2)) = 1 ] && order="rum gin sqlite"
  for kind in $order; do
    db=ingest_${kind}_$r
    env=()
    if [ "$kind" != sqlite ]; then
      q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
      env=(Archive__Postgres="$server;Database=$db" Archive__PostgresRum=$([ "$kind" = rum ] && echo true || echo false))
    fi
    start=$(date +%s.%N)
    env "${env[@]}" dotnet "$build/NewsArchive.Web.dll" ingest "$corpus" --db "$work/$db.db" >/dev/null
    seconds=$(echo "$(date +%s.%N) - $start" | bc)
    indexes=""
    if [ "$kind" != sqlite ]; then
      indexes=" ($(q -d "$db" -c "SELECT string_agg(indexname, ', ') FROM pg_indexes WHERE tablename = 'search_chunks' AND indexname <> 'search_chunks_pkey'"))"
      q -c "DROP DATABASE $db"
    fi
    echo "round $r $kind: $seconds s$indexes"
  done
done
