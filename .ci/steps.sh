# Sourced by the scripts of .ci/: `step "…"` prints a step's heading with how long CI has
# run so far (from the first script's start), to see where its time goes.
export CI_STARTED="${CI_STARTED:-$(date +%s)}"
step() { echo "== $1 ($(($(date +%s) - CI_STARTED)) s in)"; }
