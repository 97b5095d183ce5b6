#!/usr/bin/env bash
# Builds a cache of Debian's own builds of the tmux versions the matrix tests, each runnable here:
#
#   ${CONTINUUM_TMUX_CACHE:-$HOME/.cache/continuum/tmux-matrix}/<version>/bin/tmux
#
# Usage: scripts/tmux-matrix.sh [version...]      (default: every version below)
# CONTINUUM_DEBIAN_MIRROR overrides the mirror (default: the one the system uses for Debian).
#
# Each version's package and the libraries it links come from one Debian suite, fetched with
# apt-get under a private sources list and state directory (the system's lists, cache and dpkg
# status are never read or written), unpacked with dpkg -x, and the binary is pointed at those
# libraries with patchelf. No wrapper script: a wrapper would rename the process, and tmux shows a
# pane's process name as its window name.
#
# Idempotent: a version whose binary already answers `-V` correctly is left alone.
# Afterwards <cache>/READY lists the versions that work, one a line, and <cache>/<version>/FAILED
# holds the reason for each one that does not (the matrix runner reports it as SKIPPED).
#
# Exit codes: 0 every version built; 1 a version failed for another reason (see its FAILED);
# 2 usage error; 3 the Debian archive could not be reached for at least one version.
set -uo pipefail

cache=${CONTINUUM_TMUX_CACHE:-$HOME/.cache/continuum/tmux-matrix}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

# version  suite-of-the-tmux-package  suites-to-list (the libraries come from the first)
matrix=(
  "3.1c bullseye bullseye"
  "3.3a bookworm bookworm"
  "3.5a bookworm-backports bookworm,bookworm-backports"
  "3.7c trixie-backports trixie,trixie-backports"
  "3.8 sid sid"
)

exit_archive_unreachable=3
say() { printf 'tmux-matrix: %s\n' "$*" >&2; }

for tool in apt-get dpkg-deb patchelf; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    say "$tool is missing (install it: apt-get install $tool); nothing was built"
    exit 1
  fi
done

# CONTINUUM_DEBIAN_MIRROR, else the mirror the system already uses for Debian, else Debian's own redirector.
mirror=""
if [ -r /etc/apt/sources.list.d/debian.sources ]; then
  mirror=$(awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
fi
if [ -z "$mirror" ] && [ -r /etc/apt/sources.list ]; then
  mirror=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' /etc/apt/sources.list)
fi
mirror=${CONTINUUM_DEBIAN_MIRROR:-${mirror:-http://deb.debian.org/debian}}
architecture=$(dpkg --print-architecture)

wanted=("$@")
selected=()
for entry in "${matrix[@]}"; do
  read -r version _ <<<"$entry"
  if [ ${#wanted[@]} -eq 0 ] || [[ " ${wanted[*]} " == *" $version "* ]]; then selected+=("$entry"); fi
done
if [ ${#selected[@]} -eq 0 ]; then
  say "no such version: ${wanted[*]} (known: 3.1c 3.3a 3.5a 3.7c 3.8)"
  exit 2
fi

mkdir -p "$cache"

# The package names among a .deb's Depends and Pre-Depends that are shared libraries (the first
# of each set of alternatives); tmux needs only those to run.
library_dependencies() {
  dpkg-deb -f "$1" Depends Pre-Depends 2>/dev/null |
    sed -e 's/^[A-Za-z-]*: //' | tr ',' '\n' | sed -e 's/|.*//' -e 's/(.*)//' -e 's/:any//' -e 's/[[:space:]]//g' |
    grep -E '^lib' | sort -u
}

# Builds one version; prints nothing on success, returns 0, or writes FAILED and returns 1 or 3.
build_version() {
  local version=$1 suite=$2 suites=$3
  local directory="$cache/$version"
  local binary="$directory/bin/tmux"
  if [ -x "$binary" ] && [ "$("$binary" -V 2>/dev/null)" = "tmux $version" ]; then
    rm -f "$directory/FAILED"
    return 0
  fi
  # The system's own tmux is the real thing when it is this version: link it, nothing to fetch.
  if [ "$(/usr/bin/tmux -V 2>/dev/null)" = "tmux $version" ]; then
    rm -rf "$directory"
    mkdir -p "$directory/bin"
    ln -s /usr/bin/tmux "$binary"
    return 0
  fi

  local work="$cache/.work/$version"
  rm -rf "$work" "$directory"
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs" "$directory/root" "$directory/bin"
  local list="$work/sources.list" listed
  : >"$list"
  for listed in ${suites//,/ }; do
    printf 'deb [signed-by=%s] %s %s main\n' "$keyring" "$mirror" "$listed" >>"$list"
  done
  local apt=(apt-get -q
    -o "Dir::Etc::sourcelist=$list" -o Dir::Etc::sourceparts=- -o Dir::Etc::preferencesparts=-
    -o Dir::Etc::preferences=/dev/null -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache"
    -o Dir::State::status=/dev/null -o APT::Sandbox::User=root -o Acquire::Retries=2
    -o Acquire::http::Timeout=30 -o "APT::Architecture=$architecture" -o APT::Architectures::=)
  local log="$work/apt.log"
  if ! "${apt[@]}" update >"$log" 2>&1 || grep -qE '^(E|W): (Failed to fetch|Some index files failed)' "$log"; then
    local reason
    reason=$(grep -E '^(E|W):' "$log" | head -n 1)
    echo "the Debian archive ($mirror, $suites) could not be reached: ${reason:-apt-get update failed}" >"$directory/FAILED"
    return $exit_archive_unreachable
  fi

  # tmux from its suite, then the closure of the libraries it links, from the first suite.
  local pending seen package deb
  (cd "$work/debs" && "${apt[@]}" download "tmux/$suite" >>"$log" 2>&1) || {
    echo "apt-get download tmux/$suite failed: $(grep -E '^E:' "$log" | tail -n 1)" >"$directory/FAILED"
    return 1
  }
  seen=" tmux "
  pending=$(library_dependencies "$work"/debs/tmux_*.deb)
  while [ -n "$pending" ]; do
    local next=""
    for package in $pending; do
      [[ "$seen" == *" $package "* ]] && continue
      seen+="$package "
      (cd "$work/debs" && "${apt[@]}" download "$package" >>"$log" 2>&1) || {
        echo "apt-get download $package ($suites) failed: $(grep -E '^E:' "$log" | tail -n 1)" >"$directory/FAILED"
        return 1
      }
      deb=$(ls "$work/debs/${package}"_*.deb | head -n 1)
      next+=" $(library_dependencies "$deb" | tr '\n' ' ')"
    done
    pending=$next
  done
  for deb in "$work"/debs/*.deb; do
    dpkg-deb -x "$deb" "$directory/root" || { echo "dpkg-deb -x $deb failed" >"$directory/FAILED"; return 1; }
  done

  local loader library_path="" library_directory
  # The loader in the multiarch directory: the one in lib64 is an absolute link to the system's.
  loader=$(find "$directory/root" -path '*-linux-gnu*' -name 'ld-linux*.so*' \( -type f -o -type l \) | sort | head -n 1)
  if [ -z "$loader" ]; then
    echo "no dynamic loader in the unpacked libc6 of $suites" >"$directory/FAILED"
    return 1
  fi
  for library_directory in $(find "$directory/root" -name '*.so*' \( -type f -o -type l \) -printf '%h\n' | sort -u); do
    library_path+="${library_path:+:}$library_directory"
  done
  cp "$directory/root/usr/bin/tmux" "$binary"
  # DT_RPATH (not RUNPATH) so the libraries' own dependencies resolve here too, not from the system.
  if ! patchelf --set-interpreter "$loader" --force-rpath --set-rpath "$library_path" "$binary" 2>>"$log"; then
    echo "patchelf failed on $binary: $(tail -n 1 "$log")" >"$directory/FAILED"
    return 1
  fi
  local answer
  answer=$("$binary" -V 2>&1)
  if [ "$answer" != "tmux $version" ]; then
    echo "the built binary answers '$answer' to -V, not 'tmux $version'" >"$directory/FAILED"
    return 1
  fi
  rm -rf "$work"
  return 0
}

status=0
for entry in "${selected[@]}"; do
  read -r version suite suites <<<"$entry"
  build_version "$version" "$suite" "$suites"
  result=$?
  if [ $result -eq 0 ]; then
    say "$version: $("$cache/$version/bin/tmux" -V) at $cache/$version/bin/tmux"
  else
    say "$version: not built: $(cat "$cache/$version/FAILED")"
    if [ $result -eq $exit_archive_unreachable ]; then status=$exit_archive_unreachable; elif [ $status -eq 0 ]; then status=1; fi
  fi
done

# READY lists every version of the whole matrix that works now, whichever were asked for.
ready="$cache/READY.$$"
: >"$ready"
for entry in "${matrix[@]}"; do
  read -r version _ <<<"$entry"
  binary="$cache/$version/bin/tmux"
  if [ -x "$binary" ] && [ "$("$binary" -V 2>/dev/null)" = "tmux $version" ]; then echo "$version" >>"$ready"; fi
done
mv "$ready" "$cache/READY"
exit $status
