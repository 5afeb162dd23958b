#!/bin/sh
# Install the kiosk on a kiosk PC: Debian packages, the kiosk user, systemd unit, session and
# release scripts, PAM service, udev rules, a config to edit, then the kiosk itself as the first
# release (scripts/adm-kiosk-release: a venv from requirements/kiosk.lock under
# /opt/adm-kiosk/releases/VERSION, /opt/adm-kiosk/current pointing at it). Run as root from a
# checkout (or an unpacked release), anywhere but /opt/adm-kiosk itself.
#
#   scripts/install-operations.sh [WHEEL]   install and enable adm-kiosk@tty1; without WHEEL
#                                            the kiosk's wheel is built from this checkout
#   DESTDIR=/tmp/root scripts/install-operations.sh
#                                            only copy files under DESTDIR (packaging, tests):
#                                            no packages, user, release, systemctl or udevadm
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/opt/adm-kiosk}
USER_NAME=adm-kiosk
WHEEL=${1:-}

install -d -m 0755 "$DESTDIR/etc/systemd/system" "$DESTDIR/etc/udev/rules.d" \
    "$DESTDIR/etc/pam.d" "$DESTDIR$PREFIX/scripts"
install -d -m 0750 "$DESTDIR/etc/adm-kiosk"
install -m 0644 "$HERE/systemd/adm-kiosk@.service" "$DESTDIR/etc/systemd/system/adm-kiosk@.service"
install -m 0644 "$HERE/udev/70-adm-kiosk.rules" "$DESTDIR/etc/udev/rules.d/70-adm-kiosk.rules"
install -m 0644 "$HERE/pam.d/adm-kiosk" "$DESTDIR/etc/pam.d/adm-kiosk"
if [ "$ROOT" != "$DESTDIR$PREFIX" ]; then
    install -m 0755 "$HERE/adm-kiosk-session" "$DESTDIR$PREFIX/scripts/adm-kiosk-session"
    install -m 0755 "$HERE/adm-kiosk-release" "$DESTDIR$PREFIX/scripts/adm-kiosk-release"
    install -m 0644 "$ROOT/README.md" "$DESTDIR$PREFIX/README.md"
fi
if [ ! -e "$DESTDIR/etc/adm-kiosk/kiosk.toml" ]; then
    # A template to edit: ids, registry URL, keys, devices, technician.pin_hash.
    install -m 0640 "$ROOT/config/kiosk.toml" "$DESTDIR/etc/adm-kiosk/kiosk.toml"
    echo "installed /etc/adm-kiosk/kiosk.toml: edit it, then run 'kiosk config check'"
fi

if [ -n "$DESTDIR" ]; then
    echo "files installed under $DESTDIR"
    exit 0
fi

# The kiosk's runtime packages, then the host-only ones (the Wayland compositor).
bash "$HERE/ensure-system-packages.sh" "$HERE/system-packages.txt"
bash "$HERE/ensure-system-packages.sh" "$HERE/kiosk-host-packages.txt"

if ! id "$USER_NAME" >/dev/null 2>&1; then
    useradd --system --create-home --home-dir /var/lib/adm-kiosk --shell /usr/sbin/nologin \
        --groups video,lp,dialout,input,render "$USER_NAME"
fi
chgrp "$USER_NAME" /etc/adm-kiosk /etc/adm-kiosk/kiosk.toml

# The kiosk itself: the first release (or the next one, when this is an update).
if [ -z "$WHEEL" ]; then
    build=$(mktemp -d)
    trap 'rm -rf "$build"' EXIT
    /usr/bin/python3 -m venv "$build/venv"
    "$build/venv/bin/pip" wheel --quiet --no-deps -w "$build/dist" "$ROOT"
    WHEEL=$(ls "$build"/dist/adm_kiosk-*.whl)
fi
PREFIX="$PREFIX" sh "$HERE/adm-kiosk-release" install "$WHEEL" --lock "$ROOT/requirements/kiosk.lock"

udevadm control --reload
udevadm trigger --subsystem-match=usb --subsystem-match=video4linux --subsystem-match=tty
systemctl daemon-reload
systemctl disable getty@tty1.service >/dev/null 2>&1 || true
systemctl enable adm-kiosk@tty1.service
echo "enabled adm-kiosk@tty1.service: 'systemctl start adm-kiosk@tty1' or reboot"
