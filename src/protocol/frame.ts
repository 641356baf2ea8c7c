/** The four frame kinds of docs/PROTOCOL.md §1, as the decoder yields them. */
export type Frame = RequestFrame | ReplyFrame | EventFrame | DataFrame;

/** `[<tag> ]<VERB>[ <arguments>]`: `args` is the raw rest of the line, parsed per verb by `parseArguments`. */
export interface RequestFrame {
  kind: 'request';
  tag: number | null;
  verb: string;
  args: string;
}

/** `<tag> <code> <reason>[ <json>]`: tag null stands for `-`. */
export interface ReplyFrame {
  kind: 'reply';
  tag: number | null;
  code: number;
  reason: string;
  body: Record<string, unknown>;
}

/** `* <EVENT> <json>`. */
export interface EventFrame {
  kind: 'event';
  event: string;
  body: Record<string, unknown>;
}

/** `DATA <transfer> <offset> <length>` LF + `length` raw bytes. */
export interface DataFrame {
  kind: 'data';
  transfer: number;
  offset: number;
  data: Buffer;
}

/** What the decoder yields when a frame is bad: the server answers it, a report lists it. */
export interface FrameProblem {
  kind: 'problem';
  code: 'BAD_FRAME' | 'BAD_ENCODING' | 'FRAME_TOO_LARGE';
  message: string;
  /** True when the stream cannot be trusted past this point (the decoder stops). */
  fatal: boolean;
  /** The tag at the start of the bad line, as written, when one could be read: its reply carries it. */
  tag?: string;
}

/** A decoded item with the stream offsets of its bytes: `[start, end)`. */
export type Decoded = (Frame | FrameProblem) & { start: number; end: number };
