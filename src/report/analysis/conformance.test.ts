import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { analyseRun } from './analyse-run.js';
import type { Answers, Listings } from './answers.js';
import { SyntheticCapture } from '../../../test/support/tcp-analysis/test-captures.js';
import { ALICE, TestSession } from '../../../test/support/test-session.js';

const SHA = 'ab'.repeat(32);

let dir: string | undefined;
afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

async function analyse(session: TestSession | SyntheticCapture): Promise<Answers & { listings: Listings }> {
  dir = await session.write(await mkdtemp(join(tmpdir(), 'report-conformance-')));
  const { answers, listings } = await analyseRun(dir);
  return { ...answers, listings };
}

describe('conformance to docs/PROTOCOL.md', () => {
  it('finds each kind of problem and names the frame that carried it', async () => {
    const s = new TestSession();
    const a = s.connect(ALICE, 40001).open();
    a.send(false, '* HELLO {"app":"chatlab-server","version":"0.1.0"}\n');
    a.send(true, '1 PING\n');
    const [reason = 0] = a.send(false, '1 200 Fine {}\n');
    const [verb = 0] = a.send(true, 'FROB now\n');
    a.send(false, '- 400 Bad Request {"code":"UNKNOWN_COMMAND","message":"no FROB"}\n');
    const [args = 0] = a.send(true, '2 SAY general\n');
    const [answer = 0] = a.send(
      false,
      '2 400 Bad Request {"code":"BAD_ARGUMENTS","message":"missing <text>"}\n',
    );
    const [unmatched = 0] = a.send(false, '7 200 OK {}\n');
    const [direction = 0] = a.send(true, '* MSG {"text":"hi"}\n');
    a.send(true, 'PING\n');
    const [noCode = 0] = a.send(false, '- 404 Not Found {"oops":1}\n');
    a.send(true, '3 PING\n');
    const [status = 0] = a.send(false, '3 299 Odd {}\n');
    const [event = 0] = a.send(false, '* WHAT {}\n');
    const [transfer = 0] = a.send(false, 'DATA 9 0 3\nabc');
    a.send(true, `4 UPLOAD #general 4 ${SHA} f.txt\n`);
    a.send(false, '4 100 Continue {"transfer":1,"chunk":65536}\n');
    a.send(true, 'DATA 1 0 2\nab');
    const [order = 0] = a.send(true, 'DATA 1 3 2\ncd');
    const [frame = 0] = a.send(true, '?? not a frame\n');
    const { E } = await analyse(s);
    expect(E.conformance.ok).toBe(false);
    expect(E.conformance.serverOk).toBe(false);
    expect(E.conformance.problems.map((p) => [p.frame, p.code])).toEqual([
      [reason, 'REASON_MISMATCH'],
      [verb, 'UNKNOWN_VERB'],
      [args, 'BAD_ARGUMENTS'],
      [unmatched, 'UNMATCHED_REPLY'],
      [direction, 'WRONG_DIRECTION'],
      [noCode, 'ERROR_WITHOUT_CODE'],
      [status, 'UNKNOWN_STATUS'],
      [event, 'UNKNOWN_EVENT'],
      [transfer, 'UNKNOWN_TRANSFER'],
      [order, 'DATA_OUT_OF_ORDER'],
      [order, 'DATA_BEYOND_SIZE'],
      [frame, 'BAD_FRAME'],
    ]);
    const badArgs = E.conformance.problems.find((p) => p.code === 'BAD_ARGUMENTS');
    expect(badArgs).toMatchObject({
      direction: 'client-to-server',
      detail: { verb: 'SAY', error: 'BAD_ARGUMENTS' },
      answer: { frame: answer, status: 400, code: 'BAD_ARGUMENTS' },
    });
    expect(badArgs?.text).toMatch(new RegExp(`^frame ${args}: `));
  });

  it('passes a conforming session, untagged requests and an upload included', async () => {
    const s = new TestSession();
    const a = s.connect(ALICE, 40001).open();
    a.send(false, '* HELLO {"app":"chatlab-server","version":"0.1.0"}\n');
    a.send(true, 'LOGIN alice s3cret!\n');
    a.send(false, '- 200 OK {}\n');
    a.send(true, `5 UPLOAD @bob 4 ${SHA} notes final.txt\n`);
    a.send(false, '5 100 Continue {"transfer":2,"chunk":65536}\n');
    a.send(true, 'DATA 2 0 4\nwxyz');
    a.send(false, '5 201 Created {"file":{"id":1}}\n');
    a.send(true, '6 DOWNLOAD 1\n');
    a.send(false, '6 200 OK {"file":{"id":1,"size":4},"transfer":3}\n');
    a.send(false, 'DATA 3 0 4\nwxyz');
    const { E, listings } = await analyse(s);
    expect(E.conformance.problems).toEqual([]);
    expect(listings.messages.filter((m) => m.kind === 'data').map((m) => [m.transfer, m.dataLength])).toEqual(
      [
        [2, 4],
        [3, 4],
      ],
    );
  });

  it('ties a message split over segments to all of them, and several messages to one segment', async () => {
    const s = new TestSession();
    const a = s.connect(ALICE, 40001).open();
    const split = a.send(true, '1 SAY general a message in two segments\n', [12]);
    const [both = 0] = a.send(false, '1 200 OK {}\n* MSG {"from":"bob","text":"hi"}\n');
    const [once = 0] = a.send(true, '2 PING\n');
    const again = a.retransmit(true, '2 PING\n', 7);
    const { E, listings } = await analyse(s);
    const say = listings.messages.find((m) => m.verb === 'SAY');
    expect(say).toMatchObject({ frames: split, frame: split[1] });
    const segment = listings.segments.find((x) => x.frame === split[0]);
    expect(segment?.messages).toEqual([{ id: say?.id, summary: say?.summary, complete: false }]);
    expect(listings.segments.find((x) => x.frame === both)?.messages.map((m) => m.summary)).toEqual([
      '1 200 OK {}',
      '* MSG {"from":"bob","text":"hi"}',
    ]);
    expect(listings.messages.find((m) => m.verb === 'PING')).toMatchObject({
      frame: once,
      frames: [once, again],
    });
    expect(listings.segments.find((x) => x.frame === again)?.retransmission).toBe(true);
    expect(E.conformance.ok).toBe(true);
  });

  it('reads an HTTP request on the chat port as the status page, not as chat', async () => {
    const s = new TestSession();
    const a = s.connect(ALICE, 40001).open();
    a.send(true, 'GET /status.json HTTP/1.1\r\nHost: x\r\n\r\n');
    a.send(false, 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}');
    const { D, E, listings } = await analyse(s);
    expect(listings.messages.map((m) => [m.kind, m.summary])).toEqual([
      ['http', 'GET /status.json HTTP/1.1'],
      ['http', 'HTTP/1.1 200 OK'],
    ]);
    expect(E.conformance.ok).toBe(true);
    expect(D.clients[0]?.connections[0]?.http).toBe(true);
  });

  it('takes `- 404 NO_SUCH_TRANSFER` for the data of an upload the server refused (a datagram lost over UDP)', async () => {
    const s = new TestSession();
    const a = s.connect(ALICE, 40001).open();
    a.send(false, '* HELLO {"app":"chatlab-server","version":"0.1.0"}\n');
    a.send(true, `5 UPLOAD @bob 6 ${SHA} f.bin\n`);
    a.send(false, '5 100 Continue {"transfer":3,"chunk":1200}\n');
    a.send(true, 'DATA 3 0 2\nab');
    a.send(true, 'DATA 3 2 2\ncd'); // the datagram the link lost: in the sender's capture only
    a.send(true, 'DATA 3 4 2\nef'); // crosses the refusal on its way to the server
    a.send(false, '5 400 Bad Request {"code":"BAD_OFFSET","message":"expected offset 2, got offset 4"}\n');
    a.send(false, '- 404 Not Found {"code":"NO_SUCH_TRANSFER","message":"no upload 3 in progress"}\n');
    a.send(true, 'DATA 3 6 2\ngh');
    a.send(false, '- 404 Not Found {"code":"NO_SUCH_TRANSFER","message":"no upload 3 in progress"}\n');
    const [stray = 0] = a.send(false, '- 404 Not Found {"code":"NO_SUCH_FILE","message":"no file 9"}\n');
    const { E } = await analyse(s);
    // The refusal and the 404s that follow are the protocol working; a 404 of another kind answers nothing.
    expect(E.conformance.problems.map((p) => `${p.code} ${String(p.frame)}`)).toEqual([
      `UNMATCHED_REPLY ${stray}`,
    ]);
  });
});

describe('the digest after the bytes (UPLOAD ... -, then DIGEST; docs/PROTOCOL.md §4 "Files")', () => {
  const NOT_FOUND = '404 Not Found {"code":"NO_SUCH_TRANSFER","message":"no upload 3 in progress"}';
  const error = (code: string): string => `{"code":"${code}","message":"m"}`;

  /** alice greeted, logged in, and `5 UPLOAD #general 6 - f.bin` opened transfer 3. */
  function uploading(): { s: TestSession; a: ReturnType<TestSession['connect']> } {
    const s = new TestSession();
    const a = s.connect(ALICE, 40001).open();
    a.send(false, '* HELLO {"app":"chatlab-server","version":"0.1.0"}\n');
    a.send(true, 'LOGIN alice s3cret!\n');
    a.send(false, '- 200 OK {}\n');
    a.send(true, '5 UPLOAD #general 6 - f.bin\n');
    a.send(false, '5 100 Continue {"transfer":3,"chunk":65536}\n');
    return { s, a };
  }

  it("passes the new form end to end: DIGEST has no reply of its own, the UPLOAD's tag gets the 201", async () => {
    const { s, a } = uploading();
    a.send(true, 'DATA 3 0 4\nabcd');
    a.send(true, 'DATA 3 4 2\nef');
    a.send(true, `DIGEST 3 ${SHA}\n`);
    a.send(false, '5 201 Created {"file":{"id":1,"name":"f.bin","size":6}}\n');
    // An untagged PING right after the untagged DIGEST: its reply is the PING's.
    const [ping = 0] = a.send(true, 'PING now\n');
    const [pong = 0] = a.send(false, `- 400 Bad Request ${error('BAD_ARGUMENTS')}\n`);
    // A second DIGEST names no upload in progress any more: it gets its own 404.
    a.send(true, `8 DIGEST 3 ${SHA}\n`);
    a.send(false, `8 ${NOT_FOUND}\n`);
    const { E } = await analyse(s);
    expect(E.conformance.problems.map((p) => [p.frame, p.code, p.answer?.frame])).toEqual([
      [ping, 'BAD_ARGUMENTS', pong],
    ]);
  });

  it("flags a reply to the DIGEST's own tag when it named an upload in progress (it has none)", async () => {
    const { s, a } = uploading();
    a.send(true, 'DATA 3 0 6\nabcdef');
    a.send(true, `DIGEST 3 ${SHA}\n`);
    const [stray = 0] = a.send(false, '- 201 Created {"file":{"id":1}}\n');
    const { E } = await analyse(s);
    expect(E.conformance.problems.map((p) => `${p.code} ${String(p.frame)}`)).toEqual([
      `UNMATCHED_REPLY ${stray}`,
    ]);
  });

  it('takes a DIGEST for no upload in progress as a request answered 404 with its own tag', async () => {
    const { s, a } = uploading();
    a.send(true, `7 DIGEST 9 ${SHA}\n`); // transfer 9: no reply opened it
    a.send(false, `7 ${NOT_FOUND}\n`);
    a.send(true, `DIGEST 9 ${SHA}\n`);
    a.send(true, 'PING\n');
    const [first = 0] = a.send(false, `- ${NOT_FOUND}\n`);
    a.send(false, '- 200 OK {"time":"t"}\n');
    const [late = 0] = a.send(false, '- 200 OK {"time":"t"}\n');
    const { E } = await analyse(s);
    // Both DIGESTs and the PING are answered; only the third untagged reply answers nothing.
    expect(E.conformance.problems.map((p) => `${p.code} ${String(p.frame)}`)).toEqual([
      `UNMATCHED_REPLY ${late}`,
    ]);
    expect(first).toBeLessThan(late);
  });

  it("flags a DIGEST before the last byte, answered by the UPLOAD's BAD_SIZE; the data after it get `- 404`", async () => {
    const { s, a } = uploading();
    a.send(true, 'DATA 3 0 4\nabcd');
    const [early = 0] = a.send(true, `DIGEST 3 ${SHA}\n`);
    a.send(true, 'DATA 3 4 2\nef');
    const [refusal = 0] = a.send(false, `5 400 Bad Request ${error('BAD_SIZE')}\n`);
    a.send(false, `- ${NOT_FOUND}\n`);
    const { E } = await analyse(s);
    expect(E.conformance.problems).toEqual([
      expect.objectContaining({
        frame: early,
        code: 'DIGEST_BEFORE_END',
        detail: { transfer: 3, sent: 4, size: 6 },
        answer: { frame: refusal, status: 400, code: 'BAD_SIZE' },
      }),
    ]);
  });

  it("flags a digest that is not 64 hexadecimal digits, answered by the UPLOAD's BAD_HASH", async () => {
    const { s, a } = uploading();
    a.send(true, 'DATA 3 0 6\nabcdef');
    const [bad = 0] = a.send(true, '6 DIGEST 3 abc\n');
    const [refusal = 0] = a.send(false, `5 400 Bad Request ${error('BAD_HASH')}\n`);
    const { E } = await analyse(s);
    expect(E.conformance.problems).toEqual([
      expect.objectContaining({
        frame: bad,
        code: 'BAD_ARGUMENTS',
        detail: expect.objectContaining({ verb: 'DIGEST', error: 'BAD_HASH' }) as unknown,
        answer: { frame: refusal, status: 400, code: 'BAD_HASH' },
      }),
    ]);
  });

  it('passes the refusal of a whole upload for a digest that does not match; the data after it get `- 404`', async () => {
    const { s, a } = uploading();
    a.send(true, 'DATA 3 0 6\nabcdef');
    a.send(true, `6 DIGEST 3 ${SHA}\n`);
    a.send(false, `5 400 Bad Request ${error('HASH_MISMATCH')}\n`);
    a.send(true, 'DATA 3 0 1\na');
    a.send(false, `- ${NOT_FOUND}\n`);
    const { E } = await analyse(s);
    expect(E.conformance.problems).toEqual([]);
  });

  it('takes a DIGEST refused before the handler read it (401): the upload goes on, the next DIGEST ends it', async () => {
    const { s, a } = uploading();
    a.send(true, 'DATA 3 0 6\nabcdef');
    a.send(true, 'LOGOUT\n');
    a.send(false, '- 200 OK {}\n');
    a.send(true, `DIGEST 3 ${SHA}\n`);
    a.send(false, `- 401 Unauthorized ${error('AUTH_REQUIRED')}\n`);
    a.send(true, 'LOGIN alice s3cret!\n');
    a.send(false, '- 200 OK {}\n');
    a.send(true, `DIGEST 3 ${SHA}\n`);
    a.send(false, '5 201 Created {"file":{"id":1}}\n');
    a.send(true, 'PING\n');
    a.send(false, '- 200 OK {"time":"t"}\n');
    const [stray = 0] = a.send(false, '- 200 OK {"time":"t"}\n');
    const { E } = await analyse(s);
    expect(E.conformance.problems.map((p) => `${p.code} ${String(p.frame)}`)).toEqual([
      `UNMATCHED_REPLY ${stray}`,
    ]);
  });

  it('takes the 404 of a DIGEST that crossed the refusal of its upload on the way', async () => {
    const { s, a } = uploading();
    a.send(true, 'DATA 3 0 2\nab');
    a.send(true, 'DATA 3 2 2\ncd'); // the disk fills here
    a.send(true, 'DATA 3 4 2\nef');
    a.send(true, `7 DIGEST 3 ${SHA}\n`); // sent before the refusal arrived
    a.send(false, `5 507 Insufficient Storage ${error('STORAGE_FULL')}\n`);
    a.send(false, `- ${NOT_FOUND}\n`);
    a.send(false, `7 ${NOT_FOUND}\n`);
    const [stray = 0] = a.send(false, `7 ${NOT_FOUND}\n`);
    const { E } = await analyse(s);
    expect(E.conformance.problems.map((p) => `${p.code} ${String(p.frame)}`)).toEqual([
      `UNMATCHED_REPLY ${stray}`,
    ]);
  });

  it.each([
    ["the UPLOAD's tag refused (what the server does)", `5 400 Bad Request ${error('BAD_SIZE')}`],
    ['its own tag answered 404 (what §4 says)', `- ${NOT_FOUND}`],
  ])('passes a DIGEST for an upload whose UPLOAD gave the digest: %s', async (_, answer) => {
    const s = new TestSession();
    const a = s.connect(ALICE, 40001).open();
    a.send(true, `5 UPLOAD #general 6 ${SHA} f.bin\n`);
    a.send(false, '5 100 Continue {"transfer":3,"chunk":65536}\n');
    a.send(true, 'DATA 3 0 2\nab');
    a.send(true, `DIGEST 3 ${SHA}\n`);
    a.send(false, `${answer}\n`);
    const { E } = await analyse(s);
    expect(E.conformance.problems).toEqual([]);
  });

  it('does not blame the client for a DIGEST before the last byte over UDP: the link may have lost it', async () => {
    const capture = new SyntheticCapture();
    capture.datagram(1000, true, '1 HELLO chatlab-client/0.1.0\n');
    capture.datagram(2000, false, '* HELLO {"app":"chatlab-server","version":"0.1.0","transport":"udp"}\n');
    capture.datagram(2100, false, '1 200 OK {}\n');
    capture.datagram(3000, true, '5 UPLOAD #general 4 - f.bin\n');
    capture.datagram(3100, false, '5 100 Continue {"transfer":3,"chunk":1200}\n');
    capture.datagram(4000, true, 'DATA 3 0 2\nab');
    capture.datagram(4100, true, 'DATA 3 2 2\ncd', true); // lost: only in alice's own capture
    capture.datagram(4200, true, `DIGEST 3 ${SHA}\n`);
    capture.datagram(4300, false, `5 400 Bad Request ${error('BAD_SIZE')}\n`);
    const { E } = await analyse(capture);
    expect(E.conformance.problems).toEqual([]);
  });
});
