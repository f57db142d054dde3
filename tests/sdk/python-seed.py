#!/usr/bin/env python3
# python-seed.py: the design proposal's example in Python, run headless
# against the built typelib, shows what it should and its three fragments
# run side by side (each starts before any of them ends): the C calls they
# wait in release the interpreter lock.
#
#   python-seed.py SOURCE_ROOT
import json
import os
import subprocess
import sys
import tempfile

source_root = sys.argv[1]
with tempfile.TemporaryDirectory() as work:
    timeline_path = os.path.join(work, 't.json')
    result = subprocess.run([sys.executable, os.path.join(source_root, 'examples', 'seed-dashboard.py'),
                             '--headless', '--timeline=' + timeline_path],
                            capture_output=True, text=True, timeout=120)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    assert result.returncode == 0, 'the Python seed example exited with %d' % result.returncode
    for shown in ('title: Parallel fragments', 'slider Months = 12.0', 'metric Users: 2332 (+8.0%)',
                  'metric Revenue: 34207 € (+5.0%)', 'metric Expenses: 16164 € (+2.0%)'):
        assert shown in result.stdout, 'the headless output lacks %r' % shown
    with open(timeline_path, encoding='utf-8') as f:
        timeline = json.load(f)

runs = {run['fragment']: run for run in timeline['runs']}
sections = ('user_growth', 'revenue', 'expenses')
for name in sections:
    assert name in runs, 'the timeline has no run of %s: %s' % (name, sorted(runs))
    assert runs[name]['parallel'], '%s did not run in parallel' % name
    assert runs[name]['status'] == 'ok', '%s ended %s' % (name, runs[name]['status'])
    # each waits 2 s in run.wait()
    assert runs[name]['end_ms'] - runs[name]['start_ms'] >= 1900, '%s did not wait its 2 s' % name
latest_start = max(runs[name]['start_ms'] for name in sections)
earliest_end = min(runs[name]['end_ms'] for name in sections)
assert latest_start < earliest_end, \
    'the three fragments did not overlap: the last started at %.0f ms, the first ended at %.0f ms' % (
        latest_start, earliest_end)
print('ok: the three Python fragments overlapped (%.0f ms < %.0f ms)' % (latest_start, earliest_end))
