#!/usr/bin/env bash
# The project as a user from outside meets it: clones the committed HEAD into an empty temporary folder (no
# ../shared beside it), runs the README's two commands there (`npm ci`, then `npm start` until /api/health
# answers and the admin login works, then `npm test`) and the README's command-line examples. Runs every
# step it can, then exits non-zero if any failed.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHA="$(git -C "$ROOT" rev-parse HEAD)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ogas-smoke-XXXXXX")"
CLONE="$WORK/ogas"
HOME_DIR="$WORK/ogas-home"
SERVER_PID=""
FAILURES=()

# A user's shell has none of the project's variables.
unset DATABASE_URL OGAS_HOME OGAS_SERVER OGAS_TOKEN OGAS_MQTT_URL OGAS_NATS_URL PORT TEST_DATABASE_URL

step() { printf '\n=== smoke: %s (%ss)\n' "$1" "$SECONDS"; }
failed() {
  printf 'smoke: FAILED: %s\n' "$1" >&2
  FAILURES+=("$1")
}
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM -- "-$SERVER_PID" 2>/dev/null
    for _ in $(seq 1 40); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$SERVER_PID" 2>/dev/null
  fi
  SERVER_PID=""
}
finish() {
  stop_server
  rm -rf "$WORK"
}
trap finish EXIT

# Answers 0 when the URL answers 2xx.
http_ok() { node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$1"; }
# Prints one field of the JSON object on stdin (a dotted path).
json_field() {
  node -e 'let t = ""; process.stdin.on("data", (d) => (t += d)).on("end", () => {
    let v = JSON.parse(t); for (const k of process.argv[1].split(".")) v = v?.[k]; process.stdout.write(String(v ?? "")); })' "$1"
}

step "clone $SHA into $CLONE"
git clone --quiet --no-checkout "$ROOT" "$CLONE" && git -C "$CLONE" checkout --quiet --detach "$SHA" ||
  { echo "smoke: cannot clone $ROOT" >&2; exit 1; }
cd "$CLONE" || exit 1
[ ! -e ../shared ] || failed "../shared exists beside the clone"

step "npm ci"
if ! npm ci --no-audit --no-fund >"$WORK/npm-ci.log" 2>&1; then
  cat "$WORK/npm-ci.log"
  echo "smoke: npm ci failed" >&2
  exit 1
fi
if grep -i 'npm warn' "$WORK/npm-ci.log"; then failed "npm ci printed warnings (above)"; fi

step "the compiled command line"
[ -f dist/ogas.js ] || failed "npm ci built no dist/ogas.js (prepare)"
# Timed for the log only (benchmarks measure speed: npm run bench -- cli-startup); cut short by head, exit 0.
START_NS="$(date +%s%N)"
npx ogas --help | head -1 || failed "ogas --help | head -1 exited non-zero"
echo "npx ogas --help: $(( ($(date +%s%N) - START_NS) / 1000000 )) ms"

step "npm start (OGAS_HOME=$HOME_DIR)"
PORT="$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"
BASE="http://127.0.0.1:$PORT"
# Its own process group, so that stopping it stops npm and the server under it.
setsid env PORT="$PORT" OGAS_HOME="$HOME_DIR" npm start >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 600); do
  http_ok "$BASE/api/health" && break
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.5
done
if ! http_ok "$BASE/api/health"; then
  cat "$WORK/server.log"
  failed "npm start did not answer $BASE/api/health"
else
  echo "serving on $BASE after ${SECONDS}s"
  grep -q 'Admin login created: admin@ogas.local / ' "$WORK/server.log" || failed "npm start printed no admin login"
  PASSWORD_FILE="$HOME_DIR/admin-password.txt"
  [ "$(wc -l <"$PASSWORD_FILE")" = 1 ] || failed "admin-password.txt is not one line"

  step "README: the command line"
  npx ogas economy analyze src/economy/fixtures/ochoa-1984.json --json >"$WORK/analyze.json" ||
    failed "ogas economy analyze"
  [ "$(json_field labourValues.values.0 <"$WORK/analyze.json")" != "" ] || failed "economy analyze printed no labour values"
  npx ogas vote tabulate --json \
    --rctab src/participation/fixtures/rctab/2015_portland_mayor/2015_portland_mayor_config.json >"$WORK/tabulate.json" ||
    failed "ogas vote tabulate"
  [ "$(json_field results.0.round <"$WORK/tabulate.json")" = 1 ] || failed "vote tabulate printed no first round"

  # The embedded database belongs to the server: the CLI says so, naming the server's real port.
  OGAS_HOME="$HOME_DIR" npx ogas economy list >"$WORK/in-use.txt" 2>&1
  code=$?
  [ "$code" = 8 ] || failed "ogas on the server's folder exited $code, not 8 (unavailable)"
  grep -q -- "--server http://localhost:$PORT" "$WORK/in-use.txt" || failed "the 'in use' hint does not name port $PORT"

  export OGAS_SERVER="$BASE"
  TOKEN="$(npx ogas auth login --email admin@ogas.local --password "$(cat "$PASSWORD_FILE")" --json | json_field token)"
  [ -n "$TOKEN" ] || failed "the admin login with the saved password failed"
  PLANNER="$(npx ogas auth login --email planner@ogas.local --password ogas-demo-2014 --json | json_field token)"
  [ -n "$PLANNER" ] || failed "the demo planner login failed"
  export OGAS_TOKEN="$TOKEN"
  npx ogas holarchy unit search motor >"$WORK/search.txt" || failed "ogas holarchy unit search motor"
  grep -qi 'motor' "$WORK/search.txt" || failed "holarchy unit search found no motor unit"
  npx ogas economy import src/economy/fixtures/example-economy.json >/dev/null || failed "ogas economy import (format recognised)"
  ECONOMY="$(npx ogas economy list --json |
    node -e 'let t = ""; process.stdin.on("data", (d) => (t += d)).on("end", () =>
      process.stdout.write(JSON.parse(t).economies.find((e) => e.name === "Bread and tools")?.id ?? ""))')"
  [ -n "$ECONOMY" ] || failed "economy list does not show the imported economy"
  STATUS="$(npx ogas planning compute --economy-id "$ECONOMY" --objective min-labour --json | json_field status)"
  [ "$STATUS" = optimal ] || failed "planning compute answered status '$STATUS', not optimal"
  unset OGAS_SERVER OGAS_TOKEN
fi
step "stop the server"
stop_server

# CI runs `npm test` itself on its own clean clone just before, so it may skip the repeat (SMOKE_SKIP_TEST=1).
if [ "${SMOKE_SKIP_TEST:-0}" = "1" ]; then
  step "npm test: skipped (SMOKE_SKIP_TEST=1; the caller ran it on a clean clone)"
else
  step "npm test"
  npm test || failed "npm test"
fi

step "done"
if [ "${#FAILURES[@]}" -gt 0 ]; then
  printf 'smoke: %d failure(s):\n' "${#FAILURES[@]}" >&2
  printf '  - %s\n' "${FAILURES[@]}" >&2
  exit 1
fi
echo "smoke: a fresh clone works (${SECONDS}s)"
