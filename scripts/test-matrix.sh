#!/usr/bin/env bash
# Runs the tests that exercise tmux (the files `tests` lists below) against each of Debian's tmux builds in turn.
#
# Usage: scripts/test-matrix.sh [--no-build] [--ci] [version...]    (default: 3.1c 3.3a 3.5a 3.7c 3.8)
#
# The binaries come from scripts/tmux-matrix.sh's cache (built first when missing). Prints one
# summary line per version. Exit codes: 0 every version passed; 1 a version failed, or its binary
# could not be built for a reason other than the archive; 3 none failed but a version was SKIPPED
# because the Debian archive could not be reached (never counted as passed).
# --no-build uses dist/ and build/ as they are (CI has just built them in `npm test`).
# --ci: what .ci/run can afford after `npm test` on 2 cores: every version but the system's 3.3a
# (`npm test` has just run everything on it), and not the files that add no tmux behaviour of
# their own (save's exit-code table, first-day, hooks).
set -uo pipefail
cd "$(dirname "$0")/.."

cache=${CONTINUUM_TMUX_CACHE:-$HOME/.cache/continuum/tmux-matrix}
build=yes
ci=no
versions=()
for argument in "$@"; do
  case $argument in
    --no-build) build=no ;;
    --ci) ci=yes ;;
    -*) echo "test-matrix: unknown option $argument" >&2; exit 2 ;;
    *) versions+=("$argument") ;;
  esac
done
if [ ${#versions[@]} -eq 0 ]; then
  if [ $ci = yes ]; then versions=(3.1c 3.5a 3.7c 3.8); else versions=(3.1c 3.3a 3.5a 3.7c 3.8); fi
fi

# The tests that exercise tmux itself: save and exact round trip of a hard environment, idempotent
# restore, programs, pane contents, auto-restore once, restore into the first shell, init's hooks,
# the daemon's change-driven save, shell history, and the picker or menu; the bytes of names and
# layouts in both forms across versions, and the fresh server's session under bash, zsh and fish.
# Named by their source path (test/…/NAME.test.ts); what runs is the compiled build/test/…/NAME.test.js.
tests=(
  test/scenarios/round-trip.test.ts
  test/scenarios/separator-bytes.test.ts
  test/e2e/save.test.ts
  test/e2e/restore.test.ts
  test/e2e/restore-placement.test.ts
  test/e2e/restore-fresh-server-session.test.ts
  test/e2e/restore-programs.test.ts
  test/e2e/restore-contents.test.ts
  test/e2e/hook-auto-restore.test.ts
  test/scenarios/first-day.test.ts
  test/e2e/init.test.ts
  test/e2e/boot.test.ts
  test/e2e/save-hooks.test.ts
  test/e2e/daemon-saving.test.ts
  test/e2e/shell-init.test.ts
  test/e2e/pick.test.ts
)
# --ci leaves out the files that add no tmux behaviour of their own.
ci_skipped=(
  test/e2e/save.test.ts
  test/scenarios/first-day.test.ts
  test/e2e/save-hooks.test.ts
)
files=()
for source in "${tests[@]}"; do
  if [ $ci = yes ] && [[ " ${ci_skipped[*]} " == *" $source "* ]]; then continue; fi
  compiled=build/${source%.ts}.js
  files+=("$compiled")
done

if [ $build = yes ]; then
  npm run build --silent >/dev/null && npm run compile-tests --silent >/dev/null || {
    echo "test-matrix: the build failed" >&2
    exit 1
  }
fi

scripts/tmux-matrix.sh "${versions[@]}"
cache_status=$?

summary=()
status=0
for version in "${versions[@]}"; do
  binary="$cache/$version/bin/tmux"
  if [ ! -x "$binary" ] || [ "$("$binary" -V 2>/dev/null)" != "tmux $version" ]; then
    reason=$(cat "$cache/$version/FAILED" 2>/dev/null || echo "no binary at $binary")
    summary+=("tmux $version: SKIPPED: $reason")
    if [ $cache_status -eq 3 ] && [[ $reason == *"could not be reached"* ]]; then
      [ $status -ne 0 ] || status=3
    else
      status=1
    fi
    continue
  fi
  echo "test-matrix: tmux $version"
  log=$(mktemp)
  started=$SECONDS
  CONTINUUM_TEST_TMUX=$binary node scripts/run-tests.mjs --test-concurrency=2 --test-reporter=spec "${files[@]}" 2>&1 | tee "$log"
  result=${PIPESTATUS[0]}
  # The spec reporter ends with "ℹ pass N", "ℹ fail N" and so on.
  counts=$(grep -E '^ℹ (pass|fail|skipped) [0-9]+$' "$log" | sed 's/^ℹ //' | paste -sd ',' | sed 's/,/, /g')
  rm -f "$log"
  if [ "$result" -eq 0 ]; then
    summary+=("tmux $version: PASSED (${counts:-no counts}; $((SECONDS - started)) s)")
  else
    summary+=("tmux $version: FAILED (${counts:-no counts}; $((SECONDS - started)) s)")
    status=1
  fi
done

echo
echo "test-matrix summary:"
printf '  %s\n' "${summary[@]}"
exit $status
