#!/usr/bin/env bash
# Every benchmark from a fresh clone: set up the tools virtualenv, then run each script.
# Arguments are passed to nothing; run a script by hand for its options (see benchmarks/README.md).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$ROOT/tools/setup-venvs.sh"
PYTHON=$ROOT/.venv/tools/bin/python
status=0
echo "# Modules: requests against the floor, task time against ansible.builtin.uri"
"$PYTHON" "$ROOT/benchmarks/modules.py" || status=1
echo
echo "# Inventory: cold and cached against a static file"
"$PYTHON" "$ROOT/benchmarks/inventory.py" --check || status=1
echo
echo "# Publishing a directory: scaleway_container_sync against a raw parallel uploader and the old task loop"
"$PYTHON" "$ROOT/benchmarks/sync.py" --check || status=1
echo
echo "# Fleets: scaleway_server_fleet against a raw parallel client and a loop of single-server tasks"
"$PYTHON" "$ROOT/benchmarks/fleet.py" --check || status=1
exit $status
