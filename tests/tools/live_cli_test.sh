#!/usr/bin/env bash
# The live commands as a user meets them: `mde demo` runs offline against its own simulator;
# `mde sim` + `mde live --config` connect over loopback TLS and dump the state they reached; a
# config file with a secret in it is refused without echoing it; SIGINT ends `mde live` with its
# report. Usage: live_cli_test.sh MDE_BINARY   (CTest, labels tools and live)
set -uo pipefail

MDE=$1
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mde_live_cli_test.XXXXXX")
SIM_PID=""
cleanup() { [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
cd "$WORK" || exit 1
export TMPDIR=$WORK  # the simulator's certificate goes here
FAILED=0
fail() { echo "FAIL: $*"; FAILED=$((FAILED + 1)); }
expect_in() {  # expect_in FILE TEXT NAME
  grep -qF -- "$2" "$1" || { fail "$3: '$2' not in $1"; sed 's/^/  | /' "$1" | head -8; }
}
# wait_for FILE TEXT SECONDS: polls until FILE holds TEXT (bounded).
wait_for() {
  local deadline=$((SECONDS + $3))
  until grep -qF -- "$2" "$1" 2>/dev/null; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.1
  done
}

# ---- mde demo: offline, self-contained, plain lines when stdout is not a terminal ----------
"$MDE" demo --duration 3 >demo.txt 2>demo.err
rc=$?
[ $rc -eq 0 ] || { fail "demo: exit $rc"; sed 's/^/  | /' demo.err | head -5; }
expect_in demo.txt "mde demo t=" "demo: periodic plain lines"
expect_in demo.txt "the simulator dropped every connection" "demo: the scheduled disconnect"
grep -qE "reconnects [1-9]" demo.txt || fail "demo: the reconnects are not counted"
expect_in demo.txt "skipped a BTSE seqNum" "demo: the scheduled BTSE gap"
grep -qE "orders [1-9]" demo.txt || fail "demo: no private order events"
expect_in demo.txt "read -> callback entered" "demo: latency per stage"
grep -q $'\x1b\[' demo.txt && fail "demo: terminal escapes written to a file"

# ---- mde sim + mde live --config -------------------------------------------------------------
"$MDE" sim --listen 127.0.0.1:0 --seed 3 >sim.txt 2>sim.err &
SIM_PID=$!
wait_for sim.txt "CA file" 10 || fail "sim: no URL printed"
URL=$(awk '/^coinone public/ {print $3}' sim.txt)
CA=$(awk '/^CA file/ {print $3}' sim.txt)
cat >live.toml <<TOML
[tls]
ca_file = "$CA"
[[session]]
name = "public"
venue = "coinone"
url = "$URL"
format = "SHORT"
subscribe = ["ORDERBOOK:XRP-KRW", "TRADE:XRP-KRW", "ORDERBOOK:BTC-KRW"]
TOML
"$MDE" live --config live.toml --duration 2 --dump-state state.json >live.txt 2>live.err
rc=$?
[ $rc -eq 0 ] || { fail "live: exit $rc"; sed 's/^/  | /' live.err | head -5; }
expect_in live.txt "mde live finished after" "live: the report"
expect_in state.json '"coinone:XRP-KRW"' "live: the dumped state has the book"
expect_in state.json '"coinone:BTC-KRW"' "live: the dumped state has the second book"
grep -qE '"data": [1-9]' state.json || fail "live: the dump counts no data events"
grep -qE '"control": [1-9]' state.json || fail "live: the dump counts no control events"

# A CPU that cannot be pinned is named on stderr, and the threads run unpinned. Five short runs:
# the threads pin themselves as they start, and the report must wait for both of them.
{ printf '[runtime]\nio_cpus = [4095]\ncore_cpu = 4094\n'; cat live.toml; } >pin.toml
for k in 1 2 3 4 5; do
  "$MDE" live --config pin.toml --duration 0.5 >pin.txt 2>pin.err
  rc=$?
  [ $rc -eq 0 ] || { fail "live unpinnable: exit $rc"; sed 's/^/  | /' pin.err | head -5; }
  expect_in pin.err "mde-io thread -> cpu 4095" "live: the unpinnable I/O CPU is reported (run $k)"
  expect_in pin.err "mde-core thread -> cpu 4094" "live: the unpinnable core CPU is reported (run $k)"
done

# SIGINT: the run ends with its report and exit 130, the dump marked interrupted.
"$MDE" live --config live.toml --dump-state state2.json >int.txt 2>int.err &
LIVE_PID=$!
wait_for int.txt "frames" 10 || fail "live: no periodic line before SIGINT"
kill -INT $LIVE_PID
wait $LIVE_PID
rc=$?
[ $rc -eq 130 ] || fail "live: SIGINT exit $rc, want 130"
expect_in int.txt "mde live finished after" "live: report after SIGINT"
expect_in state2.json '"interrupted": true' "live: dump marked interrupted"

# ---- a private session: credentials from the environment, never in any output -------------
PRIV_URL=$(awk '/^coinone private/ {print $3}' sim.txt)
cat >private.toml <<TOML
[runtime]
record = "private.mdecap"
[tls]
ca_file = "$CA"
[[session]]
venue = "coinone"
url = "$PRIV_URL"
format = "SHORT"
subscribe = ["MYORDER", "MYASSET"]
access_token_env = "MDE_TEST_ACCESS"
secret_env = "MDE_TEST_SECRET"
TOML
# The simulator's documented demo account (tools/sim/include/mde/sim/simulator.hpp).
MDE_TEST_ACCESS=00000000-demo-4000-8000-acce55000000 MDE_TEST_SECRET=00000000-demo-4000-8000-5ec2e7000000 \
  "$MDE" live --config private.toml --duration 2 --dump-state private.json >priv.txt 2>priv.err
rc=$?
[ $rc -eq 0 ] || { fail "private live: exit $rc"; sed 's/^/  | /' priv.err | head -5; }
grep -qE "orders [1-9]" priv.txt || fail "private live: no order events"
[ -s private.mdecap ] || fail "private live: nothing recorded"
for f in priv.txt priv.err private.json private.mdecap; do
  grep -qaE "5ec2e7000000|acce55000000" "$f" && fail "private live: a credential appears in $f"
done

# A session the venue stops for good (4280: a wrong signature) fails the run: exit 1, named on
# stderr, the report and dump still written; nor is the secret echoed there.
MDE_TEST_ACCESS=00000000-demo-4000-8000-acce55000000 MDE_TEST_SECRET=wrong-secret-never-shown \
  "$MDE" live --config private.toml --duration 1 --dump-state refused.json >ref.txt 2>ref.err
rc=$?
[ $rc -eq 1 ] || fail "live refused by the venue: exit $rc, want 1"
expect_in ref.err "was stopped by the venue (close code 4280)" "live: the refused session is named"
grep -qE "connects 1 attempts 1 reconnects 0 failures 1 last-failure closed_by_venue" ref.txt ||
  { fail "live refused: the session line counts a reconnect that never happened"; grep '^session' ref.txt; }
[ -s refused.json ] || fail "live refused by the venue: no dump"
grep -qa "wrong-secret-never-shown" ref.txt ref.err refused.json && fail "live refused: the secret was echoed"
# A session that never connects (nothing listens there) fails the run too.
sed "s|$URL|wss://127.0.0.1:1/|" live.toml >nowhere.toml
"$MDE" live --config nowhere.toml --duration 0.5 >nowhere.txt 2>nowhere.err
rc=$?
[ $rc -eq 1 ] || fail "live to nowhere: exit $rc, want 1"
expect_in nowhere.err "never connected (last failure: connect)" "live: a session that never connected is named"

# ---- bad configuration: refused with the file and line, secrets never echoed ---------------
cat >secret.toml <<TOML
[[session]]
venue = "coinone"
url = "$URL"
subscribe = ["TRADE:XRP-KRW"]
secret = "s3cr3t-value-never-shown"
TOML
"$MDE" live --config secret.toml --duration 1 >bad.txt 2>bad.err
rc=$?
[ $rc -eq 1 ] || fail "secret in config: exit $rc, want 1"
expect_in bad.err "secret.toml:5:" "secret in config: names the line"
grep -q "s3cr3t-value" bad.txt bad.err && fail "secret in config: the value was echoed"

kill -TERM "$SIM_PID"
wait "$SIM_PID"
rc=$?
[ $rc -eq 0 ] || fail "sim: SIGTERM exit $rc, want 0"
SIM_PID=""

# ---- mde sim --fault: a timetable of faults any client meets ---------------------------------
"$MDE" sim --listen 127.0.0.1:0 --seed 4 --fault 1:drop --fault 0.5:malformed:2 >fsim.txt 2>fsim.err &
SIM_PID=$!
wait_for fsim.txt "CA file" 10 || fail "sim --fault: no URL printed"
expect_in fsim.txt "fault scheduled 0.5:malformed:2" "sim --fault: the schedule is printed in time order"
sed "s|$URL|$(awk '/^coinone public/ {print $3}' fsim.txt)|" live.toml >flive.toml
"$MDE" live --config flive.toml --duration 2.5 >flive.txt 2>flive.err
rc=$?
[ $rc -eq 0 ] || { fail "live vs sim --fault: exit $rc"; sed 's/^/  | /' flive.err | head -5; }
expect_in fsim.txt "fault           1:drop" "sim --fault: the drop fired"
grep -qE "reconnects [1-9]" flive.txt || { fail "live vs sim --fault: no reconnect"; sed 's/^/  | /' flive.txt | tail -4; }
kill -TERM "$SIM_PID"; wait "$SIM_PID"; SIM_PID=""
"$MDE" sim --fault 1:boom >/dev/null 2>fbad.err
[ $? -ne 0 ] || fail "sim --fault 1:boom: accepted"
expect_in fbad.err 'unknown fault "boom"' "sim --fault: a bad kind is named"

# ---- mde sim --clock: the wall clock (default) or the generators' fixed one ------------------
"$MDE" sim --help >simhelp.txt 2>&1
expect_in simhelp.txt "--clock" "sim --help: lists --clock"
"$MDE" sim --clock sundial >/dev/null 2>cbad.err
[ $? -ne 0 ] || fail "sim --clock sundial: accepted"
expect_in cbad.err "--clock: sundial not in {wall,fixed}" "sim --clock: a bad value is named"

[ $FAILED -eq 0 ] && echo "live CLI: all checks passed"
exit $((FAILED > 0))
