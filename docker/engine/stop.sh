#!/bin/sh
# Stops a private dockerd instance started by start.sh (its containers stop with it). Idempotent.
#   docker/engine/stop.sh [INSTANCE] [--purge]   --purge also deletes the instance's state directory.
set -eu

instance="${1:-default}"
root="${KUBELAB_DOCKER_STATE:-/tmp/kubelab-docker}"
dir="$root/$instance"
pidfile="$dir/dockerd.pid"

if [ -f "$pidfile" ]; then
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    tries=0
    while kill -0 "$pid" 2>/dev/null; do
      tries=$((tries + 1))
      if [ "$tries" -gt 300 ]; then
        echo "stop.sh: dockerd ($instance) still running after 30 s, killing it" >&2
        kill -9 "$pid" 2>/dev/null || true
        break
      fi
      sleep 0.1
    done
  fi
  rm -f "$pidfile"
fi
if [ "${2:-}" = "--purge" ]; then
  rm -rf "$dir"
fi
