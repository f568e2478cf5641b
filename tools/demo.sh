#!/usr/bin/env bash
# The README's first command: from a fresh clone, set up a small virtualenv of its own, start the API
# simulator, run the example playbook twice (the second run must change nothing), show the inventory
# graph and a host's variables, stop the simulator.
#
# Needs only a python3 of 3.11 or newer (with its venv module) on PATH and access to the package
# registry the first time. Settings (environment):
#   SCW_DEMO_PYTHON  the interpreter of the demo's virtualenv (default: python3 on PATH)
#   SCW_DEMO_VENV    where that virtualenv lives (default: .venv/demo in the clone)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PYTHON=${SCW_DEMO_PYTHON:-python3}
VENV=${SCW_DEMO_VENV:-$ROOT/.venv/demo}
REQUIREMENTS=$ROOT/tools/requirements-demo.txt
INVENTORY=playbooks/inventory/demo.scaleway.yml

# Colour only on a terminal, and never with NO_COLOR (https://no-color.org) or ANSIBLE_NOCOLOR set:
# output that goes to a pipe or a file is plain text, whatever ANSIBLE_FORCE_COLOR says (CI systems
# often set it), so a log never holds raw escape codes.
case ${ANSIBLE_NOCOLOR:-} in '' | 0 | false | False | no | off) no_color=${NO_COLOR:-} ;; *) no_color=1 ;; esac
if [[ -t 1 && -z $no_color ]]; then
    BOLD=$'\033[1m' PLAIN=$'\033[0m'
    # The second run goes through tee: keep Ansible's colours there too.
    export ANSIBLE_FORCE_COLOR=1
else
    BOLD='' PLAIN=''
    export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0
fi
step() { printf '\n%s==> %s%s\n' "$BOLD" "$*" "$PLAIN"; }
die() { printf 'demo: ERROR: %s\n' "$*" >&2; exit 1; }

check_python() {
    command -v "$PYTHON" > /dev/null \
        || die "no '$PYTHON' on PATH: the demo needs Python 3.11 or newer as python3 (or set SCW_DEMO_PYTHON to one)"
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || die "$("$PYTHON" -V 2>&1) ($(command -v "$PYTHON")) is too old: the demo needs Python 3.11 or newer (set SCW_DEMO_PYTHON to one)"
    "$PYTHON" -c 'import venv' 2> /dev/null \
        || die "$("$PYTHON" -V 2>&1) ($(command -v "$PYTHON")) has no venv module (on Debian and Ubuntu: apt-get install python3-venv)"
}

# pip 22.3 and newer installs into another interpreter's environment (pip --python). When the
# interpreter has one, the virtualenv is made without pip: seeding it with ensurepip costs about 8 s
# here, more than installing everything else.
has_outer_pip() {
    "$PYTHON" -c 'import sys, pip; sys.exit(tuple(int(p) for p in pip.__version__.split(".")[:2]) < (22, 3))' 2> /dev/null
}

install_requirements() {
    local pip=("$VENV/bin/python" -m pip)
    if has_outer_pip; then
        pip=("$PYTHON" -m pip --python "$VENV/bin/python")
    elif ! "$VENV/bin/python" -m ensurepip --default-pip > "$VENV/pip.log" 2>&1; then
        tail -n 20 "$VENV/pip.log" >&2
        die "$("$PYTHON" -V 2>&1) ($(command -v "$PYTHON")) has neither pip 22.3+ nor a working ensurepip (on Debian and Ubuntu: apt-get install python3-venv)"
    fi
    "${pip[@]}" install --disable-pip-version-check --no-input --no-compile -r "$REQUIREMENTS" >> "$VENV/pip.log" 2>&1
}

# The virtualenv is kept while the interpreter and tools/requirements-demo.txt stay the same: it
# holds a copy of both (.demo-stamp), written once pip has installed everything.
setup_venv() {
    local stamp
    stamp=$("$PYTHON" -c 'import sys; print(sys.executable, sys.version)'; cat "$REQUIREMENTS")
    if [[ -x $VENV/bin/ansible-playbook && -f $VENV/.demo-stamp && $(< "$VENV/.demo-stamp") == "$stamp" ]]; then
        echo "reusing $VENV (requirements unchanged)"
        return
    fi
    if [[ -e $VENV && ! -f $VENV/pyvenv.cfg && -n $(ls -A "$VENV" 2> /dev/null) ]]; then
        die "$VENV exists and is not a virtualenv: remove it or set SCW_DEMO_VENV to another path"
    fi
    echo "creating $VENV with $("$PYTHON" -V 2>&1) from tools/requirements-demo.txt"
    rm -rf "$VENV"
    "$PYTHON" -m venv --without-pip "$VENV" || die "$PYTHON -m venv --without-pip $VENV failed"
    : > "$VENV/pip.log"
    if ! install_requirements; then
        tail -n 20 "$VENV/pip.log" >&2
        die "pip could not install tools/requirements-demo.txt (full log: $VENV/pip.log)"
    fi
    printf '%s\n' "$stamp" > "$VENV/.demo-stamp"
}

step "Setting up the demo's virtualenv: ansible-core and requests (reused when already there)"
check_python
setup_venv
export PATH=$VENV/bin:$PATH

WORK=$(mktemp -d)
SIM_PID=
HOST_PID=
stop_simulator() {
    [[ -z $HOST_PID ]] || kill "$HOST_PID" 2> /dev/null || true
    # SIM_PID is the simulator's `timeout`, which passes SIGTERM on; the simulator exits at once on
    # it. A simulator still there after 5 s gets SIGKILL, so nothing outlives the demo.
    if [[ -n $SIM_PID ]] && kill "$SIM_PID" 2> /dev/null; then
        for _ in $(seq 50); do
            kill -0 "$SIM_PID" 2> /dev/null || break
            sleep 0.1
        done
        pkill -KILL -P "$SIM_PID" 2> /dev/null || true
        kill -KILL "$SIM_PID" 2> /dev/null || true
        wait "$SIM_PID" 2> /dev/null || true
    fi
    rm -rf "$WORK"
}
trap stop_simulator EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ansible-playbook finds the collection through a link tree ansible_collections/scaleway_v1/cloud -> here.
mkdir -p "$WORK/collections/ansible_collections/scaleway_v1"
ln -s "$ROOT" "$WORK/collections/ansible_collections/scaleway_v1/cloud"
export ANSIBLE_COLLECTIONS_PATH=$WORK/collections
export ANSIBLE_CONFIG=$ROOT/playbooks/ansible.cfg

step "Starting the API simulator on 127.0.0.1 (a free port)"
# Under `timeout`: even a demo killed with SIGKILL, which runs no trap, leaves no simulator for long.
timeout 1800 "$VENV/bin/python" tests/simulator/run.py --host 127.0.0.1 --port 0 --delay 0.2 > "$WORK/simulator.log" 2>&1 &
SIM_PID=$!
for _ in $(seq 300); do  # at most 30 s
    grep -q '^listening on ' "$WORK/simulator.log" && break
    kill -0 "$SIM_PID" 2> /dev/null || break
    sleep 0.1
done
SCW_API_URL=$(sed -n 's/^listening on //p' "$WORK/simulator.log" | head -n 1)
[[ -n $SCW_API_URL ]] || { cat "$WORK/simulator.log" >&2; die "the simulator did not start"; }
export SCW_API_URL SCW_TOKEN=demo-token
echo "simulator: $SCW_API_URL (token demo-token, organization demo)"

step "Running playbooks/demo.yml: build a small estate"
ansible-playbook playbooks/demo.yml

step "Running playbooks/demo.yml again: nothing should change (changed=0)"
ansible-playbook playbooks/demo.yml | tee "$WORK/second-run.log"
if ! grep -Eq 'localhost +: ok=[0-9]+ +changed=0 ' "$WORK/second-run.log"; then
    die "the second run changed something: the playbook is not idempotent"
fi

# The two inventory commands run side by side (one core each), their output shown in turn.
ansible-inventory -i "$INVENTORY" --host web-1 > "$WORK/host.out" 2>&1 &
HOST_PID=$!
step "The dynamic inventory: servers are hosts, tags are groups (ansible-inventory --graph)"
ansible-inventory -i "$INVENTORY" --graph
cat <<'EOF'
Each tag is a group: web and db come from the playbook; default holds every server because the API
itself attaches a tag named "default" (type "server") to each server it creates (see the API guide,
docs/docsite/rst/guide_api.rst). The type_* and state_* groups come from keyed_groups in
playbooks/inventory/demo.scaleway.yml.
EOF

step "One host's variables (ansible-inventory --host web-1)"
HOST_STATUS=0
wait "$HOST_PID" || HOST_STATUS=$?
cat "$WORK/host.out"
[[ $HOST_STATUS == 0 ]] || die "ansible-inventory --host web-1 failed (exit $HOST_STATUS)"

step "Done in ${SECONDS} s: stopping the simulator"
cat <<EOF

Next steps:
  - Read docs/docsite/rst/guide_getting_started.rst: the modules, the inventory and the roles of this
    demo, one at a time (then guide_inventory.rst and guide_reliability.rst).
  - Run the same playbook against your own account: point the collection at the API and your token,
    and give the organization to build in (its name or id), from $ROOT:
      export SCW_API_URL=https://api.scaleway.com/v1 SCW_TOKEN=<your token>
      ANSIBLE_CONFIG=playbooks/ansible.cfg $VENV/bin/ansible-playbook playbooks/demo.yml -e demo_organization=<organization>
    It creates three servers, four volumes, two tags and a container there (playbooks/README.md).
EOF
