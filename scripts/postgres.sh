#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests and benchmarks, on a loopback port, in a folder of its own.
#   scripts/postgres.sh start DIR PORT            a primary (trust auth, loopback only, replication allowed)
#   scripts/postgres.sh replica DIR PORT PRIMARY_PORT   a streaming replica of it (pg_basebackup -R)
#   scripts/postgres.sh stop DIR                  fast shutdown
# POSTGRES_FAST=1: no fsync (a throwaway server); POSTGRES_OWNER_PID=N: stopped when process N ends.
# Prints the Npgsql connection string of the server it started. Installs postgresql-15 when missing.
# The server runs as the postgres user when started by root (initdb refuses root).
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
if [ ! -x "$bin/initdb" ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends postgresql-15 >&2
fi
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
# A caller's open files (a build lock held with flock, say) must not stay open in a server that
# outlives it: every descriptor above stderr is closed first.
for fd in /proc/$$/fd/*; do
  n=${fd##*/}
  if [ "$n" -gt 2 ] 2>/dev/null; then eval "exec $n>&-" 2>/dev/null || true; fi
done
cmd=${1:?start|replica|stop}; dir=${2:?DIR}
case "$cmd" in
  start|replica)
    port=${3:?PORT}
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/PG_VERSION" ]; then
      if [ "$cmd" = start ]; then
        as_owner "$bin/initdb" -D "$dir" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
        {
          echo "listen_addresses = '127.0.0.1'"
          echo "unix_socket_directories = ''"
          # POSTGRES_FAST=1 (the test suite's throwaway server): no fsync, a lost server loses nothing of worth.
          if [ "${POSTGRES_FAST:-0}" = 1 ]; then echo "fsync = off"; echo "synchronous_commit = off"; echo "full_page_writes = off"; fi
          echo "wal_level = replica"
          echo "max_wal_senders = 10"
          echo "max_connections = 400"
          echo "shared_buffers = 256MB"
        } >>"$dir/postgresql.conf"
        echo "host replication all 127.0.0.1/32 trust" >>"$dir/pg_hba.conf"
      else
        primary=${4:?PRIMARY_PORT}
        as_owner "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary" -U postgres -D "$dir" -R -X stream -c fast >/dev/null
        chmod 700 "$dir"
      fi
    fi
    as_owner "$bin/pg_ctl" -D "$dir" -o "-p $port" -l "$dir/server.log" -w start >/dev/null
    # POSTGRES_OWNER_PID: the server (and its folder) goes when that process does, however it ends.
    if [ -n "${POSTGRES_OWNER_PID:-}" ]; then
      setsid bash -c "while kill -0 $POSTGRES_OWNER_PID 2>/dev/null; do sleep 2; done; bash '$0' stop '$dir'; rm -rf '$dir'" </dev/null >/dev/null 2>&1 &
    fi
    echo "Host=127.0.0.1;Port=$port;Username=postgres"
    ;;
  stop)
    [ -f "$dir/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null || true
    ;;
  *) echo "usage: $0 start|replica|stop DIR [PORT [PRIMARY_PORT]]" >&2; exit 2 ;;
esac
