import { describe, expect, it } from '@jest/globals';
import { OFFLOADS_OFF } from '../lab/index.js';
import { offloadsOf } from './capture-session.js';

// A sidecar's output over two starts of the lab's capture command (OFFLOADS_OFF, then tcpdump).
const OK = 'chatlab-capture: offloads off on eth0 (tx checksumming, TSO, GSO, GRO)';
const FAILED =
  'chatlab-capture: WARNING: could not turn offloads off on eth0; the capture may show frames over the MTU and incorrect checksums';
const TCPDUMP = 'tcpdump: listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes';
const STOP = '12 packets captured\n12 packets received by filter\n0 packets dropped by kernel';

describe('offloadsOf: what run.json records of a sidecar', () => {
  it('reads the line the lab prints, the last start counting', () => {
    expect(OFFLOADS_OFF).toContain(OK.slice(0, 40)); // the same words the sidecar prints
    expect(OFFLOADS_OFF).toContain(FAILED.slice(0, 60));
    expect(offloadsOf([OK, TCPDUMP, STOP].join('\n'))).toBe('off');
    expect(offloadsOf([FAILED, TCPDUMP, STOP].join('\n'))).toBe('not-off');
    expect(offloadsOf([OK, TCPDUMP, STOP, FAILED, TCPDUMP, STOP].join('\n'))).toBe('not-off');
    expect(offloadsOf([FAILED, TCPDUMP, STOP, OK, TCPDUMP, STOP].join('\n'))).toBe('off');
  });

  it('says nothing when the sidecar did not say (an older lab, or no output)', () => {
    expect(offloadsOf([TCPDUMP, STOP].join('\n'))).toBeNull();
    expect(offloadsOf('')).toBeNull();
  });
});
