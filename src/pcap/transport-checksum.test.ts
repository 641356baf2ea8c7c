import { describe, expect, it } from '@jest/globals';
import { dissect } from './dissect.js';
import { buildTcpFrame, buildUdpFrame } from './frame-builder.js';
import { recordOf } from '../../test/support/test-frames.js';
import { checkIpv4Checksum, checkTransportChecksum } from './transport-checksum.js';

const TCP = { src: '10.77.0.11', dst: '10.77.0.10', srcPort: 45678, dstPort: 3300, seq: 1000, ack: 1 };

function checks(frame: Buffer): [string | undefined, string | undefined] {
  const packet = dissect(recordOf(frame));
  return [checkIpv4Checksum(packet)?.status, checkTransportChecksum(packet)?.status];
}

describe('checksums of IPv4, TCP and UDP (RFC 791, 9293, 768)', () => {
  it('finds the checksums the frame builder writes correct, for even and odd payloads', () => {
    for (const payload of ['', 'a', 'SAY general hello\n', 'x'.repeat(1001)]) {
      expect(checks(buildTcpFrame({ ...TCP, flags: 'PA', payload }))).toEqual(['correct', 'correct']);
      const udp = buildUdpFrame({ ...TCP, payload: Buffer.from(payload) });
      expect(checks(udp)).toEqual(['correct', 'correct']);
    }
  });

  it('says incorrect, with the value that should be there, when a covered byte changes', () => {
    const frame = buildTcpFrame({ ...TCP, flags: 'PA', payload: 'hello\n' });
    const good = checkTransportChecksum(dissect(recordOf(frame)));
    const bad = Buffer.from(frame);
    bad[bad.length - 2] = 0x41; // a payload byte: the TCP checksum covers it, the IP one does not
    const check = checkTransportChecksum(dissect(recordOf(bad)));
    expect(check).toMatchObject({ layer: 'tcp', status: 'incorrect', value: good?.value, fieldOffset: 50 });
    expect(check?.expected).not.toBe(good?.value);
    expect(checkIpv4Checksum(dissect(recordOf(bad)))?.status).toBe('correct');
    // A source address byte: both the IPv4 header and the TCP pseudo-header cover it.
    const moved = Buffer.from(frame);
    moved[29] = 99;
    expect(checks(moved)).toEqual(['incorrect', 'incorrect']);
  });

  it('fixing the field to the expected value makes it correct (what tx offload would have done)', () => {
    const frame = buildTcpFrame({ ...TCP, flags: 'PA', payload: 'abc' });
    const zeroed = Buffer.from(frame);
    zeroed.writeUInt16BE(0, 50);
    const check = checkTransportChecksum(dissect(recordOf(zeroed)));
    expect(check?.status).toBe('incorrect');
    zeroed.writeUInt16BE(check?.expected ?? 0, 50);
    expect(checks(zeroed)).toEqual(['correct', 'correct']);
  });

  it('a UDP checksum of 0 is absent, not incorrect', () => {
    const frame = buildUdpFrame({ ...TCP, payload: Buffer.from('ping') });
    frame.writeUInt16BE(0, 40);
    expect(checkTransportChecksum(dissect(recordOf(frame)))?.status).toBe('absent');
  });

  it('cannot verify a segment the capture cut short or a TSO buffer without an IP length', () => {
    const frame = buildTcpFrame({ ...TCP, flags: 'PA', payload: 'x'.repeat(200) });
    expect(checkTransportChecksum(dissect(recordOf(frame.subarray(0, 100))))?.status).toBe('unverifiable');
    const tso = Buffer.from(frame);
    tso.writeUInt16BE(0, 16);
    expect(checkTransportChecksum(dissect(recordOf(tso)))?.status).toBe('unverifiable');
  });

  it('takes a TCP checksum of 0xffff where 0x0000 is computed as correct: the same zero, as Linux writes it', () => {
    // A SYN-ACK from a lab capture (the server's, tx offload off): Linux filled in the checksum itself and, the
    // sum coming out 0, wrote 0xffff (CSUM_MANGLED_0). Wireshark flags it (RFC 1624); a receiver accepts it.
    const synAck = Buffer.from(
      '02420a4d670b02420a4d670a0800450000 3c00004000400658 0d0a4d670a0a4d670b0ce4cb2c50abb74ca60a45d6a012fe88ffff0000020405b40402080a98d6935bfec26fd601030 30a'.replace(
        / /g,
        '',
      ),
      'hex',
    );
    const check = checkTransportChecksum(dissect(recordOf(synAck)));
    expect(check).toMatchObject({ layer: 'tcp', status: 'correct', value: 0xffff, expected: 0 });
    synAck.writeUInt16BE(0x0000, 50); // the other way to write zero
    expect(checks(synAck)).toEqual(['correct', 'correct']);
    synAck.writeUInt16BE(0xfffe, 50);
    expect(checks(synAck)).toEqual(['correct', 'incorrect']);
  });
});
