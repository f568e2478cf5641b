#!/usr/bin/env bash
# Create or refresh everything tools/test.sh needs, idempotently:
#   .venv/tools    Python 3.13, ansible-core 2.21 and the tools (tools/requirements-tools.txt)
#   .venv/core219  Python 3.11, ansible-core 2.19 (tools/requirements-core219.txt)
#   .venv/eda      Python 3.11, ansible-rulebook for the event source's rulebook test (tools/requirements-eda.txt)
#   .venv/pybin    python3.X links to real interpreters, put first on PATH for ansible-test
#   ~/.ansible/test/cache/get_pip_*.py  offline stand-ins for ansible-test's pip bootstrap
#   ~/.ansible/test/id_rsa  ansible-test's SSH key, made before two runs could race for it
#   the shellcheck package from apt when running as root, so that sanity test runs
# A venv is rebuilt only when its requirements file or interpreter changed (stamp file).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENVS=$ROOT/.venv
PYENV_VERSIONS=${PYENV_ROOT:-$HOME/.pyenv}/versions
GET_PIP_CACHE=$HOME/.ansible/test/cache
STANDIN=$ROOT/tools/get_pip_standin.py
STANDIN_MARKER='scaleway_v1.cloud offline get-pip stand-in'

log() { printf 'setup-venvs: %s\n' "$*"; }
die() { printf 'setup-venvs: ERROR: %s\n' "$*" >&2; exit 1; }

# Print the newest real interpreter for version $1 (e.g. 3.13), not a pyenv shim:
# shims of versions that are not pyenv's global one exit 127.
find_python() {
    local version=$1 candidate best=''
    best=$(for candidate in "$PYENV_VERSIONS/$version".*/bin/python"$version"; do
        [[ -x $candidate ]] && printf '%s\n' "$candidate"
    done | sort -V | tail -n 1)
    if [[ -z $best ]]; then
        for candidate in /usr/local/bin/python"$version" /usr/bin/python"$version"; do
            if [[ -x $candidate ]]; then best=$candidate; break; fi
        done
    fi
    [[ -n $best ]] && printf '%s\n' "$best"
}

# make_venv NAME PYTHON REQUIREMENTS: (re)create .venv/NAME unless its stamp matches.
make_venv() {
    local name=$1 python=$2 requirements=$3 dir=$VENVS/$1 stamp
    stamp=$( { "$python" -VV; printf '%s\n' "$python"; cat "$requirements"; } | sha256sum | cut -d' ' -f1)
    if [[ -f $dir/.stamp && $(cat "$dir/.stamp") == "$stamp" && -x $dir/bin/python ]]; then
        log "reusing .venv/$name (requirements unchanged)"
        return
    fi
    log "creating .venv/$name with $python from ${requirements#"$ROOT"/}"
    rm -rf "$dir"
    "$python" -m venv "$dir"
    if ! "$dir/bin/python" -m pip install --disable-pip-version-check -r "$requirements" > "$dir.pip.log" 2>&1; then
        tail -n 40 "$dir.pip.log" >&2
        die "pip could not install ${requirements#"$ROOT"/} (full log: ${dir#"$ROOT"/}.pip.log)"
    fi
    printf '%s\n' "$stamp" > "$dir/.stamp"
}

# Pip versions an installed ansible-test bootstraps its venvs with (default and per-Python overrides).
ansible_test_pip_versions() {
    "$1/bin/python" - <<'EOF'
import os, re, ansible_test
path = os.path.join(os.path.dirname(ansible_test.__file__), '_internal', 'python_requirements.py')
with open(path, encoding='utf-8') as handle:
    source = handle.read()
start = source.index('def get_venv_packages')
body = source[start:source.index('\ndef ', start + 1)]
versions = set(re.findall(r"""\bpip\s*=\s*['"]([0-9][0-9.]*)['"]""", body))
versions |= set(re.findall(r"""['"]pip['"]\s*:\s*['"]([0-9][0-9.]*)['"]""", body))
if not versions:
    raise SystemExit('no pip version found in ' + path)
print('\n'.join(sorted(versions)))
EOF
}

install_get_pip_standins() {
    local venv=$1 version target
    mkdir -p "$GET_PIP_CACHE"
    for version in $(ansible_test_pip_versions "$venv"); do
        target=$GET_PIP_CACHE/get_pip_${version//./_}.py
        if [[ -f $target ]] && ! grep -q "$STANDIN_MARKER" "$target"; then
            log "keeping ${target/#"$HOME"/\~} (a real get-pip script)"
        elif ! cmp -s "$STANDIN" "$target"; then
            cp "$STANDIN" "$target"
            log "installed get-pip stand-in for pip $version"
        fi
    done
}

make_pybin() {
    local dir=$VENVS/pybin minor python found=''
    mkdir -p "$dir"
    for minor in 8 9 10 11 12 13 14; do
        if python=$(find_python "3.$minor"); then
            ln -sfn "$python" "$dir/python3.$minor"
            found+=" 3.$minor"
        else
            rm -f "$dir/python3.$minor"
        fi
    done
    log "Pythons for ansible-test:${found:- none}"
}

# ansible-test integration makes ~/.ansible/test/id_rsa on first use; test.sh runs two
# integration runs at once, which would race to make it. Same key as ansible-test's.
make_ansible_test_ssh_key() {
    local key=$HOME/.ansible/test/id_rsa
    [[ -f $key && -f $key.pub ]] && return
    mkdir -p "$(dirname "$key")"
    rm -f "$key" "$key.pub"
    ssh-keygen -m PEM -q -t rsa -N '' -f "$key"
    # As ansible-test does: paramiko reads only the RSA-specific PEM header.
    sed -i -E 's/(BEGIN|END) PRIVATE KEY/\1 RSA PRIVATE KEY/' "$key"
    log "created ansible-test's SSH key ${key/#"$HOME"/\~}"
}

install_shellcheck() {
    command -v shellcheck > /dev/null && return
    if [[ $(id -u) != 0 ]] || ! command -v apt-get > /dev/null; then
        log "WARNING: shellcheck is missing and cannot be installed (needs root and apt-get); the shellcheck sanity test will be skipped"
        return
    fi
    log "installing shellcheck with apt-get"
    if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq \
            && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck; } > "$VENVS/apt.log" 2>&1; then
        log "WARNING: apt-get could not install shellcheck (see .venv/apt.log); the shellcheck sanity test will be skipped"
    fi
}

main() {
    local tools_python core219_python
    mkdir -p "$VENVS"
    # Two test runs at once must not rebuild the same venv twice.
    exec 9> "$VENVS/.lock"
    flock 9

    tools_python=${SCW_TOOLS_PYTHON:-$(find_python 3.13)} || die "Python 3.13 not found (set SCW_TOOLS_PYTHON)"
    core219_python=${SCW_CORE219_PYTHON:-$(find_python 3.11)} || die "Python 3.11 not found (set SCW_CORE219_PYTHON)"

    make_venv tools "$tools_python" "$ROOT/tools/requirements-tools.txt"
    make_venv core219 "$core219_python" "$ROOT/tools/requirements-core219.txt"
    make_venv eda "$core219_python" "$ROOT/tools/requirements-eda.txt"
    install_get_pip_standins "$VENVS/tools"
    install_get_pip_standins "$VENVS/core219"
    make_pybin
    make_ansible_test_ssh_key
    install_shellcheck
}

main "$@"
