# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every module's EXAMPLES run in the integration tests.

The integration target of each module includes a task file that must be the
module's EXAMPLES, task for task; this test keeps the two from drifting apart,
so what users read is what the tests run against the simulator.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import importlib
import os

import pytest
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
MODULES = sorted(os.path.basename(path)[:-3] for path in glob.glob(os.path.join(ROOT, "plugins", "modules", "scaleway_*.py")))


def examples_file(module):
    """The target task file that runs this module's EXAMPLES."""
    candidates = [os.path.join(ROOT, "tests", "integration", "targets", module, "tasks", "examples.yml")]
    candidates += sorted(glob.glob(os.path.join(ROOT, "tests", "integration", "targets", "*", "tasks",
                                                "examples_%s.yml" % module)))
    for path in candidates:
        if os.path.exists(path):
            return path
    return None


@pytest.mark.parametrize("module", MODULES)
def test_examples_are_run_by_an_integration_target(module):
    code = importlib.import_module("ansible_collections.scaleway_v1.cloud.plugins.modules.%s" % module)
    documented = yaml.safe_load(code.EXAMPLES)
    path = examples_file(module)
    assert path, "no integration task file runs the EXAMPLES of %s" % module
    with open(path) as handle:
        tested = yaml.safe_load(handle)
    assert documented, "%s has no EXAMPLES" % module
    assert tested == documented, "%s differs from the EXAMPLES of %s" % (os.path.relpath(path, ROOT), module)
