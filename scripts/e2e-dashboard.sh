#!/usr/bin/env bash
# End-to-end check of the dashboard in a real terminal: runs `npm start`
# (kvmcheck verify on the bundled matrix) inside tmux, reads the screen with
# capture-pane, and asserts that
#   1. live rows appear while searches run (spinner, states, rate, queue),
#      with the overall progress line;
#   2. the final table ends with every verdict as expected;
#   3. a counterexample can be opened and stepped through with the keys,
#      and q quits with exit status 0.
# Usage: scripts/e2e-dashboard.sh [extra verify args, e.g. --filter 'arm64-v5.4/*']
# Needs tmux (apt-get install -y tmux). Not part of `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "e2e-dashboard: tmux is not installed (apt-get install -y tmux)" >&2; exit 2; }

session="kvmcheck-e2e-$$"
status_file="$(mktemp)"
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -f "$status_file"' EXIT
timeout_s="${E2E_TIMEOUT:-900}"

screen() { tmux capture-pane -p -t "$session" -S -200; }
fail() {
  echo "e2e-dashboard: FAIL: $1" >&2
  echo "----- screen -----" >&2
  screen >&2 || true
  exit 1
}
# wait_for <what> <extended regex> <seconds>
wait_for() {
  local what="$1" re="$2" secs="$3" i
  for ((i = 0; i < secs * 5; i++)); do
    if screen | grep -Eq -- "$re"; then return 0; fi
    sleep 0.2
  done
  fail "no $what after ${secs}s (looked for /$re/)"
}

args=""
for a in "$@"; do args+=" $(printf '%q' "$a")"; done
tmux new-session -d -s "$session" -x 150 -y 45 \
  "npm start --silent --${args}; echo \"EXIT=\$?\" > $status_file; sleep 3600"

# 1. live rows: spinner, model/scenario, states, states/s, queue, depth; the overall line
wait_for "live row" '^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] [A-Za-z0-9._-]+/[A-Za-z0-9._-]+ +([0-9.]+[kMG]? states .*/s queue|loading model)' 60
wait_for "overall progress line" '[0-9]+/[0-9]+ done · [0-9]+ running · [0-9]+ waiting · .* mem [0-9.]+ [KMG]B' 30
echo "e2e-dashboard: live rows and progress line seen"
wait_for "live row with counts" ' [0-9.]+[kMG]? states +[0-9.]+[kMG]?/s queue +[0-9.]+[kMG]? depth +[0-9]+' 120

# 2. the final table: header, ✔ rows, the summary line
wait_for "final summary" '^(✔ all [0-9]+ verdicts as expected|✘ [0-9]+ of [0-9]+ verdicts differ)' "$timeout_s"
screen | grep -Eq '^  model/scenario +expected +computed +states +depth +time' || fail "table header missing"
screen | grep -Eq '^✔ all [0-9]+ verdicts as expected' || fail "not every verdict is as expected"
echo "e2e-dashboard: final table seen: $(screen | grep -Eo '✔ all [0-9]+ verdicts as expected')"

# 3. browse: the list, open the first counterexample, step with →, back with ←, quit with q
wait_for "counterexample list" '^Counterexamples' 10
sleep 0.5
tmux send-keys -t "$session" Enter
wait_for "opened trace" ' · step 1 of [0-9]+$' 10
tmux send-keys -t "$session" Right
wait_for "second step" ' · step 2 of [0-9]+$' 10
screen | grep -Eq '^▶ +2 ' || fail "step 2 is not highlighted in the race diagram"
tmux send-keys -t "$session" End
wait_for "last step" ' · step ([0-9]+) of \1$' 10
tmux send-keys -t "$session" Left
screen >/dev/null
tmux send-keys -t "$session" Escape
wait_for "back to the list" '^Counterexamples' 10
echo "e2e-dashboard: stepped through a counterexample"
tmux send-keys -t "$session" q
for ((i = 0; i < 50; i++)); do [[ -s "$status_file" ]] && break; sleep 0.2; done
[[ "$(cat "$status_file")" == "EXIT=0" ]] || fail "exit status: $(cat "$status_file" 2>/dev/null || echo none)"
echo "e2e-dashboard: PASS (exit status 0)"
