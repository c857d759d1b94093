#!/usr/bin/env bash
# Runs the web server with a worker for background work beside it (ADR 18), for `make run`
# and `make dev`. The worker starts first and stops after the server: Ctrl-C reaches both,
# and the worker is given five seconds to finish a task in hand before it is told to stop.
#   scripts/with_worker.sh "<the worker's command>" <the server's command...>
set -u
$1 &
worker=$!
shift
stop() {
  for _ in $(seq 20); do
    kill -0 "$worker" 2>/dev/null || break
    sleep 0.25
  done
  kill -TERM "$worker" 2>/dev/null
  wait "$worker" 2>/dev/null
}
trap stop EXIT
"$@"
