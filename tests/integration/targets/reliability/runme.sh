#!/usr/bin/env bash
# Reliability and secrecy of the whole collection against the API simulator:
#  1. the estate playbook (every module) builds the same estate with and without injected faults
#     (errors, 429, dropped connections, lost writes), never makes a duplicate, and its second run
#     changes nothing;
#  2. the token appears nowhere: not in -vvvv output, the log file, diffs, inventory output or its cache;
#  3. bad input fails naming the option (a token missing altogether: naming SCW_TOKEN), and nothing
#     is written.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# ansible-test runs a copy of the target under <collection>/tests/output/.tmp/integration/.
case $here in
    */tests/output/.tmp/integration/*) root=${here%%/tests/output/.tmp/integration/*} ;;
    *) root=$(cd "$here/../../../.." && pwd) ;;
esac
python=${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}
work=${OUTPUT_DIR:-$(mktemp -d)}/reliability
secrets=$(mktemp -d)
mkdir -p "$work"
# A token no output may contain; it lives only in the fixtures file, outside $work.
token="scw-canary-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
printf '{"users": [{"token": "%s", "organizations": ["demo"]}]}\n' "$token" > "$secrets/fixtures.json"

timeout 1200 "$python" "$root/tests/simulator/run.py" --host 127.0.0.1 --port 0 --delay 0.05 \
    --fixtures "$secrets/fixtures.json" > "$work/simulator.log" 2>&1 &
sim_pid=$!
trap 'kill $sim_pid 2> /dev/null || true; rm -rf "$secrets"' EXIT
for _ in $(seq 100); do
    grep -q '^listening on ' "$work/simulator.log" && break
    sleep 0.1
done
api=$(sed -n 's/^listening on //p' "$work/simulator.log")
[[ -n $api ]] || { cat "$work/simulator.log"; exit 1; }
export SCW_API_URL=$api SCW_TOKEN=$token
sim() { "$python" "$here/sim.py" "$api" "$@"; }

# run_estate LABEL [ansible-playbook options]: run twice; the second run must change nothing.
run_estate() {
    local label=$1
    shift
    ansible-playbook -i localhost, -e ansible_python_interpreter="$python" "$here/estate.yml" "$@" > "$work/$label-1.log" 2>&1 \
        || { tail -n 60 "$work/$label-1.log"; echo "FAILED: $label, first run"; exit 1; }
    ansible-playbook -i localhost, -e ansible_python_interpreter="$python" "$here/estate.yml" "$@" > "$work/$label-2.log" 2>&1 \
        || { tail -n 60 "$work/$label-2.log"; echo "FAILED: $label, second run"; exit 1; }
    grep -Eq 'localhost +: ok=[0-9]+ +changed=0 ' "$work/$label-2.log" \
        || { tail -n 30 "$work/$label-2.log"; echo "FAILED: $label, the second run changed something"; exit 1; }
}

echo "== fault-free run"
run_estate clean
sim snapshot "$token" "$work/clean.json"

faulty_runs=0 injected=0 retries=0 lost=0
for seed in 11 23 47; do
    echo "== run with faults, seed $seed"
    sim reset
    sim clear-log
    sim faults "{\"error_rate\": 0.2, \"statuses\": [500, 502, 503, 504, 429], \"drop_rate\": 0.05,
                 \"lost_write_rate\": 0.15, \"seed\": $seed}"
    run_estate "faults-$seed"
    sim faults '{}'
    summary=$(sim log-summary)
    echo "   $summary"
    sim snapshot "$token" "$work/faults-$seed.json"   # fails on any duplicate
    if ! cmp -s "$work/clean.json" "$work/faults-$seed.json"; then
        diff -u "$work/clean.json" "$work/faults-$seed.json" || true
        echo "FAILED: the estate built under faults (seed $seed) differs from the fault-free one"
        exit 1
    fi
    read -r errors dropped lost_writes seen_retries < <("$python" -c '
import json, sys; s = json.loads(sys.argv[1]); print(s["errors"], s["dropped"], s["lost_writes"], s["retries"])' "$summary")
    [[ $seen_retries -gt 0 ]] || { echo "FAILED: no retry in the request log (seed $seed)"; exit 1; }
    faulty_runs=$((faulty_runs + 2))
    injected=$((injected + errors + dropped + lost_writes))
    lost=$((lost + lost_writes))
    retries=$((retries + seen_retries))
done

echo "== the token never shows: -vvvv with diff, a log file, the inventory and its cache"
sim reset
export ANSIBLE_LOG_PATH=$work/ansible.log
ansible-playbook -i localhost, -e ansible_python_interpreter="$python" "$here/estate.yml" -vvvv --diff > "$work/verbose.log" 2>&1 \
    || { tail -n 60 "$work/verbose.log"; echo "FAILED: verbose run"; exit 1; }
unset ANSIBLE_LOG_PATH
cat > "$work/leak.scaleway.yml" <<YAML
plugin: scaleway_v1.cloud.scaleway
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: $work/inventory-cache
YAML
for round in cold cached; do
    ANSIBLE_INVENTORY_ENABLED=scaleway_v1.cloud.scaleway ansible-inventory -vvvv -i "$work/leak.scaleway.yml" --list \
        > "$work/inventory-$round.log" 2>&1 || { tail -n 40 "$work/inventory-$round.log"; echo "FAILED: inventory"; exit 1; }
done
grep -q '"web-1"' "$work/inventory-cold.log" || { echo "FAILED: the inventory has no web-1"; exit 1; }
[[ -n $(ls -A "$work/inventory-cache") ]] || { echo "FAILED: the inventory cache was not written"; exit 1; }
occurrences=$({ grep -r -a -o -F "$token" "$work" || true; } | wc -l)
if [[ $occurrences -ne 0 ]]; then
    grep -r -a -l -F "$token" "$work"
    echo "FAILED: the token appears $occurrences times"
    exit 1
fi

echo "== bad input"
sim reset
sim clear-log
ansible-playbook -i localhost, -e ansible_python_interpreter="$python" "$here/bad_inputs.yml" > "$work/bad-inputs.log" 2>&1 \
    || { tail -n 60 "$work/bad-inputs.log"; echo "FAILED: bad input cases"; exit 1; }
bad_inputs=$(sed -n 's/.*bad inputs tried: \([0-9]*\).*/\1/p' "$work/bad-inputs.log" | head -n 1)
# No token at all (SCW_TOKEN unset, no api_token): the message names the environment variable to set.
env -u SCW_TOKEN ansible localhost -i localhost, -c local -e ansible_python_interpreter="$python" \
    -m scaleway_v1.cloud.scaleway_volume -a 'name=no-token size=1GB' > "$work/no-token.log" 2>&1 \
    && { cat "$work/no-token.log"; echo "FAILED: a task without a token succeeded"; exit 1; }
grep -q 'SCW_TOKEN' "$work/no-token.log" \
    || { cat "$work/no-token.log"; echo "FAILED: without a token, the message does not name SCW_TOKEN"; exit 1; }
bad_inputs=$((bad_inputs + 1))
writes=$("$python" -c 'import json, sys; print(json.loads(sys.argv[1])["writes"])' "$(sim log-summary)")
[[ $writes -eq 0 ]] || { echo "FAILED: bad input made $writes write requests"; exit 1; }

echo "reliability: $faulty_runs runs under faults, $injected faults injected ($lost lost writes)," \
     "$retries retries observed, 0 duplicates, 0 token occurrences, $bad_inputs bad inputs tried, 0 writes"
