#!/usr/bin/env bash
# apt_install PACKAGE…: installs Debian packages as root (sudo otherwise). Another apt/dpkg run
# holding the lock (unattended-upgrades on a fresh machine) is waited for, up to
# VERILOCK_APT_LOCK_TIMEOUT seconds (300), instead of failing at once.
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  local wait="${VERILOCK_APT_LOCK_TIMEOUT:-300}"
  echo "[apt] installing ${*/--no-install-recommends/} from Debian packages (waiting up to ${wait} s for a busy apt lock)" >&2
  as_root apt-get -o DPkg::Lock::Timeout="$wait" update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive as_root apt-get -o DPkg::Lock::Timeout="$wait" install -y -qq "$@" >/dev/null
}
