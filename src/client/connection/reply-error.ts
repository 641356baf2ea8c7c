import type { ReplyFrame, StatusCode } from '../../protocol/index.js';
import { ChatError, LIMITS } from '../../protocol/index.js';

/** Turns a refusal (code >= 400) into the ChatError it stands for. */
export function replyError(reply: ReplyFrame): ChatError {
  const { code, message, ...extra } = reply.body;
  return new ChatError(
    reply.code as StatusCode, // may be a code this client does not know; kept as the server sent it
    typeof code === 'string' ? code : 'UNKNOWN',
    typeof message === 'string' ? message : `${reply.code} ${reply.reason}`,
    extra,
  );
}

/** The reason in a `* BYE` event's body (docs/PROTOCOL.md §6). */
export function readBye(body: Record<string, unknown>): { code: string; message: string } {
  return {
    code: typeof body.code === 'string' ? body.code : 'UNKNOWN',
    message: typeof body.message === 'string' ? body.message : '',
  };
}

/**
 * Refuses locally a request line longer than the server takes: it would skip the line without reading its
 * tag (docs/PROTOCOL.md §1 "Sizes"), so its reply could never be matched.
 */
export function checkLineLength(
  line: Buffer,
  verb: string,
  limits: Record<string, unknown> | undefined,
): void {
  const limit = typeof limits?.requestLine === 'number' ? limits.requestLine : LIMITS.requestLine;
  if (line.length > limit) {
    throw new ChatError(
      413,
      'FRAME_TOO_LARGE',
      `a ${verb} line of ${line.length} bytes; the server takes at most ${limit}`,
    );
  }
}
