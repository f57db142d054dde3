#!/usr/bin/env python3
# gir-covers-api.py: Tessera-1.gir holds every function libtessera-1
# exports, and each is callable from other languages unless its header says
# otherwise: a declaration added to a public header without the annotations
# GObject Introspection needs fails here (the build already fails on any
# g-ir-scanner warning).
#
#   gir-covers-api.py BUILD_ROOT HEADER...
import os
import re
import sys
import xml.etree.ElementTree as ET

build_root, headers = sys.argv[1], sys.argv[2:]
CORE = '{http://www.gtk.org/introspection/core/1.0}'
C = '{http://www.gtk.org/introspection/c/1.0}'

with open(os.path.join(build_root, 'libtessera-1.map'), encoding='utf-8') as f:
    exported = set(re.findall(r'^\s+(tess_\w+);', f.read(), re.M))
assert len(exported) > 200, 'the version script lists only %d functions' % len(exported)

skipped = set()
for header in headers:
    with open(header, encoding='utf-8') as f:
        text = f.read()
    skipped |= set(re.findall(r'^ \* (tess_\w+): \(skip\)', text, re.M))
    # variadic functions cannot be introspected; each has a non-variadic twin
    skipped |= set(re.findall(r'\b(tess_\w+) \([^;]*\.\.\.\)', text))

in_gir, not_introspectable = set(), set()
for element in ET.parse(os.path.join(build_root, 'Tessera-1.gir')).iter():
    identifier = element.get(C + 'identifier')
    if element.tag in (CORE + 'function', CORE + 'method', CORE + 'constructor') and identifier:
        in_gir.add(identifier)
        if element.get('introspectable') == '0':
            not_introspectable.add(identifier)
# get_type functions are the GTypes the GIR records, not functions in it
missing = sorted(name for name in exported - in_gir if not name.endswith('_get_type'))
assert not missing, 'exported but missing from Tessera-1.gir: %s' % ', '.join(missing)
unexpected = sorted(not_introspectable - skipped)
assert not unexpected, 'not introspectable, and their headers do not say (skip): %s' % ', '.join(unexpected)
print('ok: %d exported functions, %d in the GIR, %d skipped on purpose' % (
    len(exported), len(in_gir & exported), len(not_introspectable)))
