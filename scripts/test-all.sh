#!/usr/bin/env bash
# The one test command (npm test): installs what is missing (Debian's Chromium, npm packages), then
# types → lint (ESLint with the layering zones, Prettier) → unit (Vitest, incl. the Node reference check) → end-to-end (Playwright + real Chromium) → hostile inputs (figure) → build (with no test hooks in it).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use: chromium (the browser), ffmpeg (makes FLAC/MP3/OGG/M4A test files).
missing=""
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing="$missing chromium"
command -v ffmpeg >/dev/null 2>&1 || missing="$missing ffmpeg"
if [ -n "$missing" ]; then
  echo "test: installing Debian packages:$missing"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q $missing
fi

source scripts/ensure-deps.sh

if [ ! -d ../shared ] && [ -z "${EARSHOT_SHARED_DIR:-}" ]; then
  echo "test: NOTE ../shared is missing: the EfficientAT and YAMNet model, reference, side-by-side and insect checks are skipped (each says so); the built-in model is tested."
fi

node scripts/prepare-assets.mjs
echo "== types"; npm run -s typecheck
echo "== lint"; npx eslint . && npx prettier --check --log-level warn .
# The WAV fuzz runs once, in the hostile stage that counts its cases.
echo "== unit"; npx vitest run --exclude src/dsp/wav.fuzz.test.ts
echo "== e2e"; EARSHOT_SKIP_HOSTILE=1 npx playwright test
# The hostile specs (skipped by the e2e stage) and the WAV fuzz, aggregated into the hardening figure (600 files in the load drop here; `npm run test:hostile` alone uses 10,000).
echo "== hostile"; EARSHOT_LOAD_FILES="${EARSHOT_LOAD_FILES:-600}" npx tsx scripts/test-hostile.ts
echo "== build"; npx vite build --logLevel warn && node scripts/check-bundle.mjs dist
echo "test: all stages passed"
