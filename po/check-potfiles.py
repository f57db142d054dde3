#!/usr/bin/env python3
# check-potfiles.py: po/POTFILES.in is whole and the template builds from it.
#
# Run by the 'potfiles' test (po/meson.build) as
#   check-potfiles.py SOURCE_ROOT OUTPUT_DIR [XGETTEXT]
# It fails, naming the file and what to do, when POTFILES.in lists a file that
# does not exist (xgettext, and so `ninja tessera-pot`, would stop on it), when
# a source file with translatable strings is not listed (its strings would
# never reach translators), or when xgettext cannot build the template from
# the list with the keywords of meson's 'glib' preset. The template is written
# to OUTPUT_DIR, never into the source tree.
import os
import re
import subprocess
import sys

# What marks a string for translation, by kind of file.
C_MARKERS = re.compile(r'\b(?:_|N_|C_|NC_|g_dgettext|g_dngettext|g_dpgettext2|g_dcgettext)\s*\(')
XML_MARKERS = re.compile(r'translatable\s*=\s*"yes"')
# Files that always carry text for translators.
ALWAYS_TRANSLATABLE = ('.desktop.in', '.metainfo.xml.in', '.appdata.xml.in')
# Folders whose files never reach users, and tools' folders.
SKIPPED_DIRS = {'.git', 'po', 'subprojects', 'tests', 'bench', 'fuzz', 'flatpak', 'build-aux', '.ci'}

# The keywords of meson's i18n 'glib' preset, which `tessera-pot` uses.
XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
]


def listed_files(potfiles):
    with open(potfiles, encoding='utf-8') as f:
        lines = (line.strip() for line in f)
        return [line for line in lines if line and not line.startswith('#')]


def is_build_dir(path):
    return os.path.isdir(os.path.join(path, 'meson-private'))


def has_translatable_strings(path):
    if path.endswith(ALWAYS_TRANSLATABLE):
        return True
    try:
        with open(path, encoding='utf-8') as f:
            text = f.read()
    except (UnicodeDecodeError, OSError):
        return False
    if path.endswith(('.c', '.h')):
        return C_MARKERS.search(text) is not None
    if path.endswith(('.ui', '.xml', '.xml.in')):
        return XML_MARKERS.search(text) is not None
    return False


def translatable_files(root):
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs
                         if not (folder == root and d in SKIPPED_DIRS)
                         and not d.startswith('.')
                         and not is_build_dir(os.path.join(folder, d)))
        for name in sorted(files):
            path = os.path.join(folder, name)
            if has_translatable_strings(path):
                found.append(os.path.relpath(path, root))
    return found


def main():
    root, out_dir = sys.argv[1], sys.argv[2]
    xgettext = sys.argv[3] if len(sys.argv) > 3 else 'xgettext'
    potfiles = os.path.join(root, 'po', 'POTFILES.in')
    listed = listed_files(potfiles)
    problems = []

    for path in listed:
        if not os.path.isfile(os.path.join(root, path)):
            problems.append(f'po/POTFILES.in lists {path}, which does not exist: remove its line')
    for path in translatable_files(root):
        if path not in listed:
            problems.append(f'{path} has translatable strings but po/POTFILES.in does not list it: add it')
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1

    os.makedirs(out_dir, exist_ok=True)
    pot = os.path.join(out_dir, 'tessera-check.pot')
    result = subprocess.run([xgettext, *XGETTEXT_ARGS, '--package-name=tessera', f'--directory={root}',
                             f'--files-from={potfiles}', f'--output={pot}'],
                            capture_output=True, text=True)
    sys.stderr.write(result.stderr)
    if result.returncode != 0:
        print(f'xgettext could not build the template from po/POTFILES.in (exit {result.returncode})',
              file=sys.stderr)
        return 1
    with open(pot, encoding='utf-8') as f:
        template = f.read()
    # Every listed file gives the template at least one string; one that gives
    # none has lost its strings and should leave the list.
    for path in listed:
        if f'#: {path}:' not in template and not re.search(rf'^#:.* {re.escape(path)}:', template, re.M):
            problems.append(f'po/POTFILES.in lists {path}, but xgettext finds no string in it: '
                            'mark its strings, or remove its line')
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    count = template.count('\nmsgid "') - 1  # less the header's empty msgid
    print(f'{count} strings from {len(listed)} files in {pot}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
