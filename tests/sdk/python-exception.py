#!/usr/bin/env python3
# python-exception.py: a Python exception in a fragment shows in that
# fragment's slot, with its type, its message and its traceback, fails the
# run (exit status 1 headless), and leaves the other fragments be.
import os
import subprocess
import sys
import tempfile

DASHBOARD = '''
import sys
import gi
gi.require_version('Tessera', '1')
from gi.repository import Tessera


def read_month(number):
    if number > 12:
        raise ValueError('no such month: %d' % number)
    return number


@Tessera.fragment(parallel=True)
def broken(run):
    run.subheader('Broken')
    run.text('month %d' % read_month(13))


@Tessera.fragment(parallel=True)
def healthy(run):
    run.text('still here')


def dashboard(run):
    broken(run)
    healthy(run)


sys.exit(Tessera.app_run('org.example.Broken', dashboard))
'''

with tempfile.TemporaryDirectory() as work:
    path = os.path.join(work, 'broken.py')
    with open(path, 'w', encoding='utf-8') as f:
        f.write(DASHBOARD)
    result = subprocess.run([sys.executable, path, '--headless'], capture_output=True, text=True, timeout=120)
sys.stdout.write(result.stdout)
sys.stderr.write(result.stderr)
assert result.returncode == 1, 'a failed fragment should exit 1 headless, not %d' % result.returncode
slots = result.stdout.split('[healthy]')
broken_slot = slots[0].split('[broken]')[1]
assert 'error: ValueError: no such month: 13' in broken_slot, 'the slot does not show the exception: %r' % broken_slot
assert 'still here' in slots[1], 'the other fragment did not show its text'
assert 'failed without saying why' not in result.stdout
assert 'callout: ValueError: no such month: 13' in broken_slot

# The traceback is the details of the error element in the slot (headless
# prints one line per element): a session run here shows them.
import gi  # noqa: E402
gi.require_version('Tessera', '1')
from gi.repository import GLib, Tessera  # noqa: E402

namespace = {}
exec(DASHBOARD.replace("sys.exit(Tessera.app_run('org.example.Broken', dashboard))", ''), namespace)
session = Tessera.Session.new(namespace['dashboard'])
loop = GLib.MainLoop()
session.connect('idle', lambda *_: loop.quit())
GLib.timeout_add_seconds(60, loop.quit)
session.start()
loop.run()
root = session.get_scope_root('broken')
session.close()
callouts = [root.get_child(i) for i in range(root.get_n_children())
            if root.get_child(i).get_kind() == Tessera.ElementKind.CALLOUT]
assert callouts, 'the broken fragment has no error element'
details = callouts[0].get_string('details')
assert details.startswith('Traceback (most recent call last):'), 'the details are no traceback: %r' % details
assert 'in read_month' in details and details.rstrip().endswith('ValueError: no such month: 13'), details
print('ok: the exception and its traceback reached its slot')
