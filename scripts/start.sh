#!/usr/bin/env bash
# npm start: install what is missing, link models, and serve the app (COOP/COEP set) on 127.0.0.1:5173.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh
node scripts/prepare-assets.mjs
exec npx vite --host "${HOST:-127.0.0.1}" --port "${PORT:-5173}"
