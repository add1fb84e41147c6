#!/usr/bin/env bash
# Ensures etcd + kube-apiserver binaries for the integration tests and prints the directory holding them.
#  - KUBEBUILDER_ASSETS (envtest convention) wins when it holds both binaries.
#  - Otherwise: etcd from Debian's etcd-server, kube-apiserver built once from Debian's kubernetes source
#    package and cached under ~/.cache/fluxcfg/kube-<version>/ (see ../shared/docs/test-cluster.md).
# Everything but the final directory goes to stderr.
set -euo pipefail
log() { echo "[ensure-kube-binaries] $*" >&2; }

if [ -n "${KUBEBUILDER_ASSETS:-}" ] && [ -x "$KUBEBUILDER_ASSETS/kube-apiserver" ] && [ -x "$KUBEBUILDER_ASSETS/etcd" ]; then
  echo "$KUBEBUILDER_ASSETS"; exit 0
fi

SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/fluxcfg"
mkdir -p "$cache_root"

apt_updated=0
apt_update() { if [ $apt_updated = 0 ]; then $SUDO apt-get update -qq >&2; apt_updated=1; fi; }
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} = 0 ] && return 0
  apt_update
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >&2
}

apt_install etcd-server openssl

# deb-src for bookworm main, needed by apt-get source (and to know the version).
if ! grep -rqs "^Types: deb-src\|^deb-src" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  log "adding deb-src for bookworm main"
  $SUDO tee /etc/apt/sources.list.d/fluxcfg-deb-src.sources >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  apt_updated=0
fi

# Version of the kubernetes source package: use a cached build of any version if the lookup is impossible.
version="$(apt-cache showsrc kubernetes 2>/dev/null | awk '/^Version:/{print $2; exit}' || true)"
if [ -z "$version" ]; then apt_update; version="$(apt-cache showsrc kubernetes 2>/dev/null | awk '/^Version:/{print $2; exit}' || true)"; fi
[ -n "$version" ] || { log "cannot find Debian's kubernetes source package"; exit 1; }
out="$cache_root/kube-$version"
if [ -x "$out/kube-apiserver" ]; then
  ln -sf "$(command -v etcd)" "$out/etcd"
  echo "$out"; exit 0
fi

log "building kube-apiserver $version from Debian's source package (about 4 minutes, once; cached in $out)"
apt_install golang-go rsync dpkg-dev golang-github-modern-go-reflect2-dev make
work="$cache_root/build"
rm -rf "$work"; mkdir -p "$work"
( cd "$work" && apt-get source -qq --download-only kubernetes >&2 && dpkg-source -x --no-check ./*.dsc src >&2 )
src="$work/src"
rm -rf "$src/vendor/github.com/modern-go/reflect2"
mkdir -p "$src/vendor/github.com/modern-go/reflect2"
cp -r /usr/share/gocode/src/github.com/modern-go/reflect2/. "$src/vendor/github.com/modern-go/reflect2/"
find "$src/vendor/github.com/modern-go/reflect2" -name '*_test.go' -delete
( cd "$src" && GOFLAGS=-mod=vendor GO111MODULE=on make WHAT=cmd/kube-apiserver >&2 )
mkdir -p "$out"
cp "$src/_output/local/bin/linux/amd64/kube-apiserver" "$out/kube-apiserver"
ln -sf "$(command -v etcd)" "$out/etcd"
rm -rf "$work"
log "done: $out"
echo "$out"
