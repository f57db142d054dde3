#!/usr/bin/env python3
# python-readme.py: the README's Python example, exactly as the README shows
# it, runs headless against the built typelib and shows what it says.
#
#   python-readme.py SOURCE_ROOT
import os
import re
import subprocess
import sys
import tempfile

with open(os.path.join(sys.argv[1], 'README.md'), encoding='utf-8') as f:
    blocks = re.findall(r'^```python\n(.*?)^```$', f.read(), re.S | re.M)
assert blocks, 'the README has no Python example'
with tempfile.TemporaryDirectory() as work:
    path = os.path.join(work, 'sales.py')
    with open(path, 'w', encoding='utf-8') as f:
        f.write(blocks[0])
    result = subprocess.run([sys.executable, path, '--headless'], capture_output=True, text=True, timeout=120)
sys.stdout.write(result.stdout)
sys.stderr.write(result.stderr)
assert result.returncode == 0, "the README's Python example exited with %d" % result.returncode
for shown in ('title: Sales', 'caption: Prices in euros', 'slider Price = 20.0', 'text: Revenue at 20 €: 34200 €'):
    assert shown in result.stdout, 'the headless output lacks %r' % shown
assert re.search(r'^  revenue +parallel .* ok$', result.stdout, re.M), 'revenue did not run in parallel'
print("ok: the README's Python example runs")
