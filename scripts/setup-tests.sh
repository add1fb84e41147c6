#!/usr/bin/env bash
# Everything the test suite needs besides npm packages: the tools the tests drive (git, ssh-keygen,
# ssh-keyscan; tmux, zsh, fish and patch for the terminal, completion and diff tests) and a real etcd + kube-apiserver (scripts/ensure-kube-binaries.sh, cached under ~/.cache/fluxcfg/).
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
missing=()
for p in git openssh-client tmux zsh fish patch; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
assets="$(bash scripts/ensure-kube-binaries.sh)"
echo "test API server binaries: $assets"
