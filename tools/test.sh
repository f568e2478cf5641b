#!/usr/bin/env bash
# The collection's test command. From a fresh clone it installs what it needs
# (tools/setup-venvs.sh), copies the working tree (uncommitted files included) to
# <temp>/<core>/ansible_collections/scaleway_v1/cloud, one copy per ansible-core (and per
# integration worker), and runs every check there, going on after a failure. The steps run in
# three lanes side by side (see lane_of). It ends with the line "N passed, M failed[, K skipped]"
# and exits non-zero when a step failed. See tools/README.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENVS=$ROOT/.venv
COLLECTION=scaleway_v1.cloud
STEPS=(sanity units integration lint docs changelog build importer simulator eda demo)
# What a step exits with when it had nothing to test (automake's convention).
SKIP=77
# Output goes to log files; CI=true would make sphinx and others colour it.
export NO_COLOR=1

usage() {
    cat <<EOF
Usage: tools/test.sh [OPTIONS] [STEP ...]

Steps (all by default, always in this order): ${STEPS[*]}

Options:
  --core 2.21|2.19|all  ansible-core for sanity, units and integration (default: all)
  --targets "T1 T2"     integration targets to run (default: all)
  --serial              run every step one after the other (default: in lanes side by side)
  --keep                keep the temporary collection trees and print their path
  -v, --verbose         stream each step's output as well as logging it (implies --serial)
  -h, --help            show this help
EOF
}

die() { printf 'test.sh: %s\n' "$*" >&2; exit 2; }

CORES=(2.21 2.19)
TARGETS=''
KEEP=false
VERBOSE=false
SERIAL=false
SELECTED=()
while (($#)); do
    case $1 in
        --core)
            [[ $# -ge 2 ]] || die "--core needs a value"
            case $2 in
                2.21 | 2.19) CORES=("$2") ;;
                all) CORES=(2.21 2.19) ;;
                *) die "--core must be 2.21, 2.19 or all, not '$2'" ;;
            esac
            shift 2 ;;
        --targets)
            [[ $# -ge 2 ]] || die "--targets needs a value"
            TARGETS=$2
            shift 2 ;;
        --keep) KEEP=true; shift ;;
        --serial) SERIAL=true; shift ;;
        -v | --verbose) VERBOSE=true; SERIAL=true; shift ;;
        -h | --help) usage; exit 0 ;;
        -*) die "unknown option '$1' (see --help)" ;;
        *)
            [[ " ${STEPS[*]} " == *" $1 "* ]] || die "unknown step '$1'; steps are: ${STEPS[*]}"
            SELECTED+=("$1")
            shift ;;
    esac
done
((${#SELECTED[@]})) || SELECTED=("${STEPS[@]}")

WORK=$(mktemp -d "${TMPDIR:-/tmp}/scaleway-test.XXXXXX")
LOGS=$WORK/logs
DIST=$WORK/dist
mkdir -p "$LOGS"

# core_tree CORE: that ansible-core's copy of the collection (sanity, units). Two ansible-test
# runs must not share a tree: they would share tests/output and the integration output_dir, so
# each integration worker, which runs beside them, has a copy of its own (integration_tree).
core_tree() { echo "$WORK/$1/ansible_collections/${COLLECTION/.//}"; }
# integration_tree CORE [WORKER]: the tree of one integration worker of that ansible-core.
integration_tree() {
    local suffix=''
    ((${2:-1} == 1)) || suffix=-$2
    echo "$WORK/integration-$1$suffix/ansible_collections/${COLLECTION/.//}"
}
# The steps that are not tied to an ansible-core run in the 2.21 copy;
# COLLECTIONS_PATH is the parent of its ansible_collections folder.
COLL=$(core_tree 2.21)
COLLECTIONS_PATH=$WORK/2.21

# ---------------------------------------------------------------- helpers

# core_venv/core_python CORE: the virtualenv and the Python that test an ansible-core.
core_venv() { case $1 in 2.21) echo tools ;; 2.19) echo core219 ;; esac; }
core_python() { case $1 in 2.21) echo 3.13 ;; 2.19) echo 3.11 ;; esac; }

# in_core CORE CMD...: run CMD in the collection tree with that ansible-core first on PATH.
in_core() {
    local venv
    venv=$(core_venv "$1")
    shift
    (cd "$COLL" && PATH="$VENVS/pybin:$VENVS/$venv/bin:$PATH" "$@")
}

# in_tools CMD...: run CMD in the collection tree with the tools venv, collection path set.
in_tools() {
    (cd "$COLL" && PATH="$VENVS/pybin:$VENVS/tools/bin:$PATH" ANSIBLE_COLLECTIONS_PATH=$COLLECTIONS_PATH "$@")
}

# capture FILE CMD...: run CMD, its output both shown (into the step log) and kept in FILE.
capture() {
    local file=$1
    shift
    "$@" 2>&1 | tee "$file"
    return "${PIPESTATUS[0]}"
}

# note TEXT: add a remark shown beside the step in the summary table.
note() {
    if [[ -s $STEP_NOTE ]]; then printf '; ' >> "$STEP_NOTE"; fi
    printf '%s' "$*" >> "$STEP_NOTE"
}

# skip REASON: end the step as skipped (nothing to test), never as passed.
skip() {
    note "$*"
    printf 'SKIPPED: %s\n' "$*" >&2
    exit "$SKIP"
}

# fail MESSAGE: end the step as failed with a message.
fail() {
    note "$*"
    printf 'FAILED: %s\n' "$*" >&2
    exit 1
}

# Copy the working tree (tracked and untracked files, not ignored ones) to DEST.
copy_tree() {
    local dest=$1 list=$WORK/files.list path
    if git -C "$ROOT" rev-parse --is-inside-work-tree > /dev/null 2>&1; then
        # Tracked files deleted in the working tree are still listed: keep only existing ones.
        git -C "$ROOT" ls-files -z --cached --others --exclude-standard \
            | while IFS= read -r -d '' path; do
                if [[ -e $ROOT/$path || -L $ROOT/$path ]]; then printf '%s\0' "$path"; fi
            done > "$list"
        tar -C "$ROOT" --null --no-recursion -T "$list" -cf - | tar -C "$dest" -xf -
    else
        tar -C "$ROOT" --exclude=.git --exclude=.venv --exclude=.cache --exclude=tests/output \
            --exclude=__pycache__ --exclude='*.py[cod]' --exclude=.pytest_cache -cf - . | tar -C "$dest" -xf -
    fi
}

# stray_simulators TREE: simulator processes started from that collection tree.
stray_simulators() {
    local proc
    for proc in /proc/[0-9]*; do
        if grep -qaF -- "$1/tests/simulator/run.py" "$proc/cmdline" 2> /dev/null; then
            echo "${proc#/proc/}"
        fi
    done
}

kill_stray_simulators() {
    local pids
    pids=$(stray_simulators "$1")
    # shellcheck disable=SC2086 # one PID per word
    [[ -z $pids ]] || kill $pids 2> /dev/null || true
}

cleanup() {
    local pids
    # Steps still running (after Ctrl-C) end first, then any simulator they left.
    pids=$(jobs -p)
    # shellcheck disable=SC2086 # one PID per word
    [[ -z $pids ]] || { kill $pids 2> /dev/null; wait; } || true
    kill_stray_simulators "$WORK"
    if $KEEP; then
        printf 'Kept the collection trees: %s/<core>/ansible_collections\n' "$WORK"
        [[ ! -d $WORK/docs-build/build/html ]] || printf 'Kept the HTML docs: %s/docs-build/build/html\n' "$WORK"
    else
        # Logs stay (they are small) so a failure can be read after the run.
        find "$WORK" -mindepth 1 -maxdepth 1 ! -name logs -exec rm -rf {} +
    fi
}
trap cleanup EXIT

# ---------------------------------------------------------------- steps
# Each step function runs in a subshell with set -e, in the step's log; it passes
# by returning 0, fails otherwise, or calls skip.

step_setup() {
    local core tree worker
    bash "$ROOT/tools/setup-venvs.sh"
    mkdir -p "$COLL"
    copy_tree "$COLL"
    for core in "${CORES[@]}"; do
        for tree in "$(core_tree "$core")" "$(integration_tree "$core")"; do
            [[ $tree == "$COLL" ]] && continue
            mkdir -p "$tree"
            cp -a "$COLL/." "$tree/"
        done
    done
    for ((worker = 2; worker <= INTEGRATION_WORKERS; worker++)); do
        tree=$(integration_tree "$NEWEST_CORE" "$worker")
        mkdir -p "$tree"
        cp -a "$COLL/." "$tree/"
    done
    echo "collection trees: $WORK/<core>/ansible_collections, integration: $WORK/integration-<core>/ansible_collections"
}

step_sanity() {
    local core=$1 out=$STEP_DIR/out pythons missing skipped failed
    local status=0 COLL
    COLL=$(core_tree "$core")
    capture "$out" in_core "$core" ansible-test sanity --venv --color no || status=$?
    pythons=$(sed -n 's/^Running sanity test "compile" on Python \(.*\)$/\1/p' "$out" | tr '\n' ' ')
    missing=$(sed -n 's/^WARNING: Skipping sanity test "compile" on Python \(.*\) because it could not be found\.$/\1/p' "$out" \
        | sort -uV | tr '\n' ' ')
    note "Pythons ${pythons% }${missing:+ (${missing% } not found)}"
    # Tests skipped for another reason than a missing Python must show in the summary.
    skipped=$(grep '^WARNING: Skipping sanity test' "$out" | grep -v 'because it could not be found' \
        | sed 's/^WARNING: Skipping sanity test "\([^"]*\)".*/\1/' | sort -u | tr '\n' ' ' || true)
    [[ -z $skipped ]] || note "skipped tests: ${skipped% }"
    command -v shellcheck > /dev/null || note "shellcheck not installed: its test did not run"
    failed=$(failed_after 'sanity test(s) listed below' "$out")
    [[ -z $failed ]] || note "failed: $failed"
    return "$status"
}

step_units() {
    local core=$1 python out=$STEP_DIR/out junit result
    local status=0 COLL
    COLL=$(core_tree "$core")
    junit=$COLL/tests/output/junit
    python=$(core_python "$core")
    rm -rf "$junit"
    capture "$out" in_core "$core" ansible-test units --venv --python "$python" --color no || status=$?
    if ((status == 0)) && grep -q 'All targets skipped' "$out"; then
        skip "no unit tests under tests/unit"
    fi
    judge_junit "Python $python" "$junit" "$status"
}

# judge_junit LABEL DIR STATUS: end a pytest step from its JUnit reports and exit
# status; a run in which no test executed is skipped, never passed.
judge_junit() {
    local label=$1 junit=$2 status=$3 result counted=0
    result=$("$VENVS/tools/bin/python" "$ROOT/tools/junit_summary.py" "$junit") || counted=$?
    ((status != 0)) || ((counted != 5)) || skip "$label: no test ran ($result)"
    note "$label: $result"
    return "$status"
}

# failed_after HEADER FILE: the names ansible-test lists, one a line, after its line
# "FATAL: The N <HEADER> (out of M) failed...", space-separated.
failed_after() {
    sed -n "/^FATAL: The [0-9]* $1/,/^FATAL: Command/{/^[A-Za-z0-9_-]*\$/p}" "$2" | tr '\n' ' ' | sed 's/ $//'
}

# Integration on the newest ansible-core is most of the run's work: that many ansible-test runs
# take its targets from one queue, side by side (2 CPUs; each run keeps about one busy).
INTEGRATION_WORKERS=${SCW_TEST_INTEGRATION_WORKERS:-2}
$SERIAL && INTEGRATION_WORKERS=1

# Integration targets that ansible-test runs by default: not hidden (setup_*, prepare_*)
# and not marked hidden, disabled or unsupported in their aliases.
runnable_targets() {
    local dir name
    for dir in "$COLL"/tests/integration/targets/*/; do
        [[ -d $dir ]] || continue
        name=$(basename "$dir")
        [[ $name == setup_* || $name == prepare_* ]] && continue
        if [[ -f $dir/aliases ]] && grep -qE '^(hidden|disabled|unsupported)$' "$dir/aliases"; then continue; fi
        echo "$name"
    done
}

# The alias of a target whose behaviour depends on ansible-core (controller code: the inventory
# plugin, roles, templating, no_log and the output of ansible-playbook): it runs on every selected
# ansible-core. Any other target runs on the newest selected one only: the modules it tests run the
# same module code under both, and units and sanity test that code on both (tools/README.md).
EVERY_CORE_ALIAS=every_ansible_core
NEWEST_CORE=${CORES[0]}

# core_targets CORE NAME...: the names of targets to run on that ansible-core.
core_targets() {
    local core=$1 name
    shift
    for name in "$@"; do
        if [[ $core == "$NEWEST_CORE" ]] \
            || grep -qx "$EVERY_CORE_ALIAS" "$COLL/tests/integration/targets/$name/aliases" 2> /dev/null; then
            echo "$name"
        fi
    done
}

# target_times TREE...: the time of each target the integration runs in those trees took, slowest
# first, from the results ansible-test writes in tests/output/data ("NAME SECONDS" lines).
target_times() {
    local tree data=()
    for tree in "$@"; do
        data+=("$tree"/tests/output/data/integration-*.json)
    done
    "$VENVS/tools/bin/python" -c '
import json, os, sys
times = {}
for path in sys.argv[1:]:
    if os.path.exists(path):
        for name, target in json.load(open(path))["targets"].items():
            times[name] = target["run_time_seconds"]
for name, seconds in sorted(times.items(), key=lambda x: -x[1]):
    print(name, seconds)' "${data[@]}"
}

# Each target's time in the last integration run on this machine, per ansible-core ("NAME SECONDS"
# lines, outside the clone), so the queue can start with the longest targets.
TIMES_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/scaleway_v1.cloud

# longest_first CORE TARGET...: the targets in queue order, so the workers end close together:
# first those without a time on this machine (new, so possibly long), largest folder first, then
# the others, longest last time first.
longest_first() {
    local core=$1 name seconds
    shift
    for name in "$@"; do
        seconds=$(awk -v name="$name" '$1 == name {print $2}' "$TIMES_CACHE/integration-$core" 2> /dev/null)
        if [[ -n $seconds ]]; then
            printf '1 %s %s\n' "$seconds" "$name"
        else
            printf '0 %s %s\n' "$(du -sk "$COLL/tests/integration/targets/$name" | cut -f1)" "$name"
        fi
    done | sort -k1,1n -k2,2rn | cut -d' ' -f3
}

# next_target QUEUE: take the first target of the queue file (empty when there is none left).
next_target() {
    local fd target
    exec {fd}>> "$1.lock"
    flock "$fd"
    target=$(head -n 1 "$1")
    sed -i 1d "$1"
    exec {fd}>&-
    printf '%s' "$target"
}

# integration_worker CORE WORKER QUEUE: run the queue's targets one ansible-test run each, in that
# worker's tree, until the queue is empty; each target's output and status go to STEP_DIR/targets/.
integration_worker() {
    local core=$1 worker=$2 queue=$3 target status COLL
    COLL=$(integration_tree "$core" "$worker")
    while target=$(next_target "$queue") && [[ -n $target ]]; do
        status=0
        in_core "$core" ansible-test integration --venv --python "$(core_python "$core")" --color no \
            "$target" > "$STEP_DIR/targets/$target.out" 2>&1 || status=$?
        echo "$status" > "$STEP_DIR/targets/$target.status"
    done
}

step_integration() {
    local core=$1 python out=$STEP_DIR/out targets strays times target failed='' worker trees=()
    local status=0 COLL workers=1
    COLL=$(integration_tree "$core")
    python=$(core_python "$core")
    if [[ -n $TARGETS ]]; then
        targets=$TARGETS
    else
        targets=$(runnable_targets | tr '\n' ' ')
        [[ -n ${targets// /} ]] || skip "no integration targets yet (only hidden setup targets)"
    fi
    # shellcheck disable=SC2086 # target names are words
    targets=$(core_targets "$core" $targets | tr '\n' ' ')
    [[ -n ${targets// /} ]] || skip "no target runs on ansible-core $core (alias $EVERY_CORE_ALIAS)"
    [[ $core != "$NEWEST_CORE" ]] || workers=$INTEGRATION_WORKERS
    for ((worker = 1; worker <= workers; worker++)); do
        trees+=("$(integration_tree "$core" "$worker")")
    done
    if ((workers == 1)); then
        # One ansible-test run; every target runs even after one failed, so one run names all failures.
        # shellcheck disable=SC2086 # target names are words
        capture "$out" in_core "$core" ansible-test integration --venv --python "$python" --color no \
            --continue-on-error $targets || status=$?
        ((status == 0)) || failed=$(failed_after 'integration test(s) listed below' "$out")
    else
        mkdir -p "$STEP_DIR/targets"
        # shellcheck disable=SC2086 # target names are words
        longest_first "$core" $targets > "$STEP_DIR/queue"
        echo "queue ($workers workers, longest target first): $(tr '\n' ' ' < "$STEP_DIR/queue")"
        for ((worker = 1; worker <= workers; worker++)); do
            integration_worker "$core" "$worker" "$STEP_DIR/queue" &
        done
        wait
        : > "$out"
        for target in $targets; do
            printf '\n---- target %s (exit %s)\n' "$target" "$(cat "$STEP_DIR/targets/$target.status" 2> /dev/null || echo '?')" \
                | tee -a "$out"
            tee -a "$out" < "$STEP_DIR/targets/$target.out" 2> /dev/null || echo "(no output: the target did not run)"
            [[ $(cat "$STEP_DIR/targets/$target.status" 2> /dev/null) == 0 ]] || failed+="${failed:+ }$target"
        done
        [[ -z $failed ]] || status=1
    fi
    times=$(target_times "${trees[@]}")
    if [[ -n $times ]]; then
        printf '\ntarget times (s), slowest first:\n%s\n' "$times"
        printf '%s\n' "$times" > "$LOGS/$STEP_ID.targets"
        # Kept for the next run's queue order: the times of this run's targets replace the old ones.
        if mkdir -p "$TIMES_CACHE" 2> /dev/null; then
            {
                printf '%s\n' "$times"
                [[ ! -f $TIMES_CACHE/integration-$core ]] \
                    || awk 'NR == FNR {seen[$1] = 1; next} !($1 in seen)' <(printf '%s\n' "$times") "$TIMES_CACHE/integration-$core"
            } > "$TIMES_CACHE/integration-$core.new" && mv "$TIMES_CACHE/integration-$core.new" "$TIMES_CACHE/integration-$core"
        fi
    fi
    strays=$(for COLL in "${trees[@]}"; do stray_simulators "$COLL"; done | tr '\n' ' ')
    if [[ -n $strays ]]; then
        for COLL in "${trees[@]}"; do kill_stray_simulators "$COLL"; done
        fail "a target left the simulator running (pid ${strays% }): stop it in 'always' with setup_simulator's stop tasks"
    fi
    if ((status != 0)); then
        note "failed: $failed"
        return "$status"
    fi
    grep -q 'All targets skipped' "$out" && skip "ansible-test skipped every target"
    note "Python $python: $(wc -w <<< "$targets") target(s)"
}

step_lint() {
    in_tools ansible-lint --offline --nocolor
}

step_docs_lint() {
    in_tools antsibull-docs lint-collection-docs --plugin-docs .
}

step_docs_build() {
    local dest=$WORK/docs-build out=$STEP_DIR/out problems
    rm -rf "$dest"
    mkdir -p "$dest"
    in_tools antsibull-docs sphinx-init --use-current --lenient --fail-on-error --dest-dir "$dest" "$COLLECTION"
    capture "$out" env PATH="$VENVS/tools/bin:$PATH" ANSIBLE_COLLECTIONS_PATH="$COLLECTIONS_PATH" "$dest/build.sh"
    # --lenient (needed offline: intersphinx cannot fetch its inventories) also stops
    # sphinx-build from failing on warnings, so they are judged here. Offline, labels of
    # other docs (ansible-core's common_return_values, say) cannot resolve; labels of
    # this collection must.
    problems=$(awk -v own="undefined label: 'ansible_collections\\.${COLLECTION/./\\.}\\." '
        /(WARNING|ERROR|CRITICAL|SEVERE):/ && !/failed to reach any of the inventories/ \
            && !(/WARNING: undefined label: / && $0 !~ own)' "$out")
    [[ -z $problems ]] || fail "the docs build reported $(wc -l <<< "$problems") problem(s), first: $(head -n 1 <<< "$problems")"
    note "$(find "$dest/build/html" -name '*.html' | wc -l) HTML pages"
}

step_changelog() {
    in_tools antsibull-changelog lint
    in_tools antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml
}

# Build the collection tarball once (the build and importer steps share it); print its path.
build_tarball() {
    local tarball
    if ! tarball=$(find "$DIST" -name '*.tar.gz' 2> /dev/null | head -n 1) || [[ -z $tarball ]]; then
        mkdir -p "$DIST"
        in_tools ansible-galaxy collection build --force --output-path "$DIST" . >&2
        tarball=$(find "$DIST" -name '*.tar.gz' | head -n 1)
    fi
    [[ -n $tarball ]] || fail "ansible-galaxy collection build made no tarball"
    echo "$tarball"
}

step_build() {
    local tarball forbidden
    tarball=$(build_tarball)
    # The tree has been tested by now, so it holds the output and caches the build must leave out.
    forbidden=$(tar -tzf "$tarball" \
        | grep -E '(^|/)(tests/output|__pycache__|\.venv|\.git|\.cache|\.pytest_cache)(/|$)|\.py[cod]$' || true)
    [[ -z $forbidden ]] || fail "the tarball contains files it must not: $(head -n 5 <<< "$forbidden" | tr '\n' ' ')"
    note "$(basename "$tarball"), $(tar -tzf "$tarball" | wc -l) entries, $(du -k "$tarball" | cut -f1) KiB"
}

step_importer() {
    local tarball out=$STEP_DIR/out problems
    tarball=$(build_tarball)
    # The importer skips ansible-doc, flake8 and ansible-lint when they are not on PATH
    # and exits 0 when they report problems, so their ERROR/WARNING lines decide.
    capture "$out" in_tools env GALAXY_IMPORTER_CONFIG="$ROOT/tools/galaxy-importer.cfg" \
        python -m galaxy_importer.main "$tarball"
    problems=$(grep -E 'ERROR:|WARNING:' "$out" || true)
    [[ -z $problems ]] || fail "galaxy-importer reported $(wc -l <<< "$problems") ERROR/WARNING line(s)"
}

step_simulator() {
    local junit=$STEP_DIR/junit status=0
    [[ -d $COLL/tests/unit/simulator ]] || skip "no tests/unit/simulator"
    in_tools python -m pytest -p no:cacheprovider --junitxml="$junit/simulator.xml" tests/unit/simulator || status=$?
    # pytest exits 5 when it collected nothing; judge_junit also catches all-skipped runs.
    ((status != 5)) || skip "pytest collected no test in tests/unit/simulator"
    judge_junit "Python 3.13" "$junit" "$status"
}

# The event source's example rulebook under a real ansible-rulebook (.venv/eda), against the simulator.
step_eda() {
    local junit=$STEP_DIR/junit status=0
    [[ -d $COLL/tests/eda ]] || skip "no tests/eda"
    in_tools env SCW_EDA_VENV="$VENVS/eda" python -m pytest -p no:cacheprovider --junitxml="$junit/eda.xml" \
        tests/eda || status=$?
    ((status != 5)) || skip "pytest collected no test in tests/eda"
    judge_junit "ansible-rulebook" "$junit" "$status"
}

# The README's first command as a newcomer runs it: PATH=/usr/bin:/bin, so the system python3 and
# no pyenv. Its virtualenv is .venv/demo of this clone (tools/demo.sh reuses it while the
# requirements stay the same). The demo checks that the second run reports changed=0 itself.
step_demo() {
    local out=$STEP_DIR/demo.out
    [[ -x /usr/bin/python3 ]] || skip "no /usr/bin/python3"
    # Its output is a log file here, not a terminal: it must hold no escape code, even with
    # ANSIBLE_FORCE_COLOR set (as CI systems do) and without NO_COLOR (which this script sets).
    capture "$out" env -u NO_COLOR ANSIBLE_FORCE_COLOR=1 PATH=/usr/bin:/bin SCW_DEMO_VENV="$VENVS/demo" \
        bash "$COLL/tools/demo.sh"
    ! grep -q $'\033' "$out" || fail "the demo's output holds escape codes although it is not a terminal"
    grep -q 'attaches a tag named "default"' "$out" || fail "the demo does not explain the group default"
    grep -q '^Next steps:$' "$out" || fail "the demo ends without its next steps"
    grep -q 'guide_getting_started' "$out" || fail "the demo's next steps name no guide"
    grep -q 'export SCW_API_URL=.* SCW_TOKEN=' "$out" || fail "the demo's next steps do not say how to use a real account"
    grep -Eq '^  \|--@web:$' "$out" || fail "the inventory graph has no group web"
    grep -Eq '^  \|  \|--web-2$' "$out" || fail "the inventory graph has no host web-2"
    grep -q '"scaleway_tags"' "$out" || fail "ansible-inventory --host web-1 showed no scaleway_tags"
}

# ---------------------------------------------------------------- runner
# The plan is the list of steps in their order (plan_step). With --serial they run one after the
# other in that order. Otherwise they run in lanes (lane_of): each lane runs its steps in plan order,
# the lanes side by side, and the results are reported in plan order as each step ends.

RESULTS=()
PASSED=0
FAILED=0
SKIPPED=0
PLAN=()
declare -A STEP_DESCRIPTION STEP_COMMAND LANE_PID

# plan_step ID DESCRIPTION FUNCTION ARGS...: add a step to the plan (arguments are single words).
plan_step() {
    local id=$1
    PLAN+=("$id")
    STEP_DESCRIPTION[$id]=$2
    shift 2
    STEP_COMMAND[$id]="$*"
}

# run ID DESCRIPTION FUNCTION ARGS...: plan_step's name in earlier versions of this script.
run() { plan_step "$@"; }

# lane_of ID: the lane a step runs in. 2 CPUs: one integration run keeps about one busy, so
# integration on the newest ansible-core has a lane of its own, the ansible-core-dependent
# targets on the older one a second, and every other step (sanity, units and the steps that
# need no ansible-core) runs one after the other in a third.
lane_of() {
    case $1 in
        integration-*) echo "$1" ;;
        *) echo checks ;;
    esac
}

# start_step ID: run one planned step to its end, logged and timed; its result goes to
# steps/ID/status for report.
start_step() {
    local id=$1 log=$LOGS/$1.log
    STEP_ID=$id
    STEP_DIR=$WORK/steps/$id
    STEP_NOTE=$STEP_DIR/note
    mkdir -p "$STEP_DIR"
    printf '\n==== %s: %s\n' "$id" "${STEP_DESCRIPTION[$id]}"
    # shellcheck disable=SC2086 # the command's words
    if $VERBOSE; then
        step_body ${STEP_COMMAND[$id]} 2>&1 | tee "$log"
    else
        step_body ${STEP_COMMAND[$id]} > "$log" 2>&1
    fi
}

# step_body FUNCTION ARGS...: run a step function in a subshell with set -e (not in an
# || list, where bash would ignore set -e), record its time and status.
step_body() {
    local start=$SECONDS status
    set +e
    ( set -e; "$@" )
    status=$?
    echo $((SECONDS - start)) > "$STEP_DIR/seconds"
    echo "$status" > "$STEP_DIR/status"
    return "$status"
}

# run_lane LANE: the planned steps of that lane, one after the other (in the background).
run_lane() {
    local id
    for id in "${PLAN[@]}"; do
        [[ $(lane_of "$id") == "$1" ]] || continue
        start_step "$id" || true
    done
}

# report ID: wait for a step to end, print and record its result.
report() {
    local id=$1 log=$LOGS/$1.log dir=$WORK/steps/$1 status result seconds remark='' lane
    lane=$(lane_of "$id")
    until [[ -s $dir/status ]]; do
        # A lane that ended without this step's result was killed: the step failed.
        if [[ -n ${LANE_PID[$lane]:-} ]] && ! kill -0 "${LANE_PID[$lane]}" 2> /dev/null && [[ ! -s $dir/status ]]; then
            mkdir -p "$dir"
            echo 1 > "$dir/status"
            echo "its lane ended before it did" > "$dir/note"
        fi
        sleep 1
    done
    status=$(< "$dir/status")
    seconds=$(cat "$dir/seconds" 2> /dev/null || echo '?')
    case $status in
        0) result=passed; PASSED=$((PASSED + 1)) ;;
        "$SKIP") result=skipped; SKIPPED=$((SKIPPED + 1)) ;;
        *) result=failed; FAILED=$((FAILED + 1)) ;;
    esac
    [[ -f $dir/note ]] && remark=$(cat "$dir/note")
    printf '==== %s %s in %ss%s\n' "$id" "$result" "$seconds" "${remark:+: $remark}"
    if [[ $result == failed ]] && ! $VERBOSE; then
        printf -- '---- last 40 lines of %s\n' "$log"
        tail -n 40 "$log"
        printf -- '----\n'
    fi
    RESULTS+=("$(printf '%-18s %-8s %5ss  %s' "$id" "$result" "$seconds" "$remark")")
}

selected() { [[ " ${SELECTED[*]} " == *" $1 "* ]]; }

summary() {
    local file
    printf '\n==== summary (logs: %s)\n' "$LOGS"
    printf '%-18s %-8s %6s  %s\n' STEP RESULT TIME NOTE
    printf '%s\n' "${RESULTS[@]}"
    for file in "$LOGS"/*.targets; do
        [[ -f $file ]] || continue
        printf '%s target times: %s\n' "$(basename "$file" .targets)" "$(sed 's/ \(.*\)/ \1s/' "$file" | paste -sd, - | sed 's/,/, /g')"
    done
    printf 'total time: %ss\n' "$SECONDS"
    if ((SKIPPED)); then
        printf '%d passed, %d failed, %d skipped\n' "$PASSED" "$FAILED" "$SKIPPED"
    else
        printf '%d passed, %d failed\n' "$PASSED" "$FAILED"
    fi
}

# plan_cores STEP DESCRIPTION FUNCTION: the step for each selected ansible-core.
plan_cores() {
    local core
    selected "$1" || return 0
    for core in "${CORES[@]}"; do
        plan_step "$1-$core" "$2, ansible-core $core" "$3" "$core"
    done
}

main() {
    local id lane
    plan_step setup "virtualenvs (tools/setup-venvs.sh) and copies of the tree" step_setup
    start_step setup || true
    report setup
    if ((FAILED)); then
        summary
        exit 1
    fi
    PLAN=()
    # Both ansible-test versions cache sanity venvs in ~/.ansible/test/venv under the same
    # names when their requirements match: two runs at once would build them in each
    # other's way on a machine without that cache, so sanity runs in one lane.
    plan_cores sanity "ansible-test sanity --venv, every Python found" step_sanity
    plan_cores units "ansible-test units --venv" step_units
    plan_cores integration "ansible-test integration --venv" step_integration
    selected lint && plan_step lint "ansible-lint (production profile, offline)" step_lint
    selected docs && plan_step docs-lint "antsibull-docs lint-collection-docs --plugin-docs" step_docs_lint
    selected docs && plan_step docs-build "antsibull-docs sphinx-init + build.sh (HTML docs)" step_docs_build
    selected changelog && plan_step changelog "antsibull-changelog lint" step_changelog
    selected build && plan_step build "ansible-galaxy collection build, tarball contents" step_build
    selected importer && plan_step importer "galaxy-importer on the tarball" step_importer
    selected simulator && plan_step simulator "pytest tests/unit/simulator" step_simulator
    selected eda && plan_step eda "the event source's example rulebook under ansible-rulebook" step_eda
    selected demo && plan_step demo "tools/demo.sh, the README's first command (PATH=/usr/bin:/bin)" step_demo
    if $SERIAL; then
        for id in "${PLAN[@]}"; do
            start_step "$id" || true
            report "$id"
        done
    else
        for id in "${PLAN[@]}"; do
            lane=$(lane_of "$id")
            [[ -z ${LANE_PID[$lane]:-} ]] || continue
            run_lane "$lane" &
            LANE_PID[$lane]=$!
        done
        for id in "${PLAN[@]}"; do
            report "$id"
        done
        wait
    fi
    summary
    ((FAILED == 0))
}

main
