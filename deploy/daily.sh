#!/usr/bin/env bash
# The once-a-day commands (README: opinions, supervision, alerts), run by sunshine-daily.timer.
# Each runs even if an earlier one failed; the script fails if any did (the journal says which).
set -uo pipefail
manage=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/manage.sh
failed=0
run() { echo "manage.py $*"; "$manage" "$@" || { echo "FAILED: manage.py $*" >&2; failed=1; }; }
run rebuild_obligations
run remind_opinions
run erase_opinion_contacts
run purge_alert_subscribers
run send_alert_digests --frequency daily
if [[ $(date +%u) == 1 ]]; then
  run send_alert_digests --frequency weekly
fi
# The year's scorecards (考核) of the county named by COUNTY_CODE, when it is set.
if [[ -n ${COUNTY_CODE:-} ]]; then
  run rebuild_scorecards --county "$COUNTY_CODE" --year "$(date +%Y)"
fi
exit "$failed"
