#!/usr/bin/env bash
# Installs (if missing) and starts a private Postgres 15 and Redis 7 for this checkout, unless
# DATABASE_URL / REDIS_URL are already configured. Source it: it exports DATABASE_URL and REDIS_URL.
#   source scripts/services.sh start   |   bash scripts/services.sh stop
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${VERILOCK_STATE_DIR:-$ROOT/.local}"
PG_PORT="${VERILOCK_PG_PORT:-54329}"
REDIS_PORT="${VERILOCK_REDIS_PORT:-63799}"
PG_BIN=""

log() { echo "[services] $*" >&2; }

source "$ROOT/scripts/apt.sh"

find_pg_bin() {
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ]
}

# Postgres refuses to run as root, so a root caller runs it as the `postgres` system user.
as_pg() {
  # From / : the caller's working directory may be one postgres cannot enter.
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# The cluster's directory. A root caller runs Postgres as `postgres`, which must be able to reach it:
# from a checkout inside a 0700 directory (root's home on a fresh machine) it cannot, so the cluster
# then lives in /var/lib/postgresql/verilock-<checksum of the state path> (VERILOCK_PG_DIR overrides).
pg_dir() {
  if [ -n "${VERILOCK_PG_DIR:-}" ]; then echo "$VERILOCK_PG_DIR"; return; fi
  mkdir -p "$STATE"
  if [ "$(id -u)" != 0 ] || runuser -u postgres -- test -x "$STATE" 2>/dev/null; then echo "$STATE/pg"; return; fi
  echo "/var/lib/postgresql/verilock-$(printf %s "$(cd "$STATE" && pwd)" | sha256sum | cut -c1-12)"
}

start_postgres() {
  find_pg_bin || { apt_install postgresql; find_pg_bin; }
  local dir; dir="$(pg_dir)"
  local data="$dir/data" sock="$dir"
  [ "$dir" = "$STATE/pg" ] || log "postgres cannot reach $STATE: its cluster lives in $dir"
  mkdir -p "$sock"
  [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$dir"
  if [ ! -f "$data/PG_VERSION" ]; then
    log "initialising Postgres cluster in $data"
    as_pg "$PG_BIN/initdb" -D "$data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! as_pg "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    log "starting Postgres on 127.0.0.1:$PG_PORT"
    as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$dir/postgres.log" -w -t 60 \
      -o "-p $PG_PORT -k $sock -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=${VERILOCK_PG_FSYNC:-on}" start >/dev/null
  fi
  as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='verilock'" | grep -q 1 ||
    as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres verilock
  export DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/verilock"
}

# Redis's memory ceiling: VERILOCK_REDIS_MAXMEMORY (Redis units: 512mb, 2gb), else a quarter of this
# machine's RAM. At the ceiling Redis refuses writes and ingest answers 503 (scripts/redis.conf).
redis_maxmemory() {
  if [ -n "${VERILOCK_REDIS_MAXMEMORY:-}" ]; then echo "$VERILOCK_REDIS_MAXMEMORY"; return; fi
  echo "$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 4 / 1024 ))mb"
}

start_redis() {
  command -v redis-server >/dev/null || apt_install redis-server
  mkdir -p "$STATE/redis"
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    local maxmemory
    maxmemory="$(redis_maxmemory)"
    log "starting Redis on 127.0.0.1:$REDIS_PORT (maxmemory $maxmemory, appendfsync always)"
    redis-server "$ROOT/scripts/redis.conf" --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$STATE/redis" --daemonize yes \
      --pidfile "$STATE/redis/redis.pid" --logfile "$STATE/redis/redis.log" --maxmemory "$maxmemory" >/dev/null
  fi
  # PING answers "LOADING" while a large append-only file is replayed: wait for PONG (up to 2 min).
  for _ in $(seq 1200); do [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] && break; sleep 0.1; done
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
}

stop_services() {
  local dir=""
  find_pg_bin && dir="$(pg_dir)"
  if [ -n "$dir" ] && [ -f "$dir/data/PG_VERSION" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 && log "Postgres stopped" || true
  fi
  if [ -f "$STATE/redis/redis.pid" ]; then
    redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 && log "Redis stopped" || true
  fi
}

case "${1:-start}" in
  start)
    [ -n "${DATABASE_URL:-}" ] || start_postgres
    [ -n "${REDIS_URL:-}" ] || start_redis
    ;;
  stop) stop_services ;;
  *) echo "usage: services.sh start|stop" >&2; exit 2 ;;
esac
