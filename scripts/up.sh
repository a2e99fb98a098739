#!/usr/bin/env bash
# Installs, ingests the bundled corpus, then serves the API (port 8000) and the UI (port 8501).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export HF_HUB_OFFLINE=1
.venv/bin/acv ingest corpus/ --prune
.venv/bin/acv serve &
API_PID=$!
trap 'kill $API_PID 2>/dev/null || true' EXIT
echo "API : http://127.0.0.1:8000/docs — interface : http://127.0.0.1:8501"
.venv/bin/acv ui
