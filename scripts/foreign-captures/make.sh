#!/usr/bin/env bash
# Makes the report's foreign-protocol fixtures without Docker (test/report/fixtures/README.md):
#   irc-session/          Debian's ngircd with two ii clients: channel, topic, messages, a private message,
#                         WHO, and a DCC SEND offer followed by the file over a direct client-to-client TCP
#   python-chat-session/  examples/python-chat's server with two clients
# Each lab is three network namespaces (server, alice, bob) on a bridge in a fourth one (so nothing touches
# this machine's own network), private 10.77.4x.0/24 addresses, tcpdump on each host's veth with offloads
# off (ethtool), one <host>.pcap per host in <lab>/captures/ and a run.json, as the lab writes them.
# Needs root, ip, ethtool, tcpdump, nc (netcat-openbsd), python3, ngircd and ii:
#   apt-get install ngircd ii ethtool tcpdump netcat-openbsd
# Usage: scripts/foreign-captures/make.sh [output folder]   (default: test/report/fixtures)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=$(realpath -m "${1:-$repo/test/report/fixtures}")
for tool in ip ethtool tcpdump nc python3 ngircd ii; do
  command -v "$tool" >/dev/null || { echo "make.sh: $tool is missing; apt-get install ngircd ii ethtool tcpdump netcat-openbsd" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "make.sh: run as root (it creates network namespaces)" >&2; exit 1; }

tmp=$(mktemp -d)
pids=()
namespaces=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

# lab <prefix> <subnet base, e.g. 10.77.40>: namespaces <prefix>-sw (the bridge), <prefix>-server, -alice, -bob.
lab() {
  local prefix=$1 base=$2 i=10
  ip netns add "$prefix-sw"
  namespaces+=("$prefix-sw")
  ip -n "$prefix-sw" link add br0 type bridge
  ip -n "$prefix-sw" link set br0 up
  for host in server alice bob; do
    local ns="$prefix-$host"
    ip netns add "$ns"
    namespaces+=("$ns")
    ip -n "$ns" link add eth0 type veth peer name "p-$host" netns "$prefix-sw"
    ip -n "$ns" link set eth0 address "02:42:0a:4d:$(printf %02x "${base##*.}"):$(printf %02x $i)"
    ip -n "$ns" addr add "$base.$i/24" dev eth0
    ip -n "$ns" link set lo up
    ip -n "$ns" link set eth0 up
    ip -n "$prefix-sw" link set "p-$host" master br0 up
    ip netns exec "$ns" ethtool -K eth0 tx off rx off tso off gso off gro off >/dev/null 2>&1 || true
    i=$((i + 1))
  done
  sleep 1 # the bridge ports forward
}

# capture <prefix> <folder>: tcpdump on each host's eth0 into <folder>/captures/<host>.pcap
capture() {
  mkdir -p "$2/captures"
  for host in server alice bob; do
    ip netns exec "$1-$host" tcpdump -i eth0 -U -s 0 -w "$2/captures/$host.pcap" 2>"$tmp/tcpdump-$host.log" &
    pids+=($!)
  done
  sleep 1.5
}

# stop_capture: tcpdump and the programs end (SIGTERM: tcpdump flushes its file; a background job ignores SIGINT)
stop_capture() {
  sleep 1
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
}

# counts: tcpdump's own "packets captured" and "packets dropped by kernel" per host, as run.json's captures
counts() {
  local sep=''
  for host in server alice bob; do
    local log="$tmp/tcpdump-$host.log"
    printf '%s{ "host": "%s", "file": "captures/%s.pcap", "captured": %s, "dropped": %s }' "$sep" "$host" "$host" \
      "$(sed -n 's/^\([0-9]*\) packets\? captured$/\1/p' "$log")" "$(sed -n 's/^\([0-9]*\) packets\? dropped by kernel$/\1/p' "$log")"
    sep=', '
  done
}

run_json() { # <folder> <scenario> <subnet base> <port> <framing> <steps json>
  cat >"$1/run.json" <<JSON
{
  "scenario": "$2",
  "startedAt": "$(date -u +%Y-%m-%dT%H:%M:%S.000Z)",
  "finishedAt": "$(date -u +%Y-%m-%dT%H:%M:%S.000Z)",
  "lab": {
    "subnet": "$3.0/24",
    "serverPort": $4,
    "app": { "port": $4, "transport": "tcp", "framing": "$5", "protocol": null },
    "hosts": [
      { "name": "server", "role": "server", "ip": "$3.10", "mac": "02:42:0a:4d:$(printf %02x "${3##*.}"):0a" },
      { "name": "alice", "role": "client", "ip": "$3.11", "mac": "02:42:0a:4d:$(printf %02x "${3##*.}"):0b" },
      { "name": "bob", "role": "client", "ip": "$3.12", "mac": "02:42:0a:4d:$(printf %02x "${3##*.}"):0c" }
    ]
  },
  "captures": [ $(counts) ],
  "steps": $6
}
JSON
  # formatted as the repository's prettier wants it, when it is installed (npm install)
  (cd "$repo" && npx --no-install prettier --write "$1/run.json" >/dev/null 2>&1) || true
}

say() { printf '%s\n' "$2" >"$1"; sleep 0.6; } # one line into an ii fifo

# --- (a) IRC: ngircd and two ii clients ------------------------------------------------------------------
irc="$out/irc-session"
rm -rf "$irc"
lab fi 10.77.40
capture fi "$irc"
ip netns exec fi-server ngircd -n -f "$repo/examples/irc/ngircd.conf" >"$tmp/ngircd.log" 2>&1 &
pids+=($!)
sleep 1.5
ip netns exec fi-alice ii -s 10.77.40.10 -p 6667 -n alice -f "Alice Lab" -i "$tmp/ii-alice" &
pids+=($!)
ip netns exec fi-bob ii -s 10.77.40.10 -p 6667 -n bob -f "Bob Lab" -i "$tmp/ii-bob" &
pids+=($!)
sleep 2.5
a="$tmp/ii-alice/10.77.40.10"
b="$tmp/ii-bob/10.77.40.10"
say "$a/in" '/j #lab'
say "$b/in" '/j #lab'
sleep 1
say "$a/#lab/in" '/t Networks lab: IRC on TCP 6667'
say "$a/#lab/in" 'hello from alice'
say "$b/#lab/in" 'hi alice, bob here'
say "$a/in" '/j bob are you there? (a private message)'
say "$b/in" '/WHO #lab' # ii sends an unknown /command raw
printf 'chatlab DCC test file: the bytes travel client to client, not through ngircd.\n' >"$tmp/notes.txt"
size=$(stat -c %s "$tmp/notes.txt")
ip netns exec fi-alice nc -N -l 10.77.40.11 5050 <"$tmp/notes.txt" &
dcc=$!
sleep 0.5
# DCC SEND <file> <ip as a 32-bit number> <port> <size>, inside CTCP \x01 quotes (the CTCP/DCC convention)
say "$a/in" "$(printf '/PRIVMSG bob :\001DCC SEND notes.txt %d 5050 %d\001' $(( (10 << 24) + (77 << 16) + (40 << 8) + 11 )) "$size")"
ip netns exec fi-bob nc -d -w 5 10.77.40.11 5050 >"$tmp/received.txt"
wait "$dcc" || true
cmp "$tmp/notes.txt" "$tmp/received.txt" || { echo "make.sh: the DCC file did not arrive whole" >&2; exit 1; }
say "$b/#lab/in" 'got notes.txt, thanks'
say "$b/in" '/q bye'
say "$a/in" '/q bye'
sleep 1
stop_capture
run_json "$irc" irc-session 10.77.40 6667 line \
  '["alice and bob (ii) connect to ngircd and join #lab", "alice sets the topic; both talk in #lab; alice sends bob a private message; bob asks WHO #lab", "alice offers notes.txt by DCC SEND and bob fetches it from alice directly (TCP 5050)", "both quit"]'
for ns in fi-sw fi-server fi-alice fi-bob; do ip netns del "$ns"; done
namespaces=()

# --- (b) the Python chat: examples/python-chat/server.py and two client.py -------------------------------
py="$out/python-chat-session"
rm -rf "$py"
lab fp 10.77.41
capture fp "$py"
ip netns exec fp-server python3 -u "$repo/examples/python-chat/server.py" 5000 >"$tmp/pychat.log" 2>&1 &
pids+=($!)
sleep 1
mkfifo "$tmp/alice.in" "$tmp/bob.in"
ip netns exec fp-alice python3 -u "$repo/examples/python-chat/client.py" 10.77.41.10 5000 <"$tmp/alice.in" >"$tmp/alice.out" &
pids+=($!)
exec 7>"$tmp/alice.in"
ip netns exec fp-bob python3 -u "$repo/examples/python-chat/client.py" 10.77.41.10 5000 <"$tmp/bob.in" >"$tmp/bob.out" &
pids+=($!)
exec 8>"$tmp/bob.in"
sleep 1
type() { printf '%s\n' "$2" >&"$1"; sleep 0.6; }
type 7 '/nick alice'
type 7 'hello everyone'
type 7 'is anyone here?'
type 8 '/nick bob' # the server replays the two lines above after its OK: replies glued into one segment
type 8 'hi alice'
type 7 '/msg bob a private hello'
type 8 '/list'
type 7 '/msg carol anyone?'
type 8 '/quit'
type 7 '/quit'
exec 7>&- 8>&-
sleep 1
stop_capture
run_json "$py" python-chat-session 10.77.41 5000 segment \
  '["alice and bob start python3 -u client.py 10.77.41.10 5000; alice chooses her name with /nick and says two lines", "bob chooses his name and gets them replayed; they talk (broadcast), alice sends bob /msg, bob asks /list, alice writes to an absent carol", "both /quit"]'
grep -q 'hi alice' "$tmp/alice.out" || { echo "make.sh: alice never got bob's broadcast" >&2; exit 1; }
ls -l "$irc/captures" "$py/captures"
