#!/usr/bin/env bash
# Installs npm packages when missing or when package-lock.json changed since the last install.
# Sourced by start.sh and test-all.sh. Compares the lockfile's content (not mtimes: a fresh checkout
# or a worktree touches every file) and never reinstalls through a linked node_modules.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.earshot-lock-sha256
if [ -L node_modules ]; then
  : # a node_modules linked from another checkout is managed there
elif [ ! -d node_modules ] || [ "$(cat "$stamp" 2>/dev/null)" != "$lock_hash" ]; then
  # onnxruntime-node's install script would fetch CUDA files from outside the registry: skip them.
  ONNXRUNTIME_NODE_INSTALL_CUDA=skip npm ci --no-audit --no-fund
  echo "$lock_hash" > "$stamp"
fi
