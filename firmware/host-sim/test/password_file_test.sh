#!/bin/sh
# --password-file: the device reads the broker password from a file (a broker on a loopback
# port that lets in only user vpn with that password), keeps it off its command line, and
# refuses every file or combination it cannot use, with a one-line error and exit 2.
# Usage: password_file_test.sh SIM
set -u
SIM=$(readlink -f "$1")
DIR=$(mktemp -d /tmp/mqttvpn-pwfile-XXXXXX)
PID= BROKER=
trap 'kill $PID $BROKER 2>/dev/null; rm -rf "$DIR"' EXIT
passed=0 failed=0

ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $1: $2"; failed=$((failed + 1)); }

stop() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; PID=; }

# Waits up to $2 tenths of a second for the shell condition $1.
wait_for() {
  n=0
  while ! eval "$1"; do
    n=$((n + 1)); [ $n -ge "$2" ] && return 1; sleep 0.1
  done
}

# expect_refusal NAME MESSAGE ARGS...: the device exits 2 with MESSAGE on stderr.
expect_refusal() {
  name=$1 message=$2; shift 2
  "$SIM" --broker tcp://127.0.0.1:1 --address 10.0.1.2 "$@" > "$DIR/out" 2>&1
  rc=$?
  if [ "$rc" -eq 2 ] && grep -qF -- "$message" "$DIR/out" && [ "$(wc -l < "$DIR/out")" -eq 1 ]; then
    ok "$name"
  else
    not_ok "$name" "exit $rc: $(cat "$DIR/out")"
  fi
}

PASSWORD='s3cret pass!'
printf '%s\r\nnot part of it\n' "$PASSWORD" > "$DIR/broker.password"
printf 'wrong password\n' > "$DIR/wrong.password"
chmod 600 "$DIR"/*.password

# --- the password from the file opens the broker; ps does not show it ---
PORT=$((20000 + ($$ + 7) % 20000))
mosquitto_passwd -b -c "$DIR/passwd" vpn "$PASSWORD" 2>/dev/null
# mosquitto started by root runs as user mosquitto: let it reach its (hashed) password file
chmod 755 "$DIR"; chmod 644 "$DIR/passwd"
printf 'listener %s 127.0.0.1\nallow_anonymous false\npassword_file %s\n' "$PORT" "$DIR/passwd" > "$DIR/mosquitto.conf"
mosquitto -c "$DIR/mosquitto.conf" > "$DIR/mosquitto.log" 2>&1 &
BROKER=$!
wait_for "grep -qs 'running' '$DIR/mosquitto.log'" 50

"$SIM" --broker "tcp://127.0.0.1:$PORT" --address 10.0.1.2 --user vpn --password-file "$DIR/broker.password" \
  > "$DIR/log" 2>&1 &
PID=$!
if wait_for 'grep -q "connected to broker 127.0.0.1:$PORT" "$DIR/log"' 100; then
  ok "the broker password from --password-file (CRLF line end) opens the broker"
else
  not_ok "--password-file connects" "$(cat "$DIR/log")"
fi
CMDLINE=$(tr '\0' ' ' < "/proc/$PID/cmdline" 2>/dev/null)
case "$CMDLINE" in
  "") not_ok "no password on the command line" "the device is not running" ;;
  *"$PASSWORD"*) not_ok "no password on the command line" "$CMDLINE" ;;
  *) ok "the password is not on the device's command line" ;;
esac
stop

"$SIM" --broker "tcp://127.0.0.1:$PORT" --address 10.0.1.2 --user vpn --password-file "$DIR/wrong.password" \
  > "$DIR/log" 2>&1 &
PID=$!
if wait_for 'grep -q "refused the connection" "$DIR/log"' 100 && ! grep -q "connected to broker" "$DIR/log"; then
  ok "a wrong password from the file is refused by the broker"
else
  not_ok "wrong password" "$(cat "$DIR/log")"
fi
stop

# --- files and combinations it refuses ---
mkfifo "$DIR/fifo"
: > "$DIR/empty"
head -c 4097 /dev/zero | tr '\0' x > "$DIR/big"
expect_refusal "a missing file is named with the reason" \
  "--password-file: $DIR/missing does not exist" --user vpn --password-file "$DIR/missing"
expect_refusal "a directory is refused" "--password-file: $DIR is a directory" --user vpn --password-file "$DIR"
expect_refusal "a FIFO is refused without blocking" "$DIR/fifo is not a regular file (a pipe" --user vpn --password-file "$DIR/fifo"
expect_refusal "an empty file is refused" "the first line of $DIR/empty is empty" --user vpn --password-file "$DIR/empty"
expect_refusal "a file over 4096 bytes is refused" "is longer than 4096 bytes" --user vpn --password-file "$DIR/big"
expect_refusal "--password and --password-file exclude each other" \
  "--password-file: give either --password or --password-file, not both" \
  --user vpn --password x --password-file "$DIR/broker.password"
expect_refusal "--password-file needs --user" "--password-file: needs --user" --password-file "$DIR/broker.password"

echo "password-file: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
