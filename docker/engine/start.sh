#!/bin/sh
# Starts a private dockerd instance in the background and prints the DOCKER_HOST to use.
#
#   docker/engine/start.sh [INSTANCE]     INSTANCE defaults to "default"; a second name (e.g. "second")
#                                         gives an independent engine for the multi-host test.
#
# Idempotent: when the instance already answers, it only prints its DOCKER_HOST. Installs docker.io first
# when dockerd is missing. State lives under $KUBELAB_DOCKER_STATE (default /tmp/kubelab-docker)/INSTANCE.
# Each instance gets its own address pool and no default bridge (docker0 can exist only once per host),
# so several instances coexist on one machine.
set -eu

instance="${1:-default}"
case "$instance" in
  *[!a-zA-Z0-9_-]* | "") echo "start.sh: instance name must be letters, digits, _ or -" >&2; exit 2 ;;
esac
here="$(cd "$(dirname "$0")" && pwd)"
root="${KUBELAB_DOCKER_STATE:-/tmp/kubelab-docker}"
dir="$root/$instance"
sock="$dir/docker.sock"
pidfile="$dir/dockerd.pid"
mkdir -p "$dir"

answers() {
  # The API answers /_ping with "OK"; curl may be absent, the docker CLI is installed with dockerd.
  DOCKER_HOST="unix://$sock" docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

"$here/install.sh"

# One starter at a time per instance (parallel test workers call this together).
exec 9>"$dir/start.lock"
flock 9

if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && answers; then
  echo "unix://$sock"
  exit 0
fi

# A dockerd that died without cleaning up leaves its pid file, which would stop the next one from starting.
if [ -f "$pidfile" ] && ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  rm -f "$pidfile"
fi

# Pool 10.<200..249>.0.0/16 derived from the instance name, so instances rarely draw from the same range
# (and when they do, an engine skips subnets another one already routes).
octet=$((200 + $(printf '%s' "$instance" | cksum | cut -d' ' -f1) % 50))
nohup setsid dockerd \
  --host "unix://$sock" \
  --data-root "$dir/data" \
  --exec-root "$dir/exec" \
  --pidfile "$pidfile" \
  --bridge none \
  --default-address-pool "base=10.$octet.0.0/16,size=24" \
  --log-level warn \
  >"$dir/dockerd.log" 2>&1 </dev/null 9>&- &
started=$!

# setsid may fork, so the daemon's pid is the one in its pid file once written.
alive() { kill -0 "$1" 2>/dev/null || { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }; }
tries=0
until answers; do
  tries=$((tries + 1))
  if [ "$tries" -gt 150 ] || ! alive "$started"; then
    echo "start.sh: dockerd ($instance) exited or did not answer within 15 s; last log lines:" >&2
    tail -n 20 "$dir/dockerd.log" >&2
    exit 1
  fi
  sleep 0.1
done
echo "unix://$sock"
