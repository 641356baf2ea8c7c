import { describe, expect, it } from '@jest/globals';
import type { StreamChunk, TcpDirection, TcpStream } from '../../pcap/index.js';
import { capturedRun } from './chat-decoder.js';

const chunk = (start: number, end: number, frame: number): StreamChunk => ({
  start,
  end,
  data: Buffer.alloc(end - start),
  frames: [frame],
});
const direction = (chunks: StreamChunk[]) => ({ chunks }) as unknown as TcpDirection;
const stream = { id: 3 } as unknown as TcpStream;

describe('capturedRun', () => {
  it('runs to the first hole and says where it begins', () => {
    const bytes = direction([chunk(0, 10, 4), chunk(10, 25, 5), chunk(40, 50, 9), chunk(50, 60, 10)]);
    expect(capturedRun(stream, 'client-to-server', bytes)).toEqual({
      end: 25,
      gap: { stream: 3, direction: 'client-to-server', frame: 9, offset: 25 },
    });
  });

  it('runs to the end when nothing is missing, and a direction whose first bytes were missed has none', () => {
    expect(capturedRun(stream, 'server-to-client', direction([chunk(0, 7, 2), chunk(7, 9, 3)]))).toEqual({
      end: 9,
    });
    expect(capturedRun(stream, 'server-to-client', direction([]))).toEqual({ end: 0 });
    expect(capturedRun(stream, 'server-to-client', direction([chunk(5, 9, 8)]))).toEqual({
      end: 0,
      gap: { stream: 3, direction: 'server-to-client', frame: 8, offset: 0 },
    });
  });
});
