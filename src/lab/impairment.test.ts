import { describe, expect, it } from '@jest/globals';
import {
  describeImpairment,
  impairmentScript,
  netemArgs,
  parseImpairment,
  parseImpairments,
} from './impairment.js';

describe('impairment', () => {
  it('reads delay, jitter, loss, duplication, reordering and rate', () => {
    const impairment = parseImpairment('delay=50ms, jitter=10ms,loss=5%,duplicate=1%,reorder=25,rate=2mbit');
    expect(impairment).toEqual({
      delayMs: 50,
      jitterMs: 10,
      lossPercent: 5,
      duplicatePercent: 1,
      reorderPercent: 25,
      rateKbit: 2000,
    });
    expect(netemArgs(impairment)).toEqual([
      'netem',
      'delay',
      '50ms',
      '10ms',
      'loss',
      '5%',
      'duplicate',
      '1%',
      'reorder',
      '25%',
      'rate',
      '2000kbit',
    ]);
    expect(parseImpairment('delay=0.2s').delayMs).toBe(200);
    expect(describeImpairment(parseImpairment('delay=50ms,jitter=5ms,loss=10%'))).toBe(
      'delay 50 ms ± 5 ms, loss 10 %',
    );
  });

  it('refuses what netem cannot do, saying what to write', () => {
    expect(() => parseImpairment('lose=5%')).toThrow(/unknown key "lose"/);
    expect(() => parseImpairment('loss=105%')).toThrow(/"105%" is not a value here/);
    expect(() => parseImpairment('delay=fast')).toThrow(/is not a value here/);
    expect(() => parseImpairment('jitter=5ms')).toThrow(/give delay too/);
    expect(() => parseImpairment('reorder=5%')).toThrow(/give delay too/);
    expect(() => parseImpairment('')).toThrow(/says nothing/);
    expect(() => parseImpairments(['loss=5%'])).toThrow(/start with the host/);
  });

  it('reads one impairment per host', () => {
    expect(parseImpairments(['alice:loss=5%;server:rate=500kbit', 'bob:delay=1s'])).toEqual({
      alice: { lossPercent: 5 },
      server: { rateKbit: 500 },
      bob: { delayMs: 1000 },
    });
  });

  it('drops a share of the frames on the bridge both ways, and queues the rest with netem or tbf', () => {
    const loss = impairmentScript('lab_alice', '42', { lossPercent: 12.5 });
    expect(loss).toContain('$1==i {print $2}');
    expect(loss).toContain('-v i=42');
    expect(loss).toContain(
      'nft add rule bridge chatlab lab_alice numgen random mod 10000 lt 1250 counter drop',
    );
    expect(loss).toContain('iifname "$dev" jump lab_alice');
    expect(loss).toContain('oifname "$dev" jump lab_alice');
    expect(loss).toContain('tc qdisc del dev "$dev" root'); // no queueing: the port's qdisc is left alone
    expect(impairmentScript('c', '7', { delayMs: 40 })).toContain(
      'tc qdisc replace dev "$dev" root netem delay 40ms',
    );
    expect(impairmentScript('c', '7', { rateKbit: 800 })).toContain('root tbf rate 800kbit');
    const clear = impairmentScript('c', '7', null);
    expect(clear).toContain('nft flush chain bridge chatlab c');
    expect(clear).not.toContain('drop');
  });
});
