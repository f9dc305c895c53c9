#!/usr/bin/env bash
# Load measurement (not part of .ci/run): starts the portal on SQLite in demo mode, logs in as a
# persona, and runs wrk against the home page (baseline) and the overview, and the API's term.
# Figures are to be read as ratios to the home page measured in the same run.
#   bash .ci/load.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
tmp="$(mktemp -d)"
go build -o "$tmp/inburgering" ./cmd/inburgering
port=18099
# The rate limits are off: this measures the pages, not how fast a flood is refused.
DATA_DIR="$tmp/data" LISTEN_ADDR="127.0.0.1:$port" LOG_LEVEL=warn RATE_LIMIT_API_IP=off RATE_LIMIT_API_TOKEN=off "$tmp/inburgering" >"$tmp/log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 50); do curl -fs "$base/readyz" >/dev/null && break; sleep 0.2; done
jar="$tmp/jar"
csrf=$(curl -s -c "$jar" -b "$jar" "$base/nl/inloggen" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -o /dev/null -c "$jar" -b "$jar" -d "_csrf=$csrf&persona=yusuf" "$base/nl/inloggen/demo"
session=$(awk '$6=="sessie"{print $7}' "$jar")
token=$(curl -s -X POST "$base/v2/demo-tokens" -H 'Content-Type: application/json' -d '{"persona":"yusuf"}' | sed 's/.*"accessToken":"\([^"]*\)".*/\1/')
echo "== home (baseline)";      wrk -t2 -c16 -d"${secs}s" "$base/nl" | grep -E "Requests/sec|Latency|Non-2xx"
echo "== Mijn overzicht";       wrk -t2 -c16 -d"${secs}s" -H "Cookie: sessie=$session" "$base/nl/mijn" | grep -E "Requests/sec|Latency|Non-2xx"
echo "== API termijn";          wrk -t2 -c16 -d"${secs}s" -H "Authorization: Bearer $token" "$base/v2/mijn/inburgeringstermijn" | grep -E "Requests/sec|Latency|Non-2xx"
