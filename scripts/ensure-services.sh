#!/usr/bin/env bash
# Make sure the local PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379)
# used by the test suite are running; start them if they are down.
# Idempotent and fast when both already answer.
set -euo pipefail

PG_HOST=127.0.0.1
PG_PORT=5432
REDIS_HOST=127.0.0.1
REDIS_PORT=${ENSURE_SERVICES_REDIS_PORT:-6379}
WAIT_SECONDS=${ENSURE_SERVICES_WAIT:-30}

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
fi

status=0

pg_up() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" >/dev/null 2>&1; }
redis_up() { [ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; }

wait_for() {  # wait_for <check-fn>
    local i
    for ((i = 0; i < WAIT_SECONDS * 4; i++)); do
        if "$1"; then return 0; fi
        sleep 0.25
    done
    return 1
}

# --- PostgreSQL -------------------------------------------------------------
if ! command -v pg_isready >/dev/null 2>&1; then
    echo "ensure-services: ERROR: pg_isready not found; install PostgreSQL (apt-get install postgresql)" >&2
    status=1
elif pg_up; then
    echo "ensure-services: PostgreSQL is up on $PG_HOST:$PG_PORT"
else
    echo "ensure-services: PostgreSQL is down on $PG_HOST:$PG_PORT; starting it"
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ] && [ -n "$(ls /etc/postgresql 2>/dev/null)" ]; then
        pg_version=$(ls /etc/postgresql | sort -V | tail -n 1)
        $SUDO pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start || true
        if wait_for pg_up; then
            echo "ensure-services: PostgreSQL $pg_version started"
        else
            echo "ensure-services: ERROR: PostgreSQL $pg_version did not come up on $PG_HOST:$PG_PORT" >&2
            echo "  (see /var/log/postgresql/postgresql-$pg_version-main.log)" >&2
            status=1
        fi
    else
        echo "ensure-services: ERROR: PostgreSQL is not running and no cluster was found to start" >&2
        echo "  (expected pg_ctlcluster and a cluster under /etc/postgresql/<version>/main)" >&2
        status=1
    fi
fi

# --- Redis ------------------------------------------------------------------
if ! command -v redis-cli >/dev/null 2>&1; then
    echo "ensure-services: ERROR: redis-cli not found; install Redis (apt-get install redis-server)" >&2
    status=1
elif redis_up; then
    echo "ensure-services: Redis is up on $REDIS_HOST:$REDIS_PORT"
else
    echo "ensure-services: Redis is down on $REDIS_HOST:$REDIS_PORT; starting it"
    if command -v redis-server >/dev/null 2>&1; then
        $SUDO mkdir -p /var/lib/redis /var/log/redis
        $SUDO redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" \
            --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
        if wait_for redis_up; then
            echo "ensure-services: Redis started"
        else
            echo "ensure-services: ERROR: Redis did not come up on $REDIS_HOST:$REDIS_PORT (see /var/log/redis/ci.log)" >&2
            status=1
        fi
    else
        echo "ensure-services: ERROR: Redis is not running and redis-server is not installed" >&2
        status=1
    fi
fi

exit "$status"
