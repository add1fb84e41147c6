#!/usr/bin/env bash
# kubectl for the bench's reference runs (never needed by the tests): Debian's kubernetes-client package, installed
# the way scripts/setup-tests.sh installs packages. Prints the kubectl path; prints nothing and exits 1 when it
# cannot be installed.
set -euo pipefail
if command -v kubectl >/dev/null 2>&1; then command -v kubectl; exit 0; fi
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
{
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq kubernetes-client
} >&2 || exit 1
command -v kubectl
