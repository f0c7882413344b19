#!/usr/bin/env bash
# `npm run check`: the typecheck, the lint (zero warnings), the format check and the OpenAPI document's check.
# The typecheck (about 35 s) and the lint (one process each) use one core apiece: the typecheck runs beside the
# other three instead of before them, which takes about half a minute off CI on two cores. Every check runs
# to its end and reports; the script fails if any failed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

TSC_LOG="$(mktemp "${TMPDIR:-/tmp}/ogas-check-tsc-XXXXXX.log")"
trap 'rm -f "$TSC_LOG"' EXIT
npx tsc -p tsconfig.json --noEmit >"$TSC_LOG" 2>&1 &
TSC_PID=$!

failed=()
npx eslint . --max-warnings 0 || failed+=("eslint")
npx prettier --check . || failed+=("prettier")
node bin/ogas.js openapi --check docs/openapi.json || failed+=("openapi")

if ! wait "$TSC_PID"; then failed+=("tsc"); fi
cat "$TSC_LOG"

if [ "${#failed[@]}" -gt 0 ]; then
  echo "check failed: ${failed[*]}" >&2
  exit 1
fi
echo "check passed: tsc, eslint, prettier, openapi"
