#!/bin/sh
# One command for a Celery worker on another machine (README: "A large class, or several machines").
#
#   DATABASE_URL=postgres://… SHOP_DATABASE_URL=postgres://… REDIS_URL=redis://redis-host:6379/0 deploy/worker.sh
#
# Run from a checkout of the playground: it makes the virtualenv on first use, then runs a worker
# (WORKERS processes, default 4) on the shared Redis and PostgreSQL until stopped (Ctrl-C, SIGTERM).
# Any number of machines may run it; exactly one beat runs in the whole installation.
set -eu
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to the shared PostgreSQL ledger database}"
: "${SHOP_DATABASE_URL:?set SHOP_DATABASE_URL to the shared PostgreSQL Shop database}"
: "${REDIS_URL:?set REDIS_URL to the shared Redis, e.g. redis://redis-host:6379/0}"
if [ ! -x .venv/bin/celery ]; then
  python3 -m venv .venv && .venv/bin/pip install -q -r requirements.txt
fi
exec .venv/bin/celery -A playground.celery worker --loglevel INFO \
  --concurrency "${WORKERS:-4}" --hostname "worker-$$@%h"
