#!/usr/bin/env python3
"""Seed inputs for the fuzz targets, in each target's input format, from the classic test
vectors (frames computed with libsodium) and packets built here: make_seeds.py VECTORS OUT.

Writes OUT/<target>/<name>. `make merge` folds them into corpus/<target> (libFuzzer
-merge=1 keeps only those that add coverage). The reassembly seeds cut real frames into
2..12 fragments, the way esp-mqtt delivers them, so that the fuzzer starts from messages
that complete."""
import json
import os
import struct
import sys

MTU = 1500


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ipv4(src, dst, proto, payload):
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0x1234, 0x4000, 64, proto, 0,
                         bytes(src), bytes(dst))
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    return header + payload


def echo4(src, dst, size):
    body = bytes(i & 0xFF for i in range(size))
    icmp = struct.pack("!BBHHH", 8, 0, 0, 0x4D51, 1) + body
    icmp = icmp[:2] + struct.pack("!H", checksum(icmp)) + icmp[4:]
    return ipv4(src, dst, 1, icmp)


def tcp_syn4(src, dst, port):
    tcp = struct.pack("!HHIIBBHHH", 40000, port, 1, 0, 5 << 4, 0x02, 65535, 0, 0)
    pseudo = bytes(src) + bytes(dst) + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
    return ipv4(src, dst, 6, tcp)


def udp4(src, dst, port, payload):
    return ipv4(src, dst, 17, struct.pack("!HHHH", 40000, port, 8 + len(payload), 0) + payload)


def with_dst(packet, dst):
    """The packet re-addressed (the netif target's fix-up flag repairs the checksums)."""
    if packet[0] >> 4 == 4:
        return packet[:16] + bytes(dst) + packet[20:]
    return packet[:24] + bytes(dst) + packet[40:]


def write(out, target, name, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def reasm_message(topic_sel, flags, content, n):
    """A `message` operation: content cut into n nearly even pieces."""
    cuts = b"".join(struct.pack("!H", len(content) * i // n) for i in range(1, n))
    return bytes([0, topic_sel, flags]) + struct.pack("!HB", len(content), n - 1) + content + cuts


def main():
    vectors, out = sys.argv[1], sys.argv[2]
    with open(vectors, encoding="utf-8") as f:
        v = json.load(f)
    frames = [(f["name"], bytes.fromhex(f["frame_hex"]), bytes.fromhex(f["packet_hex"]),
               bytes.fromhex(f["nonce_hex"])) for f in v["frames"] if f["password"] == "secret"]
    rejects = [(r["name"], bytes.fromhex(r["frame_hex"])) for r in v["reject"]]
    a1, a2, b2, nat = [10, 0, 1, 1], [10, 0, 1, 2], [10, 0, 2, 2], [10, 0, 9, 9]
    fd2 = bytes.fromhex("fd000000000000000000000000000002")
    built = [("echo4", echo4(a1, a2, 56)), ("tcp-syn", tcp_syn4(a1, a2, 80)),
             ("udp-closed-port", udp4(a1, a2, 9, b"hello")), ("echo4-forwarded", echo4(a1, [10, 0, 5, 5], 56)),
             ("echo4-nat", echo4(a1, nat, 56))]

    for name, frame, packet, nonce in frames:
        write(out, "open", name + "-keyed", b"\x00" + frame)
        write(out, "open", name + "-in-place", b"\x04" + frame)
        write(out, "open", name + "-plain", b"\x01" + packet)
        write(out, "open", name + "-sealed", b"\x02\x00\x00" + nonce + packet)
        write(out, "open", name + "-sealed-flipped", b"\x03\x01\x40" + nonce + packet)
        write(out, "open", name + "-nonzero-pad", b"\x00" + frame[:24] + b"\xaa" + frame[25:])
        write(out, "packet_check", name, struct.pack("!H", MTU) + packet)
        write(out, "packet_check", name + "-small-mtu", struct.pack("!H", len(packet) - 1) + packet)
        write(out, "topic", name + "-packet", bytes([2, 120, 6]) + b"mqttip" + packet)
        write(out, "topic", name + "-packet-no-room", bytes([2, 14, 6]) + b"mqttip" + packet)
        if packet[0] >> 4 == 6:
            write(out, "topic", name + "-v6", bytes([1, 120, 6]) + b"mqttip" + packet[24:40])
            write(out, "netif_input", name, bytes([3 << 1]) + frame)
        else:
            write(out, "topic", name + "-v4", bytes([0, 120, 6]) + b"mqttip" + packet[16:20])
            write(out, "netif_input", name, bytes([0]) + frame)
        for n in (2, 3, 5, 12):
            write(out, "reasm", "%s-in-%d" % (name, n), reasm_message(0, 0, frame, n))
        write(out, "reasm", name + "-empty-first", reasm_message(1, 1, frame, 3))
        write(out, "reasm", name + "-topic-on-all", reasm_message(2, 2, frame, 4))
        # stopped after one fragment, then the next message whole
        partial = bytes([3]) + reasm_message(3, 0, frame, 4)[1:] + bytes([1])
        write(out, "reasm", name + "-interrupted", partial + reasm_message(4, 0, frame, 2))
    for name, frame in rejects:
        write(out, "open", "reject-" + name, b"\x00" + frame)
        write(out, "netif_input", "reject-" + name, b"\x00" + frame)
    for name, packet in built:
        sel = 2 if name.endswith("nat") else 0
        write(out, "netif_input", name + "-sealed", bytes([0x30 | sel << 1]) + packet)
        write(out, "netif_input", name + "-plain", bytes([0x21]) + with_dst(packet, b2))
        write(out, "packet_check", name, struct.pack("!H", MTU) + packet)
    write(out, "netif_input", "echo6-sealed", bytes([0x30 | 3 << 1]) + with_dst(
        bytes.fromhex(v["frames"][3]["packet_hex"]), fd2))
    write(out, "netif_input", "broadcast", bytes([0x30 | 1 << 1]) + udp4(a1, [255] * 4, 9, b"x"))
    write(out, "netif_input", "unknown-topic", bytes([7 << 1, 9]) + b"mqttip/x" + bytes(frames[0][1]))
    # reassembly: a message longer than the buffer, and odd single events
    write(out, "reasm", "too-long", reasm_message(0, 0, bytes(1800), 3))
    write(out, "reasm", "raw-empty-null", bytes([4, 0]) + struct.pack("!hhhB", 0, 0, 200, 2))
    write(out, "reasm", "raw-negative", bytes([4, 0]) + struct.pack("!hhhB", -1, 0, 10, 0))
    write(out, "reasm", "reset", bytes([3]) + reasm_message(0, 0, frames[0][1], 3)[1:] + bytes([1, 5]))
    # the message queue: cap 64, room for 4 slots; push, peek, release, reserve/fill/commit
    q = bytes([64]) + struct.pack("!H", 4 * 8 * 32) + b"\x00"
    push = lambda kind, tlen, data: bytes([0, kind, tlen, len(data)]) + data
    ops = push(0, 15, b"frame") + push(1, 20, b"") + bytes([3, 0, 0, 0]) + bytes([4, 0, 0, 0]) \
        + bytes([1, 0, 0, 0]) + bytes([2, 2, 10, 3]) + b"abc" + bytes([4, 0, 0, 0]) * 3
    write(out, "msgq", "push-peek-release", q + ops)
    write(out, "msgq", "wrap", bytes([8]) + struct.pack("!H", 2 * 200) + b"\x01" + ops * 3)
    write(out, "msgq", "full", bytes([8]) + struct.pack("!H", 200) + b"\x00" + push(0, 3, b"a") * 4)
    write(out, "msgq", "too-long", q + push(0, 200, b"") + push(0, 3, bytes(70)))
    # topics: prefixes at and past the limit, wildcards, IPv6 with runs of zeros
    write(out, "topic", "prefix-max", bytes([0, 120, 64]) + b"p" * 64 + bytes([10, 0, 1, 2]))
    write(out, "topic", "prefix-wildcard", bytes([0, 120, 5]) + b"mq#tt" + bytes(4))
    for addr in ("fd000000000000000000000000000002", "00000000000000000000ffff0a000102",
                 "20010db8000000010000000000000001", "00000000000000000000000000000000"):
        write(out, "topic", "v6-" + addr, bytes([1, 120, 6]) + b"mqttip" + bytes.fromhex(addr))


if __name__ == "__main__":
    main()
