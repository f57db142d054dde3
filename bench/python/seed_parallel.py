#!/usr/bin/env python3
# seed_parallel.py: python.seed_parallel_s, the design proposal's example in
# Python (examples/seed-dashboard.py), headless: three fragments that each
# wait 2 s in run.wait(). The figure is the timeline's total, from the
# session's start to the end of its last run.
#
#   seed_parallel.py SOURCE_ROOT
import json
import os
import subprocess
import sys
import tempfile

source_root = sys.argv[1]
with tempfile.TemporaryDirectory() as work:
    timeline = os.path.join(work, 't.json')
    subprocess.run([sys.executable, os.path.join(source_root, 'examples', 'seed-dashboard.py'), '--headless',
                    '--timeline=' + timeline], check=True, stdout=subprocess.DEVNULL, timeout=120)
    with open(timeline, encoding='utf-8') as f:
        total_ms = json.load(f)['total_ms']
print('bench: python.seed_parallel_s %.3f s (goal <= 2.1)' % (total_ms / 1000))
