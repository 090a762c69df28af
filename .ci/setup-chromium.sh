# Chromium for the browser tests (tests marked @pytest.mark.browser), driven by Playwright's
# Python package against Debian's own browser: no browser download from Playwright's CDN.
# Sourced by .ci/run with `set -euo pipefail`, as root. Idempotent.
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update
  apt-get install -y --no-install-recommends chromium fonts-dejavu-core
fi
export KREATOR_CHROMIUM="$(command -v chromium)"
