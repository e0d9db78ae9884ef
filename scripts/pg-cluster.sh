#!/usr/bin/env bash
# A throw-away PostgreSQL 15 cluster for tests.
#
#   scripts/pg-cluster.sh start [DIR]   initdb (if needed) and start a cluster in DIR (default: a new
#                                       /tmp/aftersales-pg.XXXXXX); prints its URL as the last
#                                       line of stdout and writes it to DIR/url
#   scripts/pg-cluster.sh url DIR       prints the URL again
#   scripts/pg-cluster.sh stop DIR      stops the cluster and removes DIR
#
# The server listens on 127.0.0.1 only, on a free port chosen here, with its unix socket in the
# data directory, trust authentication, fsync on, a database `aftersales_test` and a superuser
# role `aftersales`:  postgresql://aftersales@127.0.0.1:PORT/aftersales_test
#
# initdb and postgres refuse to run as root, so they run as the `postgres` user: through
# runuser when we are root (as here and in CI), through `sudo -n -u postgres` otherwise.
# Informational messages go to stderr; stdout carries only the URL.
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
DB_NAME=aftersales_test
ROLE_NAME=aftersales
PG_USER=postgres

say() { echo "pg-cluster: $*" >&2; }
die() {
  say "error: $*"
  exit 1
}
usage() {
  echo "usage: $0 start [DIR] | url DIR | stop DIR" >&2
  exit 2
}

# Runs a command as the postgres user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$PG_USER" -- "$@"
  elif [ "$(id -un)" = "$PG_USER" ]; then
    "$@"
  else
    sudo -n -u "$PG_USER" -- "$@"
  fi
}

check_tools() {
  [ -x "$PGBIN/initdb" ] && [ -x "$PGBIN/pg_ctl" ] && [ -x "$PGBIN/psql" ] ||
    die "PostgreSQL 15 server binaries not found in $PGBIN (apt-get install postgresql-15)"
  id -u "$PG_USER" >/dev/null 2>&1 || die "no '$PG_USER' user on this machine (install the postgresql package)"
  if [ "$(id -u)" != 0 ] && [ "$(id -un)" != "$PG_USER" ]; then
    command -v sudo >/dev/null 2>&1 || die "run as root, as $PG_USER, or with sudo available"
    sudo -n -u "$PG_USER" true 2>/dev/null || die "'sudo -n -u $PG_USER' is not allowed for $(id -un)"
  fi
}

# DIR is spliced into server settings; keep it to characters that need no quoting.
check_dir_name() {
  case "$1" in
    /*) ;;
    *) die "DIR must be an absolute path: $1" ;;
  esac
  [[ "$1" =~ ^[A-Za-z0-9_./-]+$ ]] || die "DIR may contain only letters, digits and _ . / -: $1"
}

port_in_use() {
  local port=$1
  if command -v ss >/dev/null 2>&1; then
    [ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ] && return 0
  fi
  # Something accepting connections on it?
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
  return 1
}

pick_port() {
  local port i
  for i in $(seq 1 100); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 20001))
    if ! port_in_use "$port"; then
      echo "$port"
      return 0
    fi
  done
  die "no free TCP port found in 20000-40000"
}

is_running() { as_pg "$PGBIN/pg_ctl" -D "$1/data" status >/dev/null 2>&1; }

url_for_port() { echo "postgresql://$ROLE_NAME@127.0.0.1:$1/$DB_NAME"; }

cmd_start() {
  check_tools
  local dir=${1:-}
  if [ -z "$dir" ]; then
    dir=$(as_pg mktemp -d /tmp/aftersales-pg.XXXXXX) || die "cannot create a directory under /tmp"
  fi
  check_dir_name "$dir"
  dir=${dir%/}

  if [ -f "$dir/data/PG_VERSION" ] && is_running "$dir" && [ -f "$dir/url" ]; then
    say "already running in $dir"
    cat "$dir/url"
    return 0
  fi

  # The directory must belong to postgres (and be reachable by it).
  if [ ! -d "$dir" ]; then
    if [ "$(id -u)" = 0 ]; then
      mkdir -p "$dir"
    else
      as_pg mkdir -p "$dir" || die "cannot create $dir as $PG_USER"
    fi
  fi
  if [ "$(id -u)" = 0 ] && [ "$(stat -c %U "$dir")" != "$PG_USER" ]; then
    chown -R "$PG_USER:" "$dir"
  fi
  chmod 755 "$dir" 2>/dev/null || as_pg chmod 755 "$dir" 2>/dev/null || true
  as_pg test -w "$dir" -a -x "$dir" ||
    die "$dir is not writable by $PG_USER (is a parent directory closed to it? try one under /tmp)"

  if [ ! -f "$dir/data/PG_VERSION" ]; then
    [ -z "$(ls -A "$dir" 2>/dev/null | grep -v '^url$\|^log$\|^initdb.log$' || true)" ] ||
      die "$dir is not empty and holds no cluster; refusing to use it"
    say "initdb in $dir/data"
    if ! as_pg "$PGBIN/initdb" -D "$dir/data" -U "$PG_USER" --auth=trust --encoding=UTF8 \
      --no-locale --no-instructions >"$dir/initdb.log" 2>&1; then
      tail -n 20 "$dir/initdb.log" >&2 || true
      die "initdb failed (log: $dir/initdb.log)"
    fi
    # Local test cluster: loopback TCP and the socket in the data directory only.
    as_pg tee -a "$dir/data/postgresql.conf" >/dev/null <<EOF

# scripts/pg-cluster.sh
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir/data'
fsync = on
max_connections = 100
EOF
  fi

  local port attempt started=0
  if is_running "$dir"; then
    port=$(cat "$dir/port" 2>/dev/null) || die "a server runs in $dir/data but $dir/port is missing"
    started=1
  else
    for attempt in 1 2 3 4 5; do
      port=$(pick_port)
      say "starting PostgreSQL on 127.0.0.1:$port"
      if as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 -o "-p $port" start >/dev/null 2>&1; then
        started=1
        break
      fi
      # Someone may have taken the port between the check and the start: try another.
      say "start on port $port failed (attempt $attempt); log tail:"
      tail -n 5 "$dir/log" >&2 2>/dev/null || true
    done
  fi
  [ "$started" = 1 ] || die "PostgreSQL did not start (log: $dir/log)"
  echo "$port" | as_pg tee "$dir/port" >/dev/null

  # Role and database, created only if missing.
  if ! as_pg "$PGBIN/psql" -h "$dir/data" -p "$port" -U "$PG_USER" -d postgres -X -q -v ON_ERROR_STOP=1 >/dev/null <<EOF; then
SELECT 'CREATE ROLE $ROLE_NAME LOGIN SUPERUSER'
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$ROLE_NAME')\gexec
SELECT 'CREATE DATABASE $DB_NAME OWNER $ROLE_NAME ENCODING ''UTF8'' TEMPLATE template0'
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$DB_NAME')\gexec
EOF
    die "could not create role $ROLE_NAME and database $DB_NAME (log: $dir/log)"
  fi

  local url
  url=$(url_for_port "$port")
  echo "$url" | as_pg tee "$dir/url" >/dev/null
  say "running in $dir (stop with: $0 stop $dir)"
  echo "$url"
}

cmd_url() {
  local dir=${1:-}
  [ -n "$dir" ] || usage
  [ -f "$dir/url" ] || die "no cluster in $dir (start one with: $0 start $dir)"
  is_running "${dir%/}" || say "warning: the cluster in $dir is not running"
  cat "$dir/url"
}

cmd_stop() {
  check_tools
  local dir=${1:-}
  [ -n "$dir" ] || usage
  dir=${dir%/}
  if [ ! -e "$dir" ]; then
    say "$dir does not exist; nothing to stop"
    return 0
  fi
  # Remove only what looks like ours.
  if [ ! -f "$dir/data/PG_VERSION" ] && [ ! -f "$dir/url" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
    die "$dir does not look like a pg-cluster.sh directory; not touching it"
  fi
  if [ -f "$dir/data/PG_VERSION" ] && is_running "$dir"; then
    say "stopping the cluster in $dir"
    as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null ||
      die "pg_ctl stop failed (log: $dir/log)"
  fi
  if [ "$(id -u)" = 0 ]; then
    rm -rf -- "$dir"
  else
    as_pg rm -rf -- "$dir"
  fi
  say "removed $dir"
}

case "${1:-}" in
  start) cmd_start "${2:-}" ;;
  url) cmd_url "${2:-}" ;;
  stop) cmd_stop "${2:-}" ;;
  *) usage ;;
esac
