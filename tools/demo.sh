#!/usr/bin/env bash
# The README's first command: from a fresh clone, set up, start the API simulator, run the example
# playbook twice (the second run must change nothing), show the inventory graph, stop the simulator.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "Setting up the virtualenvs (.venv/; reused when already there)"
bash tools/setup-venvs.sh
VENV=$ROOT/.venv/tools
export PATH=$VENV/bin:$PATH

# ansible-playbook finds the collection through a link tree ansible_collections/scaleway_v1/cloud -> here.
COLLECTIONS=$ROOT/.cache/demo-collections
mkdir -p "$COLLECTIONS/ansible_collections/scaleway_v1"
ln -sfn "$ROOT" "$COLLECTIONS/ansible_collections/scaleway_v1/cloud"
export ANSIBLE_COLLECTIONS_PATH=$COLLECTIONS
export ANSIBLE_CONFIG=$ROOT/playbooks/ansible.cfg

step "Starting the API simulator on 127.0.0.1 (a free port)"
SIM_LOG=$(mktemp)
WORK=$(mktemp -d)
"$VENV/bin/python" tests/simulator/run.py --host 127.0.0.1 --port 0 --delay 0.2 > "$SIM_LOG" 2>&1 &
SIM_PID=$!
cleanup() {
    if kill "$SIM_PID" 2> /dev/null; then
        wait "$SIM_PID" 2> /dev/null || true
    fi
    rm -rf "$SIM_LOG" "$WORK"
}
trap cleanup EXIT
for _ in $(seq 100); do
    grep -q '^listening on ' "$SIM_LOG" && break
    kill -0 "$SIM_PID" 2> /dev/null || { cat "$SIM_LOG"; exit 1; }
    sleep 0.1
done
SCW_API_URL=$(sed -n 's/^listening on //p' "$SIM_LOG" | head -n 1)
[[ -n $SCW_API_URL ]] || { echo "the simulator did not start:"; cat "$SIM_LOG"; exit 1; }
export SCW_API_URL SCW_TOKEN=demo-token
echo "simulator: $SCW_API_URL (token demo-token, organization demo)"

step "Running playbooks/demo.yml: build a small estate"
ansible-playbook playbooks/demo.yml -e "demo_work_dir=$WORK"

step "Running playbooks/demo.yml again: nothing should change (changed=0)"
ansible-playbook playbooks/demo.yml -e "demo_work_dir=$WORK" | tee "$WORK/second-run.log"
if ! grep -Eq 'localhost +: ok=[0-9]+ +changed=0 ' "$WORK/second-run.log"; then
    echo "the second run changed something: the playbook is not idempotent" >&2
    exit 1
fi

step "The dynamic inventory: servers are hosts, tags are groups (ansible-inventory --graph)"
ansible-inventory -i playbooks/inventory/demo.scaleway.yml --graph

step "One host's variables (ansible-inventory --host web-1)"
ansible-inventory -i playbooks/inventory/demo.scaleway.yml --host web-1

step "Done: stopping the simulator"
