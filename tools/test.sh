#!/usr/bin/env bash
# The collection's test command. From a fresh clone it installs what it needs
# (tools/setup-venvs.sh), copies the working tree (uncommitted files included) to
# <temp>/<core>/ansible_collections/scaleway_v1/cloud, one copy per ansible-core, and
# runs every check there, going on after a failure. The ansible-test steps of the two
# ansible-cores run side by side. It ends with the line "N passed, M failed[, K skipped]"
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
  --serial              run the two ansible-cores' steps one after the other
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

# core_tree CORE: that ansible-core's copy of the collection. Two ansible-test runs must
# not share a tree: they would share tests/output and the integration output_dir.
core_tree() { echo "$WORK/$1/ansible_collections/${COLLECTION/.//}"; }
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
    local core
    bash "$ROOT/tools/setup-venvs.sh"
    mkdir -p "$COLL"
    copy_tree "$COLL"
    for core in "${CORES[@]}"; do
        [[ $core == 2.21 ]] && continue
        mkdir -p "$(core_tree "$core")"
        cp -a "$COLL/." "$(core_tree "$core")/"
    done
    echo "collection trees: $WORK/<core>/ansible_collections"
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

step_integration() {
    local core=$1 python out=$STEP_DIR/out targets strays
    local status=0 COLL
    COLL=$(core_tree "$core")
    python=$(core_python "$core")
    if [[ -n $TARGETS ]]; then
        targets=$TARGETS
    else
        targets=$(runnable_targets | tr '\n' ' ')
        [[ -n ${targets// /} ]] || skip "no integration targets yet (only hidden setup targets)"
    fi
    # Every target runs even after one failed, so one run names all failures.
    # shellcheck disable=SC2086 # target names are words
    capture "$out" in_core "$core" ansible-test integration --venv --python "$python" --color no \
        --continue-on-error $TARGETS || status=$?
    strays=$(stray_simulators "$COLL" | tr '\n' ' ')
    if [[ -n $strays ]]; then
        kill_stray_simulators "$COLL"
        fail "a target left the simulator running (pid ${strays% }): stop it in 'always' with setup_simulator's stop tasks"
    fi
    if ((status != 0)); then
        note "failed: $(failed_after 'integration test(s) listed below' "$out")"
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
    capture "$out" env PATH=/usr/bin:/bin SCW_DEMO_VENV="$VENVS/demo" bash "$COLL/tools/demo.sh"
    grep -Eq '^  \|--@web:$' "$out" || fail "the inventory graph has no group web"
    grep -Eq '^  \|  \|--web-2$' "$out" || fail "the inventory graph has no host web-2"
    grep -q '"scaleway_tags"' "$out" || fail "ansible-inventory --host web-1 showed no scaleway_tags"
}

# ---------------------------------------------------------------- runner

RESULTS=()
PASSED=0
FAILED=0
SKIPPED=0

declare -A STEP_PID

# launch ID DESCRIPTION FUNCTION ARGS...: start one step in the background, logged and timed.
launch() {
    local id=$1 description=$2 log=$LOGS/$1.log
    shift 2
    STEP_DIR=$WORK/steps/$id
    STEP_NOTE=$STEP_DIR/note
    mkdir -p "$STEP_DIR"
    printf '\n==== %s: %s\n' "$id" "$description"
    if $VERBOSE; then
        { step_body "$@" 2>&1 | tee "$log"; } &
    else
        step_body "$@" > "$log" 2>&1 &
    fi
    STEP_PID[$id]=$!
}

# step_body FUNCTION ARGS...: run a step function in a subshell with set -e (not in an
# || list, where bash would ignore set -e), record its time, exit with its status.
step_body() {
    local start=$SECONDS status
    set +e
    ( set -e; "$@" )
    status=$?
    echo $((SECONDS - start)) > "$STEP_DIR/seconds"
    return "$status"
}

# report ID: wait for a launched step, print and record its result.
report() {
    local id=$1 log=$LOGS/$1.log note=$WORK/steps/$1/note status=0 result seconds remark=''
    wait "${STEP_PID[$id]}" || status=$?
    seconds=$(cat "$WORK/steps/$id/seconds" 2> /dev/null || echo '?')
    case $status in
        0) result=passed; PASSED=$((PASSED + 1)) ;;
        "$SKIP") result=skipped; SKIPPED=$((SKIPPED + 1)) ;;
        *) result=failed; FAILED=$((FAILED + 1)) ;;
    esac
    [[ -f $note ]] && remark=$(cat "$note")
    printf '==== %s %s in %ss%s\n' "$id" "$result" "$seconds" "${remark:+: $remark}"
    if [[ $result == failed ]] && ! $VERBOSE; then
        printf -- '---- last 40 lines of %s\n' "$log"
        tail -n 40 "$log"
        printf -- '----\n'
    fi
    RESULTS+=("$(printf '%-18s %-8s %5ss  %s' "$id" "$result" "$seconds" "$remark")")
}

# run ID DESCRIPTION FUNCTION ARGS...: run one step to its end.
run() {
    launch "$@"
    report "$1"
}

# run_cores STEP DESCRIPTION FUNCTION [serial]: the step for each selected ansible-core,
# side by side unless --serial or "serial" (2 CPUs: an ansible-test run mostly keeps one busy).
run_cores() {
    local step=$1 description=$2 function=$3 core
    selected "$step" || return 0
    if $SERIAL || [[ ${4:-} == serial ]]; then
        for core in "${CORES[@]}"; do
            run "$step-$core" "$description, ansible-core $core" "$function" "$core"
        done
        return
    fi
    for core in "${CORES[@]}"; do
        launch "$step-$core" "$description, ansible-core $core" "$function" "$core"
    done
    for core in "${CORES[@]}"; do
        report "$step-$core"
    done
}

selected() { [[ " ${SELECTED[*]} " == *" $1 "* ]]; }

summary() {
    printf '\n==== summary (logs: %s)\n' "$LOGS"
    printf '%-18s %-8s %6s  %s\n' STEP RESULT TIME NOTE
    printf '%s\n' "${RESULTS[@]}"
    printf 'total time: %ss\n' "$SECONDS"
    if ((SKIPPED)); then
        printf '%d passed, %d failed, %d skipped\n' "$PASSED" "$FAILED" "$SKIPPED"
    else
        printf '%d passed, %d failed\n' "$PASSED" "$FAILED"
    fi
}

main() {
    run setup "virtualenvs (tools/setup-venvs.sh) and copies of the tree" step_setup
    if ((FAILED)); then
        summary
        exit 1
    fi
    # Both ansible-test versions cache sanity venvs in ~/.ansible/test/venv under the same
    # names when their requirements match: two runs at once would build them in each
    # other's way on a machine without that cache.
    run_cores sanity "ansible-test sanity --venv, every Python found" step_sanity serial
    run_cores units "ansible-test units --venv" step_units
    run_cores integration "ansible-test integration --venv" step_integration
    selected lint && run lint "ansible-lint (production profile, offline)" step_lint
    selected docs && run docs-lint "antsibull-docs lint-collection-docs --plugin-docs" step_docs_lint
    selected docs && run docs-build "antsibull-docs sphinx-init + build.sh (HTML docs)" step_docs_build
    selected changelog && run changelog "antsibull-changelog lint" step_changelog
    selected build && run build "ansible-galaxy collection build, tarball contents" step_build
    selected importer && run importer "galaxy-importer on the tarball" step_importer
    selected simulator && run simulator "pytest tests/unit/simulator" step_simulator
    selected eda && run eda "the event source's example rulebook under ansible-rulebook" step_eda
    selected demo && run demo "tools/demo.sh, the README's first command (PATH=/usr/bin:/bin)" step_demo
    summary
    ((FAILED == 0))
}

main
