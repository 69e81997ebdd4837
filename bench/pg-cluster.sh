#!/usr/bin/env bash
# bench/pg-cluster.sh start DIR | stop DIR
#
# A private PostgreSQL 15 for the benchmarks, as the tests start theirs: initdb and pg_ctl (as the postgres user when
# run as root), data and Unix socket in DIR, listening on 127.0.0.1 on a free port, durable (fsync on, synchronous
# commit; PG_OPTIONS adds server options, e.g. for a diagnosis). "start" prints the JDBC URL (user postgres, trust authentication on loopback only); "stop" stops it (DIR
# stays, for the caller to remove). Needs: postgresql-15.
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
cmd=$1; dir=$2
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case $cmd in
  start)
    mkdir -p "$dir"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_pg "$bin/initdb" -D "$dir/data" --auth=trust -U postgres -E UTF8 --locale=C >/dev/null
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 ${PG_OPTIONS:-}" start >/dev/null
    echo "jdbc:postgresql://127.0.0.1:$port/postgres?user=postgres"
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start|stop DIR"; exit 2 ;;
esac
