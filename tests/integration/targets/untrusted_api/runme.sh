#!/usr/bin/env bash
# The API is untrusted input: whatever answers at api_url may be slow, broken or hostile. Against the
# simulator and small fake servers of fake_api.py (127.0.0.1 only, each under `timeout`, all stopped by
# the EXIT trap), each part prints one line of figures and checks one guarantee with the bound it states:
#  1. concurrency: 3 ansible-playbook runs at once, 300 ms of latency on every answer, each creating the
#     same volume, server, tag and container: exactly one of each is left, all 3 runs exit 0 and report
#     the ids of the survivors, and no task reports an unattributed copy (each run deletes only its own);
#  2. slow POST: a proxy holds every POST 2.5 s before forwarding it, api_timeout is 1: exactly one
#     volume, server and tag after the run and after a second run; a task of the first run either
#     succeeds or fails saying the object may exist; the second run succeeds;
#  3. redirect: an API answering 302 (then 307) to a second server: every task fails naming api_url,
#     nothing is changed, and the second server receives no request at all;
#  4. trickle: 200, headers, then one body byte per second without end; with api_timeout 2 and
#     api_retries 1 the task ends within TRICKLE_BOUND seconds;
#  5. endless Link headers (rel="next" on every page; rel="last" at page 1000000000 with
#     X-Total-Count 1): scaleway_volume_info ends within LINKS_BOUND seconds and at most
#     LINKS_MODULE_REQUESTS requests, the inventory within LINKS_BOUND seconds and LINKS_INVENTORY_REQUESTS;
#  6. Retry-After: 3600 on a 429: the task fails within RETRY_AFTER_BOUND seconds saying when to retry;
#     scaleway_server with wait_timeout 10, its polls answered so, ends within wait_timeout + 2 s.
# Bad input (refused before any write, naming the option) is the reliability target's part.
# A part that cannot end by itself is killed after KILL_AFTER seconds, and fails.
set -euo pipefail

TRICKLE_BOUND=15
LINKS_BOUND=15
LINKS_MODULE_REQUESTS=10
LINKS_INVENTORY_REQUESTS=20
RETRY_AFTER_BOUND=10
WAIT_TIMEOUT=10
KILL_AFTER=30

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# ansible-test runs a copy of the target under <collection>/tests/output/.tmp/integration/.
case $here in
    */tests/output/.tmp/integration/*) root=${here%%/tests/output/.tmp/integration/*} ;;
    *) root=$(cd "$here/../../../.." && pwd) ;;
esac
python=${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}
work=${OUTPUT_DIR:-$(mktemp -d)}/untrusted_api
rm -rf "$work"
mkdir -p "$work"
token=demo-token
unset SCW_API_URL SCW_TOKEN

pids=()
stop_all() {
    local pid
    for pid in "${pids[@]}"; do
        kill "$pid" 2> /dev/null || true
    done
}
trap stop_all EXIT

# start NAME COMMAND...: run COMMAND in the background (at most 900 s: a safety net, the EXIT trap
# stops it), wait for its line 'listening on URL' and set $url.
start() {
    local name=$1
    shift
    : > "$work/$name.out"   # exists before the background job opens it, for the sed below
    timeout 900 "$@" > "$work/$name.out" 2>&1 < /dev/null &
    local pid=$!
    pids+=("$pid")
    for _ in $(seq 100); do
        url=$(sed -n 's/^listening on //p' "$work/$name.out")
        [[ -n $url ]] && return 0
        kill -0 "$pid" 2> /dev/null || break
        sleep 0.1
    done
    cat "$work/$name.out"
    echo "FAILED: $name did not start"
    exit 1
}
# fake NAME MODE [ARGS]: a fake_api.py server logging its requests to $work/NAME.requests.
fake() {
    local name=$1
    shift
    start "$name" "$python" "$here/fake_api.py" --log "$work/$name.requests" "$@"
}
# requests NAME [EVENT [METHOD]]: how many lines of $work/NAME.requests have that event (and method).
requests() {
    "$python" -c '
import json, sys
event = sys.argv[2] if len(sys.argv) > 2 else "received"
method = sys.argv[3] if len(sys.argv) > 3 else None
lines = [json.loads(line) for line in open(sys.argv[1])]
print(sum(1 for l in lines if l["event"].startswith(event) and method in (None, l["method"])))' "$work/$1.requests" "${@:2}"
}
# with_token NAME: how many requests to NAME carried an X-Auth-Token header.
with_token() {
    "$python" -c 'import json, sys; print(sum(1 for line in open(sys.argv[1]) if json.loads(line)["token"]))' \
        "$work/$1.requests"
}

start simulator "$python" "$root/tests/simulator/run.py" --host 127.0.0.1 --port 0 --delay 0.05
api=$url
sim_base=${api%/v1}
sim() { "$python" "$root/tests/integration/targets/reliability/sim.py" "$api" "$@"; }
# count PLURAL NAME: how many PLURAL (volumes, servers, ...) the simulator holds with that name.
count() { sim named "$token" "/$1" "$1" "$2" | "$python" -c 'import json, sys; print(len(json.load(sys.stdin)))'; }

# playbook LABEL SECONDS PLAYBOOK [OPTIONS]: run it (killed after SECONDS); sets $rc and $wall (seconds).
playbook() {
    local label=$1 seconds=$2 file=$3
    shift 3
    local began=$EPOCHREALTIME
    rc=0
    timeout "$seconds" ansible-playbook -i localhost, -e ansible_python_interpreter="$python" \
        -e api_token="$token" -e results_file="$work/$label.json" "$here/$file" "$@" > "$work/$label.log" 2>&1 || rc=$?
    wall=$("$python" -c 'import sys; print("%.1f" % (float(sys.argv[2]) - float(sys.argv[1])))' "$began" "$EPOCHREALTIME")
}
# field LABEL KEY...: a value of $work/LABEL.json ("killed" when the run left no file).
field() {
    "$python" -c '
import json, sys
try:
    value = json.load(open(sys.argv[1]))
except OSError:
    print("killed"); sys.exit()
for key in sys.argv[2:]:
    value = value[key]
print(json.dumps(value) if isinstance(value, (dict, list, bool)) or value is None else value)' "$work/$1.json" "${@:2}"
}
# took LABEL: "N s", the seconds the task of probe.yml took, or "killed after N s" (the run's $wall).
took() {
    local seconds
    seconds=$(field "$1" seconds)
    if [[ $seconds == killed ]]; then echo "killed after $wall s"; else echo "$seconds s"; fi
}
# outcome LABEL [KEY...]: "failed", "ok" or "killed", as the task of $work/LABEL.json (under KEY) ended.
outcome() {
    case $(field "$@" failed 2> /dev/null || echo killed) in
        true) echo failed ;;
        false) echo ok ;;
        *) echo killed ;;
    esac
}
# below VALUE BOUND: whether VALUE is a number under BOUND.
below() { "$python" -c 'import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)' "$1" "$2" 2> /dev/null; }

violations=()
declare -A broken_parts=()
violated() {
    violations+=("$1")
    broken_parts[$part]=1
    echo "   VIOLATED: $1"
}

# -- 1. concurrency ------------------------------------------------------------------------------------
part_concurrency() {
    sim reset
    sim faults '{"latency_ms": 300}'
    mkdir -p "$work/barrier"
    local run pids_runs=() codes=()
    for run in 1 2 3; do
        timeout 150 ansible-playbook -i localhost, -e ansible_python_interpreter="$python" -e api_url="$api" \
            -e api_token="$token" -e prefix=race -e results_file="$work/race-$run.json" \
            -e barrier="$work/barrier" -e runner="$run" -e runners=3 "$here/make.yml" > "$work/race-$run.log" 2>&1 &
        pids_runs+=($!)
    done
    for run in 0 1 2; do
        local code=0
        wait "${pids_runs[$run]}" || code=$?
        codes+=("$code")
    done
    sim faults '{}'
    local kind figures="" same=yes reported_copies=0
    for kind in volume server tag container; do
        local survivors
        survivors=$(sim named "$token" "/${kind}s" "${kind}s" "race-$kind")
        local left
        left=$("$python" -c 'import json, sys; print(len(json.loads(sys.argv[1])))' "$survivors")
        figures+=" ${kind}s=$left"
        [[ $left -eq 1 ]] || violated "concurrency: $left ${kind}s named race-$kind, not 1"
        for run in 1 2 3; do
            local reported
            reported=$(field "race-$run" "$kind" id 2> /dev/null || echo none)
            if [[ $left -ne 1 || "[\"$reported\"]" != "$survivors" ]]; then
                same=no
            fi
            # Each run knows its own POST answer: it deletes its losing copy, and no run has a copy to report.
            [[ $(field "race-$run" "$kind" copies 2> /dev/null || echo killed) == "[]" ]] \
                || reported_copies=$((reported_copies + 1))
        done
    done
    [[ $reported_copies -eq 0 ]] || violated "concurrency: $reported_copies tasks reported unattributed copies"
    [[ ${codes[*]} == "0 0 0" ]] || violated "concurrency: exit codes ${codes[*]}, not 0 0 0"
    [[ $same == yes ]] || violated "concurrency: the runs did not all report the surviving ids"
    echo "concurrency: 3 processes x 300 ms ->$figures, exit codes ${codes[*]}, every run reports the survivors' ids: $same," \
         "tasks reporting unattributed copies: $reported_copies"
}

# -- 2. slow POST ---------------------------------------------------------------------------------------
# The message of a task that gave up on a create it could not confirm.
MAY_EXIST='may (already )?exist|may or may not have carried out'
part_slow_post() {
    sim reset
    fake slow_proxy proxy "$sim_base" --hold-post 2.5
    local proxy=$url round figures=""
    for round in 1 2; do
        local before_posts
        before_posts=$(requests slow_proxy received POST)
        playbook "slow-$round" 150 make.yml -e api_url="$proxy" -e prefix=slow -e api_timeout=1 \
            -e '{"kinds": ["volume", "server", "tag"]}'
        # Held POSTs are still carried out after the client gave up: wait for them (at most 15 s).
        for _ in $(seq 150); do
            [[ $(requests slow_proxy received POST) -eq $(requests slow_proxy forwarded POST) ]] && break
            sleep 0.1
        done
        local posts=$(($(requests slow_proxy received POST) - before_posts))
        local kind counts="" ends=""
        for kind in volume server tag; do
            local left
            left=$(count "${kind}s" "slow-$kind")
            counts+=" ${kind}s=$left"
            [[ $left -eq 1 ]] || violated "slow POST: run $round left $left ${kind}s, not 1"
            local failed msg changed
            failed=$(field "slow-$round" "$kind" failed 2> /dev/null || echo killed)
            changed=$(field "slow-$round" "$kind" changed 2> /dev/null || echo killed)
            msg=$(field "slow-$round" "$kind" msg 2> /dev/null || echo)
            ends+=" $kind=$(outcome "slow-$round" "$kind")/$([[ $changed == true ]] && echo changed || echo unchanged)"
            if [[ $failed == killed ]]; then
                violated "slow POST: run $round left no result for $kind (exit $rc, $wall s)"
            elif [[ $failed == true ]] && { [[ $round -eq 2 ]] || ! grep -Eq "$MAY_EXIST" <<< "$msg"; }; then
                violated "slow POST: run $round, $kind failed: $msg"
            fi
        done
        figures+="; run $round ($wall s, exit $rc, $posts POSTs):$counts,$ends"
    done
    echo "slow POST: POSTs held 2.5 s, api_timeout 1$figures"
}

# -- 3. redirect ----------------------------------------------------------------------------------------
part_redirect() {
    fake elsewhere record
    local elsewhere=${url%/v1} status probe results=""
    for status in 302 307; do
        fake "redirect_$status" redirect "$status" "$elsewhere"
        for probe in volume volume_info; do
            playbook "redirect-$status-$probe" 60 probe.yml -e api_url="$url" -e probe="$probe"
            local failed changed msg
            failed=$(field "redirect-$status-$probe" failed)
            changed=$(field "redirect-$status-$probe" changed)
            msg=$(field "redirect-$status-$probe" msg)
            results+=" $status/$probe=$(outcome "redirect-$status-$probe")$(if [[ $changed == true ]]; then echo ,changed; fi)"
            [[ $failed == true ]] || violated "redirect: $status to $probe did not fail"
            [[ $changed == false ]] || violated "redirect: $status to $probe reported changed"
            grep -q 'api_url' <<< "$msg" || violated "redirect: $status to $probe, the message does not name api_url: $msg"
        done
    done
    local reached tokens
    reached=$(requests elsewhere)
    tokens=$(with_token elsewhere)
    [[ $reached -eq 0 ]] || violated "redirect: the second server received $reached requests ($tokens with X-Auth-Token)"
    echo "redirect: 302 and 307 ->$results; the second server received $reached requests, $tokens with X-Auth-Token"
}

# -- 4. trickle -----------------------------------------------------------------------------------------
part_trickle() {
    fake trickle trickle
    playbook trickle "$KILL_AFTER" probe.yml -e api_url="$url" -e probe=volume_info -e api_timeout=2 -e api_retries=1
    local seconds
    seconds=$(field trickle seconds)
    below "$seconds" "$TRICKLE_BOUND" || violated "trickle: the task took $(took trickle), bound $TRICKLE_BOUND s"
    [[ $(field trickle failed) != false ]] || violated "trickle: the task succeeded on a body that never ends"
    echo "trickle: 1 byte/s, api_timeout 2, api_retries 1 -> task time $(took trickle) (bound $TRICKLE_BOUND s)," \
         "$(requests trickle) requests"
}

# -- 5. endless Link headers ----------------------------------------------------------------------------
part_links() {
    local mode figures=""
    for mode in endless last; do
        fake "links_$mode" "$mode"
        playbook "links-$mode" "$KILL_AFTER" probe.yml -e api_url="$url" -e probe=volume_info -e api_timeout=5 -e api_retries=1
        local seconds module_requests
        seconds=$(field "links-$mode" seconds)
        module_requests=$(requests "links_$mode")
        below "$seconds" "$LINKS_BOUND" || violated "links ($mode): scaleway_volume_info took $(took "links-$mode")"
        [[ $module_requests -le $LINKS_MODULE_REQUESTS ]] \
            || violated "links ($mode): scaleway_volume_info sent $module_requests requests, bound $LINKS_MODULE_REQUESTS"
        cat > "$work/links-$mode.scaleway.yml" <<YAML
plugin: scaleway_v1.cloud.scaleway
api_url: $url
api_token: $token
api_timeout: 5
api_retries: 1
YAML
        local began=$EPOCHREALTIME code=0
        # The address-space limit keeps a run that queues a request per page from eating the machine's memory.
        (ulimit -v 4000000; ANSIBLE_INVENTORY_ENABLED=scaleway_v1.cloud.scaleway timeout "$KILL_AFTER" ansible-inventory -i "$work/links-$mode.scaleway.yml" --list) \
            > "$work/links-$mode-inventory.log" 2>&1 || code=$?
        local inventory_wall inventory_requests
        inventory_wall=$("$python" -c 'import sys; print("%.1f" % (float(sys.argv[2]) - float(sys.argv[1])))' "$began" "$EPOCHREALTIME")
        inventory_requests=$(($(requests "links_$mode") - module_requests))
        below "$inventory_wall" "$LINKS_BOUND" || violated "links ($mode): the inventory took $inventory_wall s (exit $code)"
        [[ $inventory_requests -le $LINKS_INVENTORY_REQUESTS ]] \
            || violated "links ($mode): the inventory sent $inventory_requests requests, bound $LINKS_INVENTORY_REQUESTS"
        figures+="; $mode: module $(took "links-$mode")/$module_requests requests ($(outcome "links-$mode")),"
        figures+=" inventory $inventory_wall s/$inventory_requests requests (exit $code)"
    done
    echo "links: bounds $LINKS_BOUND s, $LINKS_MODULE_REQUESTS (module) / $LINKS_INVENTORY_REQUESTS (inventory) requests$figures"
}

# -- 6. Retry-After: 3600 -------------------------------------------------------------------------------
part_retry_after() {
    fake rate_limited rate-limited
    playbook retry-after "$KILL_AFTER" probe.yml -e api_url="$url" -e probe=volume_info
    local seconds failed msg
    seconds=$(field retry-after seconds)
    failed=$(field retry-after failed)
    msg=$(field retry-after msg)
    below "$seconds" "$RETRY_AFTER_BOUND" || violated "Retry-After: the task took $(took retry-after), bound $RETRY_AFTER_BOUND s"
    [[ $failed == true ]] || violated "Retry-After: the task did not fail"
    grep -Eiq '3600|retry.after|retry at|try again' <<< "$msg" || violated "Retry-After: the message does not say when to retry: $msg"
    local info
    info="task $(took retry-after) ($(requests rate_limited) requests)"
    sim reset
    fake poll_limited proxy "$sim_base" --rate-limit '^GET /v1/servers/[^/]+$'
    playbook retry-after-server $((KILL_AFTER + WAIT_TIMEOUT)) probe.yml -e api_url="$url" -e probe=server_running -e wait_timeout="$WAIT_TIMEOUT"
    local server_seconds
    server_seconds=$(field retry-after-server seconds)
    below "$server_seconds" $((WAIT_TIMEOUT + 2)) \
        || violated "Retry-After: scaleway_server with wait_timeout $WAIT_TIMEOUT took $(took retry-after-server)"
    echo "Retry-After 3600: volume_info $info, failed: $failed (bound $RETRY_AFTER_BOUND s);" \
         "server wait_timeout $WAIT_TIMEOUT -> $(took retry-after-server) ($(requests poll_limited 'rate limited') polls answered 429)"
}

began=$SECONDS
ran=0
# UNTRUSTED_API_PARTS runs some parts only, when the script is run by hand.
for part in ${UNTRUSTED_API_PARTS:-concurrency slow_post redirect trickle links retry_after}; do
    echo "== $part"
    "part_$part"
    ran=$((ran + 1))
done
echo "untrusted_api: $((ran - ${#broken_parts[@]})) of $ran parts hold" \
     "in $((SECONDS - began)) s, ${#violations[@]} violations"
[[ ${#violations[@]} -eq 0 ]]
