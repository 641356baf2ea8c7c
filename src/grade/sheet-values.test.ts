import { describe, expect, it } from '@jest/globals';
import { readIp, readIps, readNumber, readNumbers, readRange, readTransport } from './sheet-values.js';

describe('tolerant reading of typed answers', () => {
  it('reads an address with spaces, words around it, or not at all', () => {
    expect(readIp('10.77.0.10 ')).toBe('10.77.0.10');
    expect(readIp('IP: 10.077.0.10')).toBe('10.77.0.10');
    expect(readIp('10.77.0.300')).toBeNull();
    expect(readIp('the server')).toBeNull();
    expect(readIps('10.0.0.11, 10.0.0.12 e 10.0.0.13')).toEqual(['10.0.0.11', '10.0.0.12', '10.0.0.13']);
  });

  it('reads the transport in any case, and refuses both or neither', () => {
    expect(readTransport('TCP')).toBe('TCP');
    expect(readTransport('tcp')).toBe('TCP');
    expect(readTransport('Udp.')).toBe('UDP');
    expect(readTransport('TCP ou UDP')).toBeNull();
    expect(readTransport('tcpip')).toBeNull();
  });

  it('reads byte ranges as students write them, both ends included', () => {
    for (const text of ['0-13', '0–13', '0 — 13', 'bytes 0 a 13', '0 to 13', '0..13', 'bytes 0 até 13'])
      expect(readRange(text)).toEqual({ from: 0, to: 13 });
    expect(readRange('13-0')).toBeNull();
    expect(readRange('14')).toBeNull();
  });

  it('reads lists of numbers and ranges of frames, and one number alone', () => {
    expect(readNumbers('47452, 33290')).toEqual([47452, 33290]);
    expect(readNumbers('#12 #14, frames 20-22')).toEqual([12, 14, 20, 21, 22]);
    expect(readNumber('porta 3300')).toBe(3300);
    expect(readNumber('3300 ou 3301')).toBeNull();
  });
});
