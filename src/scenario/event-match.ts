/** The fields of a file as the server shows it (docs/PROTOCOL.md §6, `FILE`). */
export interface FileView {
  id: number;
  name: string;
  size: number;
  sha256: string;
  from: string;
  /** `#room`, or the user's name for a file sent to one user. */
  to: string;
  at: string;
}

/** The data of each server event (docs/PROTOCOL.md §6), for typed waits. */
export interface EventData {
  HELLO: { app: string; version: string; protocol: string };
  MSG: { id: number; room: string; from: string; text: string; at: string };
  DM: { id: number; from: string; to: string; text: string; at: string };
  JOIN: { room: string; user: string };
  LEAVE: { room: string; user: string };
  OWNER: { room: string; owner: string };
  DELETED: { room: string; by: string };
  FILE: { file: FileView };
  NOTIFY: {
    id: number;
    kind: string;
    room: string | null;
    from: string;
    text: string | null;
    file: number | null;
  };
  BYE: { code: string; message: string };
}

export type EventName = keyof EventData;

/** What a wait looks for in an event's data: `{ from: 'alice', 'file.name': 'notes.txt' }`. */
export type EventMatch = Record<string, string | number | boolean | null>;

/** Reads `a.b` paths of an event's data. */
function lookup(data: Record<string, unknown>, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>((value, part) => (value as Record<string, unknown> | null | undefined)?.[part], data);
}

/** Whether every key of `match` has that value in `data`. */
export function matchesEvent(data: Record<string, unknown>, match: EventMatch): boolean {
  return Object.entries(match).every(([key, value]) => lookup(data, key) === value);
}

/** `* MSG from=alice text="hi there"`: how waits and checks are printed. */
export function describeEvent(event: string, match: EventMatch = {}): string {
  const pairs = Object.entries(match).map(([key, value]) => {
    const text = String(value);
    return `${key}=${/^[^\s"]+$/.test(text) ? text : JSON.stringify(text)}`;
  });
  return [`* ${event}`, ...pairs].join(' ');
}

/** One received event, shortened for an error message: `* MSG {"from":"carol","text":"hi",...}`. */
export function summarizeEvent(event: string, data: unknown): string {
  const json = JSON.stringify(data);
  return `* ${event} ${json.length > 100 ? `${json.slice(0, 97)}...` : json}`;
}

/** The events listed in a timeout message: the last few, and how many more there were. */
export function listArrived(events: readonly string[], limit = 6): string {
  if (events.length === 0) return 'nothing arrived';
  const shown = events.slice(-limit);
  const more = events.length - shown.length;
  return `what arrived: ${shown.join('; ')}${more > 0 ? ` (and ${more} earlier)` : ''}`;
}

/** A line as steps and timeout messages quote it: at most 140 characters. */
export function shorten(text: string): string {
  return text.length > 140 ? `${text.slice(0, 137)}...` : text;
}
