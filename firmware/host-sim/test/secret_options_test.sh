#!/bin/sh
# The device's secret options with files that could block or never end, a directory, a big
# file and a key over the limit: each must end the device at once with exit 2 and one line
# naming the option and the file. `timeout` stands guard: a device that blocks or reads
# forever is killed, and the case fails. Then a good key file, and -k over the limit.
# Usage: secret_options_test.sh SIM
set -u
SIM=$(readlink -f "$1")
DIR=$(mktemp -d /tmp/mqttvpn-secret-options-XXXXXX)
trap 'rm -rf "$DIR"' EXIT
passed=0 failed=0

ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $1: $2"; failed=$((failed + 1)); }

mkfifo "$DIR/key.fifo"
mkdir "$DIR/keys"
head -c 100000 /dev/zero > "$DIR/big"
printf '%02000d\n' 0 > "$DIR/long"
printf 'good key\r\n# a comment\n' > "$DIR/good"

# refused OPTION FILE MESSAGE: exit 2 within 10 s, stderr "mqttvpn-sim: OPTION: MESSAGE..."
refused() {
  timeout 10 "$SIM" --broker tcp://127.0.0.1:1 --address 10.0.1.2 "$1" "$2" > "$DIR/out" 2> "$DIR/err"
  rc=$?
  if [ $rc -eq 2 ] && [ "$(wc -l < "$DIR/err")" -eq 1 ] && grep -qF "mqttvpn-sim: $1: $3" "$DIR/err"; then
    ok "$1 $2: $3"
  else
    not_ok "$1 $2" "exit $rc (124: timed out), stderr: $(cat "$DIR/err")"
  fi
}

for opt in --key-file --ota-password-file; do
  refused $opt /dev/zero "/dev/zero is not a regular file (a pipe, a socket or a device)"
  refused $opt /dev/urandom "/dev/urandom is not a regular file"
  refused $opt "$DIR/key.fifo" "$DIR/key.fifo is not a regular file"
  refused $opt "$DIR/keys" "$DIR/keys is a directory"
  refused $opt "$DIR/big" "$DIR/big is longer than 4096 bytes"
  refused $opt "$DIR/long" "the first line of $DIR/long is longer than 1024 bytes (2000)"
  refused $opt "$DIR/missing" "$DIR/missing does not exist"
done

# A good key file is taken (the next error, about --gateway, comes after it was read).
timeout 10 "$SIM" --broker tcp://127.0.0.1:1 --address 10.0.1.2 --key-file "$DIR/good" --gateway x > "$DIR/out" 2> "$DIR/err"
rc=$?
if [ $rc -eq 2 ] && grep -qF "mqttvpn-sim: --gateway: 'x' is not an IPv4 address" "$DIR/err"; then
  ok "--key-file with a good key file is taken"
else
  not_ok "--key-file good" "exit $rc, stderr: $(cat "$DIR/err")"
fi

timeout 10 "$SIM" --broker tcp://127.0.0.1:1 --address 10.0.1.2 -k "$(cat "$DIR/long")" > "$DIR/out" 2> "$DIR/err"
rc=$?
if [ $rc -eq 2 ] && grep -qF "mqttvpn-sim: --key: the key is longer than 1024 bytes (2000)" "$DIR/err"; then
  ok "-k over the limit is refused"
else
  not_ok "-k over the limit" "exit $rc, stderr: $(cat "$DIR/err")"
fi

echo "secret options: $passed passed, $failed failed"
[ $failed -eq 0 ]
