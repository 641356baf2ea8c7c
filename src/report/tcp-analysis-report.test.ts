import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { twoClientSession } from '../../test/support/test-session.js';
import { writeReport } from './write-report.js';
import { lossySession } from '../../test/support/tcp-analysis/test-scenarios.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('the report on a lossy link', () => {
  it('names the fast retransmission, the duplicate ACKs and the lost datagram by frame', async () => {
    const session = lossySession();
    dir = await session.capture.write(await mkdtemp(join(tmpdir(), 'report-lossy-')));
    const { answers, files } = await writeReport(dir, { lang: 'en' });
    const [stream] = answers.tcpAnalysis.streams;
    expect(stream).toMatchObject({ clientHost: 'alice', serverHost: 'server', maxDuplicateAcks: 3 });
    expect(stream?.frames.fast_retransmission).toEqual([session.retransmission]);
    expect(stream?.frames.duplicate_ack).toEqual(session.duplicateAcks);
    expect(answers.tcpAnalysis.totals).toEqual({
      retransmission: 1,
      fast_retransmission: 1,
      duplicate_ack: 3,
    });
    expect(answers.tcpAnalysis.udp).toMatchObject({ datagrams: 5, checked: 5, lostCount: 1 });
    expect(answers.tcpAnalysis.udp.lost.map((d) => [d.frame, d.from, d.to])).toEqual([
      [session.lostDatagram, 'alice', 'server'],
    ]);
    const markdown = await readFile(files.markdown, 'utf8');
    expect(markdown).toContain('## TCP analysis: what TCP did about the network');
    expect(markdown).toContain(`frame ${session.retransmission}: a fast retransmission`);
    expect(markdown).toContain(`frames ${session.duplicateAcks.join(', ')} (3 in all): a duplicate ACK`);
    expect(markdown).toContain(`frame ${session.lostDatagram}. Nothing on the wire`);
    // The section sits between the message sequence chart and the hosts table.
    const order = ['## Message sequence', '## TCP analysis', '## Traffic per host'].map((h) =>
      markdown.indexOf(h),
    );
    expect(order).toEqual([...order].sort((a, z) => a - z));
    const html = await readFile(files.html, 'utf8');
    expect(html).toMatch(/<figure id="tcp-graph-0"><svg[^>]*class="tcp-graph"/);
    expect(html).toContain('class="segment-retransmission"');
    expect(html).toContain('class="ack-line"');
  });

  it('says in one sentence (Portuguese by default) that a perfect link shows nothing', async () => {
    dir = await twoClientSession().session.write(await mkdtemp(join(tmpdir(), 'report-clean-')));
    const { answers, files } = await writeReport(dir);
    expect(answers.tcpAnalysis.totals).toEqual({});
    expect(answers.tcpAnalysis.streams.length).toBeGreaterThan(0);
    const markdown = await readFile(files.markdown, 'utf8');
    expect(markdown).toContain('## Análise do TCP');
    expect(markdown).toMatch(
      /Nenhuma retransmissão, segmento perdido, ACK duplicado, segmento fora de ordem ou janela zero (no fluxo TCP|nos \d+ fluxos TCP)/,
    );
    expect(markdown).not.toContain('retransmissão rápida');
  });
});
