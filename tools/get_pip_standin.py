# scaleway_v1.cloud offline get-pip stand-in (tools/setup-venvs.sh copies this file).
"""Stand-in for the get-pip.py script that ansible-test bootstraps its venvs with.

ansible-test downloads get-pip.py from a host that is not reachable here, unless
~/.ansible/test/cache/get_pip_<X_Y>.py already exists. It runs that file inside a
fresh virtualenv as ``python get_pip_X_Y.py [pip options] pip==X.Y --no-setuptools
--no-wheel``. This stand-in installs the interpreter's bundled pip with ensurepip,
then installs the requested packages from the package index the machine's pip
configuration names.
"""

import os
import subprocess
import sys

NO_INSTALL_FLAGS = ('--no-setuptools', '--no-wheel')


def main():
    args = sys.argv[1:]
    pip_args = [arg for arg in args if arg not in NO_INSTALL_FLAGS]
    # ensurepip hides the pip configuration (PIP_CONFIG_FILE=/dev/null) from the pip it
    # runs; run it in a child process so the second pip keeps /etc/pip.conf and its CA bundle.
    subprocess.check_call([sys.executable, '-m', 'ensurepip', '--default-pip'], stdout=subprocess.DEVNULL)
    subprocess.check_call([sys.executable, '-m', 'pip', 'install', '--quiet'] + pip_args, env=dict(os.environ))
    # Older interpreters' ensurepip also installs setuptools; honour --no-setuptools like get-pip does.
    if '--no-setuptools' in args and subprocess.call([sys.executable, '-c', 'import setuptools'], stderr=subprocess.DEVNULL) == 0:
        subprocess.check_call([sys.executable, '-m', 'pip', 'uninstall', '--quiet', '--yes', 'setuptools'])


if __name__ == '__main__':
    main()
