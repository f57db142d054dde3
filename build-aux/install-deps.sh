#!/bin/sh
# Installs what Tessera needs to build, test and run on Debian 12 or Ubuntu 24.04.
# postgresql is the server the database tests start for themselves (as the
# postgres user, on a Unix socket in a temporary folder); the packaged
# cluster it may also set up is not used. libxtst6 lets the widget tests move
# and click the pointer under Xvfb as a user would (XTEST).
# gobject-introspection makes the SDK's Tessera-1 typelib, which Python
# dashboards load through python3-gi (PyGObject); gi-docgen makes the SDK's
# reference manual, groff and bash-completion check the manual page and the
# completion. The en_US and de_DE
# locales let the format tests check digit grouping and decimal commas.
set -e
if [ "$(id -u)" -ne 0 ]; then
  exec sudo "$0" "$@"
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends \
  build-essential clang clang-format meson ninja-build pkg-config gettext \
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev \
  libsoup-3.0-dev libjson-glib-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libpq-dev libsecret-1-dev \
  postgresql \
  desktop-file-utils appstream xvfb xauth libxtst6 libgl1-mesa-dri \
  fonts-cantarell python3 python3-jsonschema \
  gobject-introspection libgirepository1.0-dev python3-gi gi-docgen groff-base bash-completion locales
for locale in en_US de_DE; do
  localedef -i "$locale" -f UTF-8 "$locale.UTF-8"
done
