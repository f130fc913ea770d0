#!/usr/bin/env bash
# Runs one stage of `make test` and says how long it took, so the CI log shows where the time
# goes: wall time, and CPU time (user + sys of every process the stage waited for). On a shared
# machine wall time swells with the load; CPU time is what the stage itself costs, so a stage
# whose wall time is far above its CPU time is waiting (peers, timeouts, the network).
#
#   scripts/stage.sh NAME COMMAND...     exits with COMMAND's status
#   scripts/stage.sh --summary           the table of every stage recorded since --reset
#   scripts/stage.sh --check             fails, naming them, if any stage failed
#   scripts/stage.sh --reset
# Lines go to stdout and to $STAGE_LOG (default build/stage-times.txt). When file descriptor 9 is
# open (make test opens it on its own stdout, while `make -O` holds each stage's output back until
# the stage ends), a line also goes there as each stage starts and ends.
set -u
LOG=${STAGE_LOG:-build/stage-times.txt}

case ${1:-} in
    --reset) mkdir -p "$(dirname "$LOG")"; : > "$LOG"; exit 0 ;;
    --summary)
        [ -s "$LOG" ] || exit 0
        echo "==> stage times (wall / CPU seconds; CPU = user + sys of the stage's processes)"
        awk '{ printf "    %-22s %8.1f s wall %8.1f s CPU  %s\n", $2, $3, $4, $5; w += $3; c += $4 }
             END { printf "    %-22s %8.1f s wall %8.1f s CPU\n", "sum", w, c }' "$LOG"
        exit 0 ;;
    --check)
        failed=$(awk '$5 != "ok" { printf " %s", $2 }' "$LOG" 2>/dev/null)
        [ -z "$failed" ] || { echo "==> make test: FAILED stages:$failed"; exit 1; }
        exit 0 ;;
esac
live() { { echo "[$(date -u +%H:%M:%S)] $*" >&9; } 2>/dev/null || true; }

name=$1; shift
mkdir -p "$(dirname "$LOG")"
live "stage $name started"
start=$(date +%s.%N)
"$@"
rc=$?
end=$(date +%s.%N)
# `times` must run in this shell (not a subshell): its second line is the user and sys time of
# the children this shell has waited for, i.e. of the stage.
tf=$(mktemp)
times > "$tf"
read -r cu cs < <(sed -n 2p "$tf" | awk '{
    n = split($1 " " $2, f, " ");
    for (i = 1; i <= 2; i++) { split(f[i], p, "m"); sub("s", "", p[2]); s[i] = p[1] * 60 + p[2] }
    print s[1], s[2] }')
rm -f "$tf"
status=$([ $rc -eq 0 ] && echo ok || echo "FAILED($rc)")
line=$(awk -v n="$name" -v a="$start" -v b="$end" -v u="$cu" -v s="$cs" -v st="$status" \
    'BEGIN { printf "%s %.1f %.1f %s user=%.1f sys=%.1f", n, b - a, u + s, st, u, s }')
echo "stage $line" >> "$LOG"
read -r n w c st _ <<< "$line"
echo "==> stage $n: $w s wall, $c s CPU ($st)"
live "stage $n ended: $w s wall, $c s CPU ($st)"
exit $rc
