# libfaketime and a Swedish locale for the "any day, any time zone, any locale" run
# (tests/test_any_day.py). Debian's own packages. Sourced by .ci/run with `set -euo pipefail`,
# as root. Idempotent.
if ! command -v faketime >/dev/null 2>&1 || ! locale -a 2>/dev/null | grep -qi '^sv_SE.utf8$'; then
  apt-get update
  apt-get install -y --no-install-recommends faketime locales
  sed -i 's/^# *sv_SE.UTF-8 UTF-8/sv_SE.UTF-8 UTF-8/' /etc/locale.gen
  locale-gen >/dev/null
fi
export KREATOR_FAKETIME="$(command -v faketime)"
