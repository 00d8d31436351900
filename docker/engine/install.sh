#!/bin/sh
# Installs Debian's docker.io (dockerd, containerd, runc, docker CLI) when dockerd is missing.
# Idempotent: does nothing when dockerd is already on PATH. Needs root (CI and dev machines run as root).
set -eu

if command -v dockerd >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "install.sh: dockerd is missing and installing docker.io needs root" >&2
  exit 1
fi
# Parallel test workers may all get here on a fresh machine: one apt run at a time, re-checking after the wait.
mkdir -p "${KUBELAB_DOCKER_STATE:-/tmp/kubelab-docker}"
exec 8>"${KUBELAB_DOCKER_STATE:-/tmp/kubelab-docker}/apt.lock"
flock 8
if ! command -v dockerd >/dev/null 2>&1; then
  echo "install.sh: installing Debian's docker.io" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq docker.io >&2
fi
exec 8>&-
command -v dockerd >/dev/null 2>&1 || { echo "install.sh: dockerd still missing after apt-get" >&2; exit 1; }
