#!/bin/sh
# cli-docs.sh: tessera's manual page and bash completion keep up with its
# command line: every option `tessera --help` lists is in both, the page
# renders without a warning, and the completion offers the options.
#
#   cli-docs.sh TESSERA MAN_PAGE COMPLETION
set -eu
tessera=$1
man_page=$2
completion=$3
fail () {
  echo "FAIL: $*" >&2
  exit 1
}

options=$("$tessera" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
[ -n "$options" ] || fail "tessera --help lists no options"
for option in $options; do
  roff=$(echo "$option" | sed 's/-/\\\\-/g')
  grep -q -- "$roff" "$man_page" || fail "the manual page does not describe $option"
  grep -q -- "$option" "$completion" || fail "the bash completion does not offer $option"
done

warnings=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$man_page" 2>&1)
[ -z "$warnings" ] || fail "the manual page renders with warnings: $warnings"
LC_ALL=C.UTF-8 groff -man -Tutf8 -P-cbou "$man_page" | grep -q 'EXIT STATUS' || fail "the manual page has no EXIT STATUS"

bash -n "$completion" || fail "the bash completion does not parse"
if [ -f /usr/share/bash-completion/bash_completion ]; then
  offered=$(bash -c '
    . /usr/share/bash-completion/bash_completion
    . "$1"
    COMP_WORDS=(tessera --he); COMP_CWORD=1; COMP_LINE="tessera --he"; COMP_POINT=${#COMP_LINE}
    _tessera tessera --he tessera
    echo "${COMPREPLY[*]}"' sh "$completion")
  [ "$offered" = "--headless --help" ] || fail "completing 'tessera --he' offered '$offered'"
fi
echo "ok: the manual page and the completion name all $(echo "$options" | wc -l) options"
