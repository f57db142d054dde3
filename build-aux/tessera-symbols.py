#!/usr/bin/env python3
# tessera-symbols.py: the linker version script of libtessera-1, made from the
# public headers.
#
#   tessera-symbols.py OUTPUT HEADER...
#
# The shared library exports exactly the functions the public headers
# declare, and nothing of the layers' internals: a declaration added to a
# public header is exported by the next build, and an internal function is
# never reachable from outside, however it is named. The headers are read as
# GNOME-style C: a function declaration is an identifier tess_* followed by
# "(" outside comments and preprocessor lines; G_DECLARE_*_TYPE adds its
# *_get_type.
import re
import sys

DECLARE_TYPE = re.compile(r"G_DECLARE_(?:FINAL|DERIVABLE|INTERFACE)_TYPE\s*\(\s*\w+\s*,\s*(tess_\w+)")
FUNCTION = re.compile(r"\b(tess_\w+)\s*\(")
# A call inside a typedef'd callback or a macro argument is not a declaration.
TYPEDEF_CALLBACK = re.compile(r"typedef[^;]*;", re.S)


def public_symbols(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    text = "\n".join(lines)
    symbols = {name + "_get_type" for name in DECLARE_TYPE.findall(text)}
    text = DECLARE_TYPE.sub(" ", text)
    text = TYPEDEF_CALLBACK.sub(" ", text)
    # G_DEFINE_AUTOPTR_CLEANUP_FUNC (Type, func) names a function declared
    # elsewhere in the header; "(" after it never follows the name.
    symbols.update(FUNCTION.findall(text))
    return symbols


def main():
    output, headers = sys.argv[1], sys.argv[2:]
    symbols = set()
    for header in headers:
        with open(header, encoding="utf-8") as f:
            symbols |= public_symbols(f.read())
    if not symbols:
        sys.exit("tessera-symbols.py: no public functions found in " + " ".join(headers))
    with open(output, "w", encoding="utf-8") as f:
        f.write("TESSERA_1 {\n  global:\n")
        for name in sorted(symbols):
            f.write("    %s;\n" % name)
        f.write("  local:\n    *;\n};\n")


if __name__ == "__main__":
    main()
