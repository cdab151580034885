#!/usr/bin/env bash
# Builds (once) the debootstrap chroots in which the tests run Kea releases newer than Debian 12's
# 2.2: kea-2.6 (Debian 13 "trixie": kea-dhcp4-server + kea-ctrl-agent) and kea-3.0 (Debian "sid":
# kea-dhcp4-server only; 3.0 serves HTTP itself). See /work/shared/recipes/REAL-SERVERS.md.
#
# Idempotent: a chroot whose marker (.complete, holding the Kea version) exists is left alone; a
# directory without it is a half-built one (an interrupted run) and is removed and rebuilt. The
# marker is written last. Both chroots are built at the same time. Exits non-zero when one cannot
# be built. Prints one line per chroot: its Kea version and the seconds it took.
set -euo pipefail

BASE=${KEA_CHROOT_DIR:-/var/cache/dhcp-failover-check}
FAKETIME_LIB=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1

die() { echo "build-kea-chroots: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot)"
command -v debootstrap >/dev/null || die "debootstrap is missing (apt-get install debootstrap)"
[ -f "$FAKETIME_LIB" ] || die "$FAKETIME_LIB is missing (apt-get install libfaketime)"

# The Debian mirror this machine's apt sources use. Only real source lines count: deb822 "URIs:"
# fields and one-line "deb" entries, never comments (Debian's images carry a commented snapshot URL
# that is pinned to a date older than the Kea releases we need). Security mirrors carry no suites.
mirror_from_sources() {
  local files=()
  [ -f /etc/apt/sources.list ] && files+=(/etc/apt/sources.list)
  for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do [ -f "$f" ] && files+=("$f"); done
  [ ${#files[@]} -gt 0 ] || return 0
  sed -nE -e 's/^[[:space:]]*URIs:[[:space:]]*//p' -e 's/^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?//p' "${files[@]}" \
    | tr ' ' '\n' | grep -E '^https?://[^ ]+/debian/?$' | head -1 || true
}
MIRROR=${KEA_CHROOT_MIRROR:-$(mirror_from_sources)}
[ -n "$MIRROR" ] || die "no Debian mirror found in /etc/apt/sources.list{,.d} (set KEA_CHROOT_MIRROR)"

mkdir -p "$BASE"
exec 9>"$BASE/.build.lock"
# One builder at a time (parallel test runs may all call this); the others wait and then find the
# markers written.
flock -w 1800 9 || die "timed out waiting for another build (lock $BASE/.build.lock)"

# debootstrap mounts proc/sys in the target while it installs; an interrupted run can leave them
# mounted, and rm -rf must never walk into a live /proc or /sys.
unmount_under() {
  local root=$1 m
  for m in $(awk -v r="$root/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r); do
    umount -l "$m" || die "cannot unmount $m under the half-built $root"
  done
}

kea_version_in() { chroot "$1" /usr/bin/env -i PATH=/usr/sbin:/usr/bin kea-dhcp4 -v; }

# build NAME SUITE PACKAGES: runs in the background, writes its result line to $BASE/NAME.result.
build() {
  local name=$1 suite=$2 packages=$3 root="$BASE/$1" t0=$SECONDS
  if [ -f "$root/.complete" ]; then
    echo "$name: Kea $(cat "$root/.complete") (already built, 0 s)" >"$BASE/.$name.result"
    return 0
  fi
  if [ -e "$root" ]; then
    echo "build-kea-chroots: $root is half-built (no .complete): removing it" >&2
    unmount_under "$root"
    rm -rf --one-file-system "$root"
  fi
  local log="$BASE/.$name.debootstrap.log"
  if ! debootstrap --variant=minbase --include="$packages" "$suite" "$root" "$MIRROR" >"$log" 2>&1; then
    unmount_under "$root"
    echo "debootstrap $suite failed; last lines of $log:" >&2
    tail -20 "$log" >&2
    return 1
  fi
  unmount_under "$root"
  # Kea 2.6.3+/3.0 only accept unix control sockets under /run/kea, and only when it is mode 750;
  # log files only under /var/log/kea; memfile lease files only under /var/lib/kea (no
  # subdirectories in any of them).
  mkdir -p "$root/run/kea" "$root/var/log/kea" "$root/var/lib/kea" "$root$(dirname "$FAKETIME_LIB")"
  chmod 750 "$root/run/kea"
  cp "$FAKETIME_LIB" "$root$FAKETIME_LIB"
  local version
  version=$(kea_version_in "$root") || { echo "kea-dhcp4 -v fails inside $root" >&2; return 1; }
  [ -n "$version" ] || { echo "kea-dhcp4 -v printed nothing inside $root" >&2; return 1; }
  printf '%s\n' "$version" >"$root/.complete"
  echo "$name: Kea $version (built in $((SECONDS - t0)) s from $MIRROR $suite)" >"$BASE/.$name.result"
}

# keama (isc-dhcp-keama, trixie): ISC's dhcpd.conf-to-Kea translator, which the migrate tests run
# inside the kea-2.6 chroot. Added to a chroot built before it was in the list, in place: apt-get
# inside the chroot, from the mirror its sources.list names.
add_keama() {
  local root="$BASE/kea-2.6"
  [ -x "$root/usr/sbin/keama" ] && return 0
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends isc-dhcp-keama >/dev/null 2>&1 || true
  [ -x "$root/usr/sbin/keama" ] || die "keama is missing in $root after installing isc-dhcp-keama"
}

rm -f "$BASE/.kea-2.6.result" "$BASE/.kea-3.0.result"
build kea-2.6 trixie kea-dhcp4-server,kea-ctrl-agent,isc-dhcp-keama & p26=$!
build kea-3.0 sid kea-dhcp4-server & p30=$!
rc=0
wait "$p26" || rc=1
wait "$p30" || rc=1
for name in kea-2.6 kea-3.0; do
  if [ -f "$BASE/.$name.result" ]; then cat "$BASE/.$name.result"; else echo "$name: FAILED" >&2; rc=1; fi
done
[ $rc = 0 ] || die "could not build every chroot (see above)"
add_keama
