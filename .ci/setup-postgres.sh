# PostgreSQL for the ledger tests (tests/test_ledger_*.py run against SQLite always, and against
# this server as well when KREATOR_TEST_PG_URL is set). Debian's own packages; the server listens
# on 127.0.0.1 only. Sourced by .ci/run with `set -euo pipefail`, as root. Idempotent.
KREATOR_PG_PORT="${KREATOR_PG_PORT:-55432}"  # not 5432: a packaged cluster may own it
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  apt-get update
  apt-get install -y --no-install-recommends postgresql
fi
KREATOR_PG_BIN="$(dirname "$(ls -d /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -n 1)")"
KREATOR_PG_DATA="${KREATOR_PG_DATA:-/var/tmp/kreator-pg}"
if [ ! -s "$KREATOR_PG_DATA/PG_VERSION" ]; then
  mkdir -p "$KREATOR_PG_DATA"
  chown postgres:postgres "$KREATOR_PG_DATA"
  runuser -u postgres -- "$KREATOR_PG_BIN/initdb" -D "$KREATOR_PG_DATA" -A trust -U postgres \
    --encoding=UTF8 --locale=C.UTF-8 >/dev/null
fi
if ! runuser -u postgres -- "$KREATOR_PG_BIN/pg_ctl" -D "$KREATOR_PG_DATA" status >/dev/null 2>&1; then
  mkdir -p /var/run/postgresql && chown postgres:postgres /var/run/postgresql
  runuser -u postgres -- "$KREATOR_PG_BIN/pg_ctl" -D "$KREATOR_PG_DATA" -l "$KREATOR_PG_DATA/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $KREATOR_PG_PORT -c fsync=on" -w start >/dev/null
fi
kreator_psql() {
  runuser -u postgres -- "$KREATOR_PG_BIN/psql" -h 127.0.0.1 -p "$KREATOR_PG_PORT" -U postgres \
    -v ON_ERROR_STOP=1 -tAc "$1"
}
if [ "$(kreator_psql "SELECT 1 FROM pg_roles WHERE rolname = 'kreator'")" != "1" ]; then
  kreator_psql "CREATE ROLE kreator LOGIN CREATEDB PASSWORD 'kreator'" >/dev/null
fi
if [ "$(kreator_psql "SELECT 1 FROM pg_database WHERE datname = 'kreator_test'")" != "1" ]; then
  kreator_psql "CREATE DATABASE kreator_test OWNER kreator" >/dev/null
fi
unset -f kreator_psql
export KREATOR_TEST_PG_URL="postgresql+psycopg://kreator:kreator@127.0.0.1:${KREATOR_PG_PORT}/kreator_test"
