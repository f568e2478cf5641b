"""Sum the JUnit XML reports in a directory, for tools/test.sh.

ansible-test units hides pytest's exit code 5 (no test ran), so the test command
reads the reports to tell a run that tested nothing from a real pass.
Prints ``<executed> executed, <failed> failed, <skipped> skipped`` and exits 0 when at
least one test executed, 5 (pytest's code for "no tests") when none did.
"""

import glob
import os
import sys
import xml.etree.ElementTree as ET

NO_TESTS_EXIT = 5


def count(path):
    """Return (tests, failures + errors, skipped) of one report."""
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == 'testsuite' else root.iter('testsuite')
    tests = failed = skipped = 0
    for suite in suites:
        tests += int(suite.get('tests', 0))
        failed += int(suite.get('failures', 0)) + int(suite.get('errors', 0))
        skipped += int(suite.get('skipped', 0))
    return tests, failed, skipped


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: junit_summary.py DIRECTORY')
    totals = [0, 0, 0]
    for path in sorted(glob.glob(os.path.join(sys.argv[1], '*.xml'))):
        totals = [total + value for total, value in zip(totals, count(path))]
    tests, failed, skipped = totals
    executed = tests - skipped
    print('%d executed, %d failed, %d skipped' % (executed, failed, skipped))
    sys.exit(0 if executed else NO_TESTS_EXIT)


if __name__ == '__main__':
    main()
