#!/usr/bin/env bash
# The fast tests and the churn tests, three times in a row, while two CPU-bound
# processes keep both cores of a CI-sized machine busy. Every run must pass.
# The load processes stop by themselves after 30 minutes at most, and are ended
# (by their process ids) as soon as the runs are over.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS="${ROUNDS:-3}"
load_pids=()
stop_load() {
	for pid in "${load_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap stop_load EXIT

for _ in 1 2; do
	node -e 'const end = Date.now() + 30 * 60_000; let x = 0; while (Date.now() < end) x = (x * 31 + 7) % 1e9;' &
	load_pids+=("$!")
done

for round in $(seq 1 "$ROUNDS"); do
	started=$(date +%s)
	echo "== loaded round $round of $ROUNDS (2 CPU-bound processes beside the tests)"
	npx jest --selectProjects unit sandbox churn
	echo "== round $round passed in $(($(date +%s) - started)) s"
done
