#!/usr/bin/env bash
# Installs, ingests the bundled corpus, then serves the API (port 8000) and the UI (port 8501).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx fra; then
  # OCR of scanned PDFs (issue 17): Tesseract with its French data
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-fra >/dev/null) \
      || echo "warning: Tesseract could not be installed; scanned PDFs will not be read" >&2
  fi
fi
export HF_HUB_OFFLINE=1
.venv/bin/acv ingest corpus/ --prune
.venv/bin/acv serve &
API_PID=$!
trap 'kill $API_PID 2>/dev/null || true' EXIT
echo "API : http://127.0.0.1:8000/docs — interface : http://127.0.0.1:8501"
.venv/bin/acv ui
