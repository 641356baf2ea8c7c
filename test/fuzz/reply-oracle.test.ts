import { describe, expect, it } from '@jest/globals';
import { FrameDecoder, LIMITS } from '../../src/protocol/index.js';
import { ReplyOracle } from '../support/fuzz/reply-oracle.js';

// The server fuzz is only as good as its oracle: it must pass the server's right answers and catch wrong ones.

const SHA = 'a'.repeat(64);
const error = (code: string): string => JSON.stringify({ code, message: 'm' });

function judge(sent: string, received: string, closed = false): string {
  const oracle = new ReplyOracle();
  oracle.expect(new FrameDecoder({ maxLine: LIMITS.requestLine }).push(Buffer.from(sent)));
  const frames = new FrameDecoder()
    .push(Buffer.from(received))
    .flatMap((f) => (f.kind === 'problem' ? [] : [f]));
  oracle.receive(frames);
  try {
    return oracle.advance(closed);
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

describe('reply oracle', () => {
  it('passes the answers the protocol prescribes, skipping events', () => {
    const sent = `1 PING\n!!\nDATA 5 0 2\nab2 UPLOAD @bob 3 ${SHA} f.txt\nDATA 7 0 2\nab1 200 OK\nDATA 7 2 1\nc`;
    const received = [
      '* HELLO {}',
      '1 200 OK {"time":"t"}',
      `- 400 Bad Request ${error('BAD_FRAME')}`,
      `- 404 Not Found ${error('NO_SUCH_TRANSFER')}`,
      '2 100 Continue {"transfer":7,"chunk":65536}',
      '* MSG {"text":"hi"}',
      `- 400 Bad Request ${error('BAD_FRAME')}`,
      `2 400 Bad Request ${error('HASH_MISMATCH')}`,
    ].join('\n');
    expect(judge(sent, `${received}\n`)).toBe('done');
  });

  it('waits for answers still due, and fails when the connection closes without them', () => {
    expect(judge('1 PING\n2 PING\n', '1 200 OK\n')).toBe('waiting');
    expect(judge('1 PING\n2 PING\n', '1 200 OK\n', true)).toMatch(
      /closed the connection without answering request 2 PING/,
    );
    expect(judge(`1 UPLOAD @bob 3 ${SHA} f\nDATA 9 0 3\nabc`, '1 100 Continue {"transfer":9}\n')).toBe(
      'waiting',
    );
  });

  it('catches a 500, a wrong tag, a wrong code and an error without its code', () => {
    expect(judge('1 PING\n', `1 500 Internal Server Error ${error('INTERNAL')}\n`)).toMatch(/never expects/);
    expect(judge('!!\n1 PING\n', '1 200 OK\n')).toMatch(/BAD_FRAME at byte 0 answered 1 200/);
    expect(judge('!!\n', `- 413 Payload Too Large ${error('FRAME_TOO_LARGE')}\n`)).toMatch(
      /expected - 400 BAD_FRAME/,
    );
    expect(judge('1 JOIN\n', '1 400 Bad Request {"message":"m"}\n')).toMatch(/without \{"code","message"\}/);
    expect(judge('DATA 3 0 1\nx', '- 200 OK\n')).toMatch(/expected - 404 NO_SUCH_TRANSFER/);
  });

  it('expects BYE with the code of a fatal frame, and no BYE without a cause', () => {
    const bye = (code: string): string => `* BYE ${error(code)}\n`;
    expect(judge('1 PING\nDATA 1 0 0\n2 PING\n', `1 200 OK\n${bye('BAD_FRAME')}`, true)).toBe('closed');
    expect(judge('DATA 1 0 999999\n', bye('BAD_FRAME'), true)).toMatch(
      /expected \* BYE \{"code":"FRAME_TOO_LARGE"\}/,
    );
    expect(judge('1 PING\n', bye('BAD_FRAME'), true)).toMatch(/BYE BAD_FRAME before the answer/);
    expect(judge('1 PING\n', bye('SLOW_READER'), true)).toBe('closed');
  });

  it('expects the close after QUIT is answered', () => {
    expect(judge('1 QUIT\n2 PING\n', '1 200 OK\n')).toBe('waiting');
    expect(judge('1 QUIT\n2 PING\n', '1 200 OK\n', true)).toBe('closed');
  });

  describe('DIGEST (docs/PROTOCOL.md §4 "Files")', () => {
    const upload = `1 UPLOAD @bob 3 - f.txt\n`;
    const opened = '1 100 Continue {"transfer":7,"chunk":65536}\n';
    const notFound = (tag: string): string => `${tag} 404 Not Found ${error('NO_SUCH_TRANSFER')}\n`;

    it("answers a DIGEST for an upload in progress with the UPLOAD's tag, and none of its own", () => {
      const sent = `${upload}DATA 7 0 3\nabc3 DIGEST 7 ${SHA}\n2 PING\n`;
      expect(judge(sent, `${opened}1 201 Created {"file":{}}\n2 200 OK\n`)).toBe('done');
      expect(judge(sent, `${opened}1 400 Bad Request ${error('HASH_MISMATCH')}\n2 200 OK\n`)).toBe('done');
      // The last byte alone does not end an upload whose UPLOAD said -.
      expect(judge(`${upload}DATA 7 0 3\nabc`, opened, true)).toBe('done');
      expect(judge(sent, `${opened}${notFound('3')}2 200 OK\n`)).toMatch(
        /request 3 DIGEST .* answered 3 404 .*; expected the final reply to UPLOAD with tag 1/,
      );
    });

    it('expects BAD_SIZE for a DIGEST before the last byte and BAD_HASH for one that is no digest', () => {
      const early = `${upload}DATA 7 0 2\nabDIGEST 7 ${SHA}\n`;
      expect(judge(early, `${opened}1 400 Bad Request ${error('BAD_SIZE')}\n`)).toBe('done');
      expect(judge(early, `${opened}1 201 Created {}\n`)).toMatch(/expected 1 400 BAD_SIZE/);
      const malformed = `${upload}DATA 7 0 3\nabcDIGEST 7 abc\n`;
      expect(judge(malformed, `${opened}1 400 Bad Request ${error('BAD_HASH')}\n`)).toBe('done');
      expect(judge(malformed, `${opened}1 400 Bad Request ${error('HASH_MISMATCH')}\n`)).toMatch(
        /expected 1 400 BAD_HASH/,
      );
    });

    it('expects 404 NO_SUCH_TRANSFER with its own tag for a DIGEST that names no upload in progress', () => {
      expect(judge(`5 DIGEST 9 ${SHA}\nDIGEST 9 ${SHA}\n`, `${notFound('5')}${notFound('-')}`)).toBe('done');
      expect(judge(`5 DIGEST 9 ${SHA}\n`, '5 200 OK\n')).toMatch(/expected 5 404 NO_SUCH_TRANSFER/);
      // The first DIGEST ended the upload: the second names none.
      const twice = `${upload}DATA 7 0 3\nabcDIGEST 7 ${SHA}\n6 DIGEST 7 ${SHA}\n`;
      expect(judge(twice, `${opened}1 201 Created {}\n${notFound('6')}`)).toBe('done');
      expect(judge(twice, `${opened}1 201 Created {}\n6 201 Created {}\n`)).toMatch(/expected 6 404/);
      // Arguments the parser refuses get the DIGEST's own tag, whatever the code.
      expect(judge('4 DIGEST x y\n', `4 400 Bad Request ${error('BAD_ARGUMENTS')}\n`)).toBe('done');
    });

    it('keeps the upload going after a DIGEST refused before the handler (401, logged out)', () => {
      const sent = `${upload}DATA 7 0 3\nabc3 DIGEST 7 ${SHA}\nDIGEST 7 ${SHA}\n`;
      const unauthorized = `3 401 Unauthorized ${error('AUTH_REQUIRED')}\n`;
      expect(judge(sent, `${opened}${unauthorized}1 201 Created {}\n`)).toBe('done');
    });
  });
});
