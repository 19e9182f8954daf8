#!/usr/bin/env bash
# The `mde` command line as a user meets it: help and usage errors, exit codes, outputs that never
# destroy an input or leave a temporary behind, pipes and FIFOs read in full, damaged input
# reported, overflowing options refused, progress only on a terminal.
# Usage: cli_test.sh MDE_BINARY SAMPLE_TEXT_CAPTURE   (registered with CTest, label `tools`)
# Uses only the built binary and files it makes in a directory under $TMPDIR.
set -uo pipefail

MDE=$1
SAMPLE=$2
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mde_cli_test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 1
FAILED=0
SAMPLE_FRAMES=1032

fail() { echo "FAIL: $*"; FAILED=$((FAILED + 1)); }
# expect_rc WANT NAME CMD...: runs CMD with stdout in out.txt and stderr in err.txt.
expect_rc() {
  local want=$1 name=$2; shift 2
  "$@" >out.txt 2>err.txt
  local rc=$?
  [ "$rc" -eq "$want" ] || { fail "$name: exit $rc, want $want"; sed 's/^/  | /' err.txt | head -5; }
}
expect_in() {  # expect_in FILE TEXT NAME
  grep -qF -- "$2" "$1" || { fail "$3: '$2' not in $1"; sed 's/^/  | /' "$1" | head -5; }
}
no_temporaries() {  # no_temporaries NAME: nothing like ".x.mde-XXXXXX" left in the work directory
  local left
  left=$(find . -maxdepth 1 -name '.*.mde-*' | head -3)
  [ -z "$left" ] || fail "$1: temporary left behind: $left"
}

cp "$SAMPLE" sample.jsonl
SUM=$(cksum < sample.jsonl)

# ---- conventional command line -------------------------------------------------------------
for cmd in "" "decode" "capture" "capture convert" "capture info" "gen" "replay"; do
  # shellcheck disable=SC2086
  expect_rc 0 "help: mde $cmd --help" "$MDE" $cmd --help
  expect_in out.txt "Usage:" "help: mde $cmd --help"
done
expect_rc 0 "--version" "$MDE" --version
grep -qE '^mde [0-9]+\.[0-9]+\.[0-9]+' out.txt || fail "--version prints 'mde X.Y.Z'"
expect_rc 2 "unknown option" "$MDE" replay sample.jsonl --no-such-option
expect_in err.txt "--no-such-option" "unknown option is named"
expect_rc 2 "no command" "$MDE"
for bad in 1000 0 1 4194304 99999999999999 abc; do
  expect_rc 2 "--queue-capacity $bad" "$MDE" replay sample.jsonl --queue-capacity "$bad"
  expect_in err.txt "--queue-capacity" "--queue-capacity $bad is named"
  expect_in err.txt "power of two" "--queue-capacity $bad states the rule"
  grep -q "terminate called" err.txt && fail "--queue-capacity $bad: uncaught exception"
done
expect_rc 0 "--queue-capacity 1024" "$MDE" replay sample.jsonl --queue-capacity 1024 --quiet
for bad in 1e-20x 0x -1x nanx infx 0.0001x fast 10; do
  expect_rc 2 "--pace $bad" "$MDE" replay sample.jsonl --pace "$bad"
  expect_in err.txt "--pace" "--pace $bad is named"
done
expect_rc 0 "--pace 1000000x" "$MDE" replay sample.jsonl --pace 1000000x --quiet
expect_rc 2 "--reader-cpu -2" "$MDE" replay sample.jsonl --reader-cpu -2
expect_rc 2 "--core-cpu x" "$MDE" replay sample.jsonl --core-cpu x
expect_rc 0 "unpinnable CPU" "$MDE" replay sample.jsonl --reader-cpu 1023 --core-cpu -1 --quiet
expect_in err.txt "cannot pin" "an unpinnable CPU is reported"
expect_in err.txt "1023" "an unpinnable CPU is named"

# ---- overflowing gen / capture options --------------------------------------------------------
expect_rc 2 "gen --frames 2^64-1" "$MDE" gen --kind mixed --frames 18446744073709551615 -o g.mdecap
expect_in err.txt "--frames" "gen --frames is named"
expect_rc 2 "gen --frames -1" "$MDE" gen --kind mixed --frames -1 -o g.mdecap
expect_rc 2 "gen --seed -1" "$MDE" gen --kind mixed --frames 5 --seed -1 -o g.mdecap
expect_rc 2 "gen --frames 0" "$MDE" gen --kind mixed --frames 0 -o g.mdecap
expect_rc 2 "gen --start-ns 2^63-1" "$MDE" gen --kind mixed --frames 5 --start-ns 9223372036854775807 -o g.mdecap
expect_rc 2 "gen --kind bogus" "$MDE" gen --kind bogus --frames 5 -o g.mdecap
expect_rc 2 "convert --connection 2^24" "$MDE" capture convert sample.jsonl c.mdecap --connection 16777216
expect_rc 2 "convert --connection 2^32" "$MDE" capture convert sample.jsonl c.mdecap --connection 4294967296
expect_rc 2 "convert --bare-step-ns 2^63-1" "$MDE" capture convert sample.jsonl c.mdecap --bare-step-ns 9223372036854775807
[ -e g.mdecap ] || [ -e c.mdecap ] && fail "a refused command wrote an output"

# ---- never write over an input ----------------------------------------------------------------
ln -s sample.jsonl link.jsonl
ln sample.jsonl hard.jsonl
mkdir sub
expect_rc 1 "convert X X" "$MDE" capture convert sample.jsonl sample.jsonl
expect_in err.txt "refusing" "convert X X says why"
expect_rc 1 "convert X ./sub/../X" "$MDE" capture convert sample.jsonl ./sub/../sample.jsonl
expect_rc 1 "convert X symlink-to-X" "$MDE" capture convert sample.jsonl link.jsonl
expect_rc 1 "convert hardlink X" "$MDE" capture convert hard.jsonl sample.jsonl
expect_rc 1 "convert - X < X" "$MDE" capture convert - sample.jsonl < sample.jsonl
[ "$(cksum < sample.jsonl)" = "$SUM" ] || fail "the input was changed"
[ -L link.jsonl ] || fail "the symbolic link was replaced"
expect_rc 0 "convert text -> native" "$MDE" capture convert sample.jsonl s.mdecap
expect_rc 1 "convert native over itself" "$MDE" capture convert s.mdecap s.mdecap
expect_rc 1 "gen -o over its --splice input" "$MDE" gen --kind mixed --frames 10 --splice sample.jsonl -o link.jsonl
expect_rc 1 "replay --dump-state over its input" "$MDE" replay s.mdecap --quiet --dump-state s.mdecap
expect_rc 1 "replay --dump-state over a text input" "$MDE" replay link.jsonl --quiet --dump-state sample.jsonl
[ "$(cksum < sample.jsonl)" = "$SUM" ] || fail "the input was changed"
no_temporaries "refused outputs"
# An output that is a stream (a FIFO here; a terminal, /dev/null) or under /dev/ (/dev/stdout) is
# written in place: renaming a temporary over it would replace it (as root, /dev/stdout itself).
mkfifo fifo.jsonl
cat fifo.jsonl >from_fifo.jsonl &
expect_rc 0 "convert to a FIFO" "$MDE" capture convert s.mdecap fifo.jsonl
wait
[ -p fifo.jsonl ] || fail "the FIFO was replaced by a file"
"$MDE" capture convert s.mdecap via_file.jsonl >/dev/null 2>&1
cmp -s from_fifo.jsonl via_file.jsonl || fail "convert wrote to the FIFO what it writes to a file"
"$MDE" replay s.mdecap --quiet --dump-state /dev/stdout >stdout_state.json 2>err.txt ||
  fail "replay --dump-state /dev/stdout: exit $?"
"$MDE" replay s.mdecap --quiet --dump-state file_state.json >/dev/null 2>&1
cmp -s stdout_state.json file_state.json || fail "the state dumped to /dev/stdout differs"
[ -L /dev/stdout ] || fail "/dev/stdout was replaced"
expect_rc 0 "gen -o /dev/null" "$MDE" gen --kind mixed --frames 10 -o /dev/null
# An output that is a symbolic link to a regular file: the file is replaced, the link stays.
printf 'old\n' >target.json
ln -s target.json state_link.json
expect_rc 0 "replay --dump-state through a link" "$MDE" replay s.mdecap --quiet --dump-state state_link.json
[ -L state_link.json ] || fail "the output's symbolic link was replaced"
cmp -s target.json file_state.json || fail "the link's target does not hold the state"
no_temporaries "outputs written in place or through a link"
expect_rc 0 "replay --dump-state" "$MDE" replay s.mdecap --quiet --dump-state state.json
expect_in state.json '"books"' "state dump written"
no_temporaries "successful outputs"

# An interrupted run leaves neither its output nor a temporary.
"$MDE" gen --kind trade-heavy --frames 100000000 -o interrupted.mdecap 2>/dev/null &
pid=$!
sleep 0.5
kill -INT "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 130 ] || fail "interrupted gen: exit $rc, want 130 (SIGINT)"
[ -e interrupted.mdecap ] && fail "interrupted gen left its output"
no_temporaries "interrupted gen"

# ---- pipes, FIFOs, /dev/stdin, - ---------------------------------------------------------------
frames_of() { sed -n 's/^  frames \([0-9]*\) .*/\1/p' out.txt; }
expect_rc 0 "replay - < pipe" sh -c "cat sample.jsonl | '$MDE' replay - --quiet --stats"
[ "$(frames_of)" = "$SAMPLE_FRAMES" ] || fail "replay of a text pipe: $(frames_of) frames, want $SAMPLE_FRAMES"
expect_rc 0 "replay /dev/stdin < pipe" sh -c "cat sample.jsonl | '$MDE' replay /dev/stdin --quiet --stats"
[ "$(frames_of)" = "$SAMPLE_FRAMES" ] || fail "replay of /dev/stdin: $(frames_of) frames"
expect_rc 0 "replay native from a pipe" sh -c "cat s.mdecap | '$MDE' replay - --quiet --stats"
[ "$(frames_of)" = "$SAMPLE_FRAMES" ] || fail "replay of a native pipe: $(frames_of) frames"
mkfifo fifo
cat sample.jsonl > fifo &
expect_rc 0 "convert FIFO" "$MDE" capture convert fifo fifo.mdecap
expect_in err.txt "$SAMPLE_FRAMES records" "convert of a FIFO reads every record"
cat s.mdecap > fifo &
expect_rc 0 "info of a native FIFO" "$MDE" capture info fifo
expect_in out.txt "records      $SAMPLE_FRAMES" "info of a native FIFO"
expect_rc 0 "decode -" sh -c "cat sample.jsonl | '$MDE' decode -"
expect_in out.txt "-- $SAMPLE_FRAMES decoded, 0 rejected" "decode of a pipe"

# A text replay streams: while it waits on a FIFO it holds no temporary file open anywhere.
mkdir tmpdir
exec 3<>fifo
TMPDIR="$WORK/tmpdir" timeout 60 "$MDE" replay fifo --quiet >/dev/null 2>&1 3>&- &
pid=$!
head -c 100000 sample.jsonl >&3
sleep 0.5
held=$(for p in "$pid" $(pgrep -P "$pid"); do ls -l "/proc/$p/fd" 2>/dev/null; done |
       grep -E 'mde-replay|tmpdir' || true)
[ -z "$held" ] || fail "text replay holds a temporary copy: $held"
[ -z "$(ls tmpdir)" ] || fail "text replay wrote into TMPDIR"
tail -c +100001 sample.jsonl >&3
exec 3>&-
wait "$pid"

# ---- bad input: a clear error, nothing lost, decode and replay agree ---------------------------
mkdir adir
expect_rc 1 "decode a directory" "$MDE" decode adir
expect_rc 1 "replay a directory" "$MDE" replay adir
expect_rc 1 "decode a missing file" "$MDE" decode no-such-file
line() { sed -n "$1p" sample.jsonl | cut -f2-; }
{
  printf '\xEF\xBB\xBF'
  printf '1\t%s\r\n' "$(line 1)"
  printf '  \t\r\n'
  printf '2\tcoinone:3\t%s\n' "$(line 2)"
  printf '3\t  %s\n' "$(line 3)"
  printf '%s\n' "$(line 4)"
} > odd.jsonl
expect_rc 0 "decode odd but valid lines" "$MDE" decode odd.jsonl
expect_in out.txt "-- 4 decoded, 0 rejected" "decode reads BOM, CRLF, venue form, spaces"
# A BTSE frame in the venue form goes to the BTSE decoder (protocols.md B4's own examples).
{
  printf '1\tbtse:3\t%s\n' '{"topic":"update:BTC-USD_0","data":{"bids":[["59252.5","0.06865"]],"asks":[["59292.0","0.50000"]],"seqNum":628282,"prevSeqNum":628281,"type":"snapshot","timestamp":1565135165600,"symbol":"BTC-USD"}}'
  printf '2\tbtse:3\t%s\n' '{"topic":"update:BTC-USD","data":{"bids":[],"asks":[["59367.5","2.15622"],["59325.5","0"]],"seqNum":628283,"prevSeqNum":628282,"type":"delta","timestamp":1565135165600,"symbol":"BTC-USD"}}'
} > btse.jsonl
expect_rc 0 "decode BTSE lines" "$MDE" decode btse.jsonl
expect_in out.txt "-- 2 decoded, 0 rejected" "decode uses each line's venue decoder"
expect_rc 0 "replay odd but valid lines" "$MDE" replay odd.jsonl --quiet --stats
[ "$(frames_of)" = 4 ] || fail "replay of odd lines: $(frames_of) frames, want 4"
expect_in out.txt "rejected 0" "replay agrees with decode"
# A book frame the decoder rejects (9 fractional digits: more than the engine holds exactly) is a
# lost update: the book shows stale, not its last good snapshot as live, until a good one.
BOOK='{"response_type":"DATA","channel":"ORDERBOOK","data":{"quote_currency":"KRW","target_currency":"XRP","timestamp":1693560155038,"id":"ID","asks":[{"price":"695.5","qty":"QTY"}],"bids":[{"price":"688.3","qty":"2000"}]}}'
book() { local f=${BOOK/ID/$1}; echo "${f/QTY/$2}"; }
{ book 1 5000; book 2 5000.123456789; } > rejected_book.jsonl
expect_rc 0 "replay a rejected book frame" "$MDE" replay rejected_book.jsonl --quiet --stats --dump-state rejected_book.json
expect_in out.txt "books or private streams a rejected frame made stale: 1" "replay --stats counts what a rejection made stale"
expect_in rejected_book.json '"coinone:XRP-KRW": {"status": "resyncing"' "a rejected book frame leaves its book stale"
{ book 1 5000; book 2 5000.123456789; book 3 4000; } > healed_book.jsonl
expect_rc 0 "replay a rejected book frame, then a good one" "$MDE" replay healed_book.jsonl --quiet --dump-state healed_book.json
expect_in healed_book.json '"coinone:XRP-KRW": {"status": "live"' "the next good snapshot makes the book live again"
{ line 1; echo '99999999999999999999	{}'; line 2; echo '5	mars:1	{}'; line 3; } > bad.jsonl
expect_rc 1 "decode with bad lines" "$MDE" decode bad.jsonl
expect_in out.txt "2: rejected: bad_timestamp" "decode names the bad line"
expect_rc 1 "replay with bad lines" "$MDE" replay bad.jsonl --quiet --stats
[ "$(frames_of)" = 3 ] || fail "replay skips only the bad lines: $(frames_of) frames, want 3"
expect_in err.txt "bad_timestamp 1" "replay counts bad lines by reason"
expect_in err.txt "bad_source 1" "replay counts bad lines by reason"
# A line beyond the 16 MiB frame limit is rejected without holding it, and the replay goes on.
{ line 1; printf '7\t"'; head -c 20000000 /dev/zero | tr '\0' x; printf '"\n'; line 2; } > long.jsonl
/usr/bin/time -f '%M' -o rss.txt "$MDE" replay long.jsonl --quiet --stats >out.txt 2>err.txt
rc=$?
[ "$rc" -eq 1 ] || fail "replay with a too-long line: exit $rc, want 1"
[ "$(frames_of)" = 2 ] || fail "replay around a too-long line: $(frames_of) frames, want 2"
expect_in err.txt "line_too_long 1" "the too-long line is counted"
rss_kb=$(tail -1 rss.txt)
# Against the same replay without the long line (the engine's fixed tables dominate that, and they
# grow with the Decimal width): reading up to the 16 MiB limit is allowed, holding the whole
# 20 MB line (19531 KiB) is not.
{ line 1; line 2; } > short.jsonl
/usr/bin/time -f '%M' -o rss.txt "$MDE" replay short.jsonl --quiet --stats >/dev/null 2>&1
base_kb=$(tail -1 rss.txt)
[ "${rss_kb:-999999}" -lt $(( ${base_kb:-0} + 16384 + 2048 )) ] ||
  fail "replay of a 20 MB line used ${rss_kb} KB (${base_kb} KB without it)"
expect_rc 1 "convert with bad lines" "$MDE" capture convert bad.jsonl bad.mdecap
expect_in err.txt "bad line" "convert reports bad lines"

# Damaged native capture: replays up to the damage, exit 1 (like capture info).
head -c -7 s.mdecap > torn.mdecap
expect_rc 1 "replay a torn capture" "$MDE" replay torn.mdecap --quiet --stats
expect_in err.txt "stopped at record $((SAMPLE_FRAMES - 1))" "replay says where the capture stopped"
[ "$(frames_of)" = $((SAMPLE_FRAMES - 1)) ] || fail "torn capture: $(frames_of) frames"
expect_rc 1 "info of a torn capture" "$MDE" capture info torn.mdecap

# A capture truncated while it is being replayed: no SIGBUS, a clean stop, exit 1.
"$MDE" gen --kind trade-heavy --frames 200000 -o big.mdecap 2>/dev/null || fail "gen big.mdecap"
"$MDE" replay big.mdecap --pace 200x --quiet >/dev/null 2>err.txt &
pid=$!
sleep 0.7
truncate -s 5000000 big.mdecap
wait "$pid"
rc=$?
[ "$rc" -eq 1 ] || fail "capture truncated during replay: exit $rc, want 1 (135 = SIGBUS)"

# SIGINT stops a replay promptly and cleanly: summary and state dump still written, marked.
"$MDE" gen --kind trade-heavy --frames 200000 -o big.mdecap 2>/dev/null || fail "gen big.mdecap"
"$MDE" replay big.mdecap --pace 50x --quiet --stats --dump-state stopped.json >out.txt 2>err.txt &
pid=$!
sleep 0.7
kill -INT "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 130 ] || fail "interrupted replay: exit $rc, want 130"
expect_in out.txt "frames" "interrupted replay still prints its stats"
expect_in err.txt "interrupted" "interrupted replay says so"
expect_in stopped.json '"interrupted": true' "interrupted replay marks its state dump"
no_temporaries "interrupted replay"

# ---- venues in captures -----------------------------------------------------------------------
"$MDE" gen --kind mixed --frames 50 -o v.mdecap 2>/dev/null || fail "gen v.mdecap"
expect_rc 0 "native -> text keeps venues" "$MDE" capture convert v.mdecap v.jsonl
head -1 v.jsonl | grep -qP '^\d+\tcoinone:1\t\{' || fail "text carries <venue>:<connection>: $(head -c 80 v.jsonl)"
expect_rc 0 "text -> native" "$MDE" capture convert v.jsonl v2.mdecap
expect_rc 0 "native -> text again" "$MDE" capture convert v2.mdecap v2.jsonl
cmp -s v.jsonl v2.jsonl || fail "venue form does not round-trip"

# ---- progress only on a terminal --------------------------------------------------------------
expect_rc 0 "gen without a terminal" "$MDE" gen --kind trade-heavy --frames 300000 -o p.mdecap
grep -q $'\r' err.txt && fail "progress drawn although stderr is not a terminal"
expect_rc 0 "replay without a terminal" "$MDE" replay big.mdecap --pace 400x --quiet
grep -q $'\r' err.txt && fail "replay progress drawn although stderr is not a terminal"
if command -v script >/dev/null; then
  script -qec "'$MDE' gen --kind trade-heavy --frames 300000 -o p2.mdecap" /dev/null > tty.txt
  expect_in tty.txt "frames/s" "progress on a terminal"
  expect_in tty.txt "% " "progress shows a percentage"
  expect_in tty.txt "left" "progress shows the time left"
  script -qec "'$MDE' replay big.mdecap --pace 400x --quiet" /dev/null > tty.txt
  expect_in tty.txt "replay " "replay progress on a terminal"
  expect_in tty.txt "left" "replay progress shows the time left"
fi

if [ "$FAILED" -ne 0 ]; then
  echo "$FAILED check(s) failed"
  exit 1
fi
echo "all checks passed"
