#!/usr/bin/env bash
# PostgreSQL search without recheck (issue 31): one SQLite archive moved into PostgreSQL, its search
# index stored three ways, each searched alternately with SQLite by postgres-vs-sqlite.py (output
# cache off: NEWSARCHIVE_NO_OUTPUT_CACHE=1). Databases on one throwaway server:
#   gin    what BUILD_GIN's migrate-to-postgres makes (positional lexemes under GIN: a phrase is rechecked)
#   rum    the same rows under RUM (postgresql-15-rum), which keeps positions in the index
#   pairs  BUILD_PAIRS' index, rebuilt by its migration (position-less pair lexemes under GIN; a Release build
#          of branch pgspeed at f4c429f: measured, not kept, docs/benchmarks.md)
# Usage: benchmarks/pg-strategies.sh SQLITE_ARCHIVE PG_DIR PORT BUILD_GIN BUILD_PAIRS [ROUNDS=3]
#   BUILD_x: a Release output folder. Each heavy step takes the shared CPU lock (/tmp/na-cpu.lock) when it exists.
set -euo pipefail
archive=$1 dir=$2 port=$3 gin=$4 pairs=$5 rounds=${6:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
lock() { if [ -e /tmp/na-cpu.lock ]; then flock /tmp/na-cpu.lock "$@"; else "$@"; fi; }
# A server already running in PG_DIR (a second run, after the slow steps) is reused.
server="Host=127.0.0.1;Port=$port;Username=postgres"
[ -f "$dir/postmaster.pid" ] || POSTGRES_FAST=1 bash "$root/scripts/postgres.sh" start "$dir" "$port" >/dev/null
q() { psql -h 127.0.0.1 -p "$port" -U postgres -qAt "$@"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/empty"
# Seconds a step took once it held the lock (its output dropped).
timed() { lock bash -c 's=$SECONDS; "$@" >/dev/null; echo $((SECONDS - s))' _ "$@"; }
if [ -z "$(q -c "SELECT 1 FROM pg_database WHERE datname = 'gin'")" ]; then
  q -c "CREATE DATABASE gin"
  echo "gin: migrate-to-postgres $(timed env Archive__Postgres="$server;Database=gin" Archive__Database="$work/gin.db" \
    dotnet "$gin/NewsArchive.Web.dll" migrate-to-postgres --from "$archive") s"
fi
if [ -z "$(q -c "SELECT 1 FROM pg_database WHERE datname = 'rum'")" ]; then
  q -c "CREATE DATABASE rum TEMPLATE gin"
  echo "rum: index build $(timed psql -h 127.0.0.1 -p "$port" -U postgres -qAt -d rum -c "CREATE EXTENSION rum" \
    -c "CREATE INDEX search_chunks_whole_rum ON search_chunks USING rum (tsv rum_tsvector_ops) WHERE whole" \
    -c "CREATE INDEX search_chunks_parts_rum ON search_chunks USING rum (tsv rum_tsvector_ops) WHERE NOT whole" \
    -c "DROP INDEX search_chunks_whole" -c "DROP INDEX search_chunks_parts" -c "ANALYZE search_chunks") s"
fi
if [ -z "$(q -c "SELECT 1 FROM pg_database WHERE datname = 'pairs'")" ]; then
  q -c "CREATE DATABASE pairs TEMPLATE gin"
  # An ingest of nothing: migration 0008 empties the index, the indexer rebuilds it from the articles.
  echo "pairs: index rebuild $(timed env Archive__Postgres="$server;Database=pairs" \
    dotnet "$pairs/NewsArchive.Web.dll" ingest "$work/empty" --db "$work/pairs.db") s"
fi
for db in gin rum pairs; do
  echo "$db: table $(q -d "$db" -c "SELECT pg_size_pretty(pg_table_size('search_chunks'))"), indexes $(q -d "$db" -c \
    "SELECT pg_size_pretty(sum(pg_relation_size(indexrelid))) FROM pg_index WHERE indrelid = 'search_chunks'::regclass AND NOT indisprimary")"
done
for db in gin rum pairs; do
  build=$gin
  [ "$db" = pairs ] && build=$pairs
  echo "== $db"
  NEWSARCHIVE_DLL="$build/NewsArchive.Web.dll" PG_ARCHIVE="$server;Database=$db" PG_DIR="$dir" \
    lock python3 "$root/benchmarks/postgres-vs-sqlite.py" - "$archive" "$rounds"
done
