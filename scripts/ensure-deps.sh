#!/usr/bin/env bash
# Installs npm packages when missing or stale. Sourced by start.sh and test-all.sh.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # onnxruntime-node's install script would fetch CUDA files from outside the registry: skip them.
  ONNXRUNTIME_NODE_INSTALL_CUDA=skip npm ci --no-audit --no-fund
fi
