#!/usr/bin/env bash
# Installs the Debian packages listed in $1 that are missing.
# As root: apt-get update, then apt-get install. Otherwise: print the exact command and fail.
set -euo pipefail
list=${1:-scripts/system-packages.txt}
missing=()
while read -r pkg; do
    [[ -z "$pkg" || "$pkg" == \#* ]] && continue
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done < "$list"
if ((${#missing[@]} == 0)); then
    exit 0
fi
if [[ $(id -u) -eq 0 ]]; then
    echo "installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
    echo "missing system packages; run as root:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
fi
