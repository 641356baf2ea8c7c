import { dissect, readPcapFile, TcpReassembler } from '../../src/pcap/index.js';
import { FrameDecoder, type Decoded } from '../../src/protocol/index.js';
import { completingFrame } from '../../src/report/analysis/chat-decoder.js';
import type { DissectedFrame } from './tshark.js';

/** A chat frame reduced to what both decoders must agree on, with the frame its last byte arrived in. */
export interface FrameKey {
  frame: number;
  key: string;
}

/**
 * The chat frames of a capture as the project itself reads them: src/pcap reassembles each direction of
 * every TCP stream to `port`, src/protocol's FrameDecoder cuts the bytes into frames, and each frame is
 * placed in the capture frame whose first copy of its bytes completed it, where Wireshark shows a reassembled
 * PDU: a retransmission of the same bytes later (loopback under load does it) does not move it.
 */
export async function projectFrames(file: string, port: number): Promise<FrameKey[]> {
  const { records } = await readPcapFile(file);
  const reassembler = new TcpReassembler();
  for (const record of records) reassembler.push(dissect(record));
  reassembler.finish();
  const frames: FrameKey[] = [];
  for (const stream of reassembler.streams) {
    if (stream.server.port !== port) continue;
    for (const direction of [stream.clientToServer, stream.serverToClient]) {
      const decoder = new FrameDecoder();
      for (const item of decoder.push(Buffer.concat(direction.chunks.map((chunk) => chunk.data)))) {
        frames.push({
          frame: completingFrame(direction.chunks, item.start, item.end),
          key: decodedKey(item),
        });
      }
    }
  }
  // A stable sort: frames that end in the same capture frame stay in byte order.
  return frames.sort((a, b) => a.frame - b.frame);
}

/** The same reduction for what the Wireshark dissector decoded. */
export function dissectedKey(frame: DissectedFrame): FrameKey {
  const tag = frame.tag ?? '-';
  const keys: Record<string, string> = {
    request: `request ${tag} ${frame.verb ?? ''} ${frame.args ?? ''}`,
    reply: `reply ${tag} ${String(frame.status)} ${frame.json ?? ''}`,
    event: `event ${frame.event ?? ''} ${frame.json ?? ''}`,
    data: `data ${String(frame.transfer)} ${String(frame.offset)} ${String(frame.length)}`,
  };
  return { frame: frame.frame, key: keys[frame.kind] ?? frame.kind };
}

function decodedKey(item: Decoded): string {
  switch (item.kind) {
    case 'request':
      return `request ${item.tag ?? '-'} ${item.verb} ${item.args}`;
    case 'reply':
      return `reply ${item.tag ?? '-'} ${item.code} ${Object.keys(item.body).length > 0 ? JSON.stringify(item.body) : ''}`;
    case 'event':
      return `event ${item.event} ${JSON.stringify(item.body)}`;
    case 'data':
      return `data ${item.transfer} ${item.offset} ${item.data.length}`;
    case 'problem':
      return 'malformed';
  }
}
