#!/bin/sh
# The state directory with the real executables: --version of the device and
# of both test images, the first start installing itself as slot a and running from there, a
# new image in slot b started on probation and rolled back when it cannot rejoin, and a new
# image killed on probation rolled back at the next start; then with a broker (mosquitto on a
# loopback port), a new image confirmed once it receives a frame, and the nojoin image rolled
# back although frames arrive. Every switch is an exec in the same process.
# Usage: boot_test.sh SIM SIM_V2 SIM_NOJOIN VERSION
set -u
SIM=$(readlink -f "$1"); V2=$(readlink -f "$2"); NOJOIN=$(readlink -f "$3"); VERSION=$4
DIR=$(mktemp -d /tmp/mqttvpn-boot-XXXXXX)
trap 'kill $PID 2>/dev/null; rm -rf "$DIR"' EXIT
PID=
passed=0 failed=0

ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $1: $2"; failed=$((failed + 1)); }

# Waits up to $2 tenths of a second for the shell condition $1.
wait_for() {
  n=0
  while ! eval "$1"; do
    n=$((n + 1)); [ $n -ge "$2" ] && return 1; sleep 0.1
  done
}

start() { # the device with the state dir, no broker (port 1 refuses), log in $DIR/log
  "$SIM" --broker tcp://127.0.0.1:1 --address 10.0.1.2 --state-dir "$DIR/state" "$@" > "$DIR/log" 2>&1 &
  PID=$!
}

stop() { kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; PID=; }

state() { tr '\n' ' ' < "$DIR/state/state"; }

# --- versions and the test images ---
[ "$("$SIM" --version)" = "mqttvpn-sim $VERSION" ] && ok "device --version" || not_ok "device --version" "$("$SIM" --version)"
[ "$("$V2" --version)" = "mqttvpn-sim $VERSION-ota-test" ] && ok "v2 image runs, --version" || not_ok "v2 --version" "$("$V2" --version)"
[ "$("$NOJOIN" --version)" = "mqttvpn-sim $VERSION-nojoin" ] && ok "nojoin image runs, --version" || not_ok "nojoin --version" "$("$NOJOIN" --version)"
[ "$(stat -c %s "$V2")" -ge 1048576 ] && ok "v2 image is at least 1 MiB" || not_ok "v2 size" "$(stat -c %s "$V2")"
if grep -q "SIM_TEST_WRONG_KEY" "$NOJOIN" && ! grep -q "SIM_TEST_WRONG_KEY" "$SIM" "$V2"; then
  ok "only the nojoin image has the wrong key"
else
  not_ok "wrong key" "SIM_TEST_WRONG_KEY is in the device or v2, or missing in nojoin"
fi

# --- first start: install as slot a, run from it (same process) ---
start
if wait_for 'grep -q "OTA off" "$DIR/log"' 50 && [ "$(readlink /proc/$PID/exe)" = "$DIR/state/slot-a" ] &&
   cmp -s "$SIM" "$DIR/state/slot-a" && [ "$(state)" = "mqttvpn-sim state 1 active a previous - pending 0 started 0 " ] &&
   grep -q "installed this executable as slot a" "$DIR/log"; then
  ok "first start installs itself as slot a and runs from it"
else
  not_ok "first start" "exe=$(readlink /proc/$PID/exe) state=$(state) log=$(cat "$DIR/log")"
fi
stop

# --- a new image (v2) in slot b, pending: runs on probation, cannot rejoin, rolls back ---
cp "$V2" "$DIR/state/slot-b"
printf 'mqttvpn-sim state 1\nactive b\nprevious a\npending 1\nstarted 0\n' > "$DIR/state/state"
start --rollback-timeout 1
if wait_for 'grep -q "version $VERSION-ota-test, slot b" "$DIR/log"' 50; then
  ok "a pending image is exec'ed by the launcher and runs on probation"
else
  not_ok "pending image" "$(cat "$DIR/log")"
fi
if wait_for 'grep -q "did not rejoin the VPN within 1 s; returning to slot a" "$DIR/log" &&
             grep -q "version $VERSION, slot a" "$DIR/log" && [ "$(readlink /proc/$PID/exe)" = "$DIR/state/slot-a" ]' 80 &&
   [ "$(state)" = "mqttvpn-sim state 1 active a previous - pending 0 started 0 " ]; then
  ok "a new image that cannot rejoin rolls back to slot a in the same process"
else
  not_ok "rollback at the deadline" "exe=$(readlink /proc/$PID/exe) state=$(state) log=$(cat "$DIR/log")"
fi
stop

# --- a new image killed on probation: the next start returns to slot a ---
printf 'mqttvpn-sim state 1\nactive b\nprevious a\npending 1\nstarted 0\n' > "$DIR/state/state"
start --rollback-timeout 600
wait_for 'grep -q "slot b is a new image" "$DIR/log"' 50
kill -9 "$PID"; wait "$PID" 2>/dev/null
if [ "$(state)" = "mqttvpn-sim state 1 active b previous a pending 1 started 1 " ]; then
  ok "a pending image marks its first start"
else
  not_ok "first start mark" "state=$(state)"
fi
start
if wait_for 'grep -q "version $VERSION, slot a" "$DIR/log"' 50 && grep -q "never confirmed; returning to slot a" "$DIR/log" &&
   [ "$(readlink /proc/$PID/exe)" = "$DIR/state/slot-a" ]; then
  ok "a new image killed on probation is rolled back at the next start"
else
  not_ok "rollback after a kill" "exe=$(readlink /proc/$PID/exe) log=$(cat "$DIR/log")"
fi
stop

# --- with a broker: a new image that rejoins is confirmed; the nojoin image never does ---
PORT=$((20000 + $$ % 20000))
mosquitto -p "$PORT" > "$DIR/mosquitto.log" 2>&1 &
BROKER=$!
trap 'kill $PID $BROKER 2>/dev/null; rm -rf "$DIR"' EXIT
# A plain frame (no key): an ICMP echo request from 10.0.1.1 to the device.
python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(
  "4500001c000100004001" "0000" "0a000101" "0a000102" "0800f7fe00010000"))' > "$DIR/frame"
ping_device() { mosquitto_pub -h 127.0.0.1 -p "$PORT" -t mqttip/10.0.1.2 -f "$DIR/frame" 2>/dev/null; }
start_with_broker() {
  "$SIM" --broker "tcp://127.0.0.1:$PORT" --address 10.0.1.2 --state-dir "$DIR/state" "$@" > "$DIR/log" 2>&1 &
  PID=$!
}

cp "$V2" "$DIR/state/slot-b"
printf 'mqttvpn-sim state 1\nactive b\nprevious a\npending 1\nstarted 0\n' > "$DIR/state/state"
start_with_broker --rollback-timeout 30
if wait_for 'ping_device; grep -q "image in slot b confirmed" "$DIR/log"' 100 &&
   [ "$(state)" = "mqttvpn-sim state 1 active b previous a pending 0 started 0 " ] &&
   [ "$(readlink /proc/$PID/exe)" = "$DIR/state/slot-b" ]; then
  ok "a new image that connects and receives a frame is confirmed"
else
  not_ok "confirmation" "state=$(state) log=$(cat "$DIR/log")"
fi
stop

cp "$NOJOIN" "$DIR/state/slot-a"
printf 'mqttvpn-sim state 1\nactive a\nprevious b\npending 1\nstarted 0\n' > "$DIR/state/state"
start_with_broker --rollback-timeout 3
if wait_for 'ping_device; grep -q "returning to slot b" "$DIR/log"' 100 && grep -q "connected to broker" "$DIR/log" &&
   wait_for 'grep -q "version $VERSION-ota-test, slot b" "$DIR/log"' 50 &&
   [ "$(readlink /proc/$PID/exe)" = "$DIR/state/slot-b" ] && ! grep -q "slot a confirmed" "$DIR/log"; then
  ok "the nojoin image connects, counts no frame, and rolls back"
else
  not_ok "nojoin rollback" "state=$(state) log=$(cat "$DIR/log")"
fi
stop

echo "boot: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
