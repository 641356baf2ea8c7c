import { describe, expect, it } from '@jest/globals';
import { Ipv4Subnet } from './ipv4-subnet.js';

describe('Ipv4Subnet', () => {
  it('parses CIDR and counts host offsets from the network address', () => {
    const subnet = Ipv4Subnet.parse('10.77.0.0/24');
    expect(subnet.host(10)).toBe('10.77.0.10');
    expect(subnet.offsetOf('10.77.0.13')).toBe(13);
    expect(Ipv4Subnet.parse('172.20.16.0/20').host(300)).toBe('172.20.17.44');
  });

  it('refuses the network and broadcast addresses and malformed input', () => {
    const subnet = Ipv4Subnet.parse('10.77.0.0/24');
    expect(() => subnet.host(0)).toThrow();
    expect(() => subnet.host(255)).toThrow();
    expect(() => Ipv4Subnet.parse('10.77.0/24')).toThrow(/not an IPv4 subnet/);
    expect(() => Ipv4Subnet.parse('10.77.0.0/31')).toThrow(/not an IPv4 subnet/);
  });
});
