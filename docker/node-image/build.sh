#!/bin/sh
# Builds the project's node image (kubelab-node:<version>-<inputs hash>) on the engine DOCKER_HOST points at,
# unless an image for the same inputs already exists. Prints the image tag on stdout.
#   DOCKER_HOST=unix:///tmp/kubelab-docker/default/docker.sock docker/node-image/build.sh [--force]
# The image: host node binary + its ldd libraries, static busybox, the engine and node agent compiled to JS.
set -eu

repo="$(cd "$(dirname "$0")/../.." && pwd)"
: "${DOCKER_HOST:?set DOCKER_HOST (docker/engine/start.sh prints it)}"

lockdir="${KUBELAB_DOCKER_STATE:-/tmp/kubelab-docker}"
mkdir -p "$lockdir"
static_busybox() { file -L /bin/busybox 2>/dev/null | grep -q 'statically linked'; }
if ! static_busybox; then
  exec 8>"$lockdir/apt.lock" # shared with docker/engine/install.sh: one apt run at a time
  flock 8
  if ! static_busybox; then
    echo "build.sh: installing Debian's busybox-static" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq busybox-static file >&2
  fi
  exec 8>&-
fi

exec 9>"$lockdir/node-image.lock"
flock 9
cd "$repo"
exec node -r ./scripts/swc-register.cjs src/clusters/docker/node-image.ts "$@"
