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
});
