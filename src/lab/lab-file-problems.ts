import { isMap, isScalar, isSeq, type LineCounter, type Node, type YAMLMap } from 'yaml';

/** One thing wrong in a lab file, where it is and what field it concerns. */
export interface LabFileProblem {
  line: number;
  column: number;
  field: string;
  message: string;
}

/**
 * Collects every problem of a lab file (so the user fixes them all in one go) with the line and column
 * of the node it concerns, and reads typed values out of YAML nodes, noting a problem when the type is wrong.
 */
export class LabFileProblems {
  readonly list: LabFileProblem[] = [];

  constructor(private readonly lines: LineCounter) {}

  at(offset: number, field: string, message: string): void {
    const { line, col } = this.lines.linePos(offset);
    this.list.push({ line, column: col, field, message });
  }

  add(node: Node | null | undefined, field: string, message: string, fallback = 0): void {
    this.at(node?.range?.[0] ?? fallback, field, message);
  }

  /** The map's entries by key; keys outside `known` are problems naming the keys allowed. */
  entries(map: YAMLMap, field: string, known: readonly string[]): Map<string, Node | null> {
    const result = new Map<string, Node | null>();
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const value = (pair.value ?? null) as Node | null;
      const keyNode = pair.key as Node | null;
      const where = field === '' ? key : `${field}.${key}`;
      if (known.length > 0 && !known.includes(key)) {
        this.add(keyNode, where, `unknown key "${key}"; the keys here are ${known.join(', ')}`);
      } else result.set(key, value);
    }
    return result;
  }

  map(node: Node | null | undefined, field: string, parent: number): YAMLMap | undefined {
    if (isMap(node)) return node;
    this.add(node, field, 'must be a mapping (key: value lines, or { key: value })', parent);
    return undefined;
  }

  text(node: Node | null | undefined, field: string, parent: number): string | undefined {
    if (isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '')
      return node.value.trim();
    this.add(node, field, node == null ? 'is missing' : 'must be a text', parent);
    return undefined;
  }

  port(node: Node | null | undefined, field: string, parent: number): number | undefined {
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535) return value;
    const shown = isScalar(node) ? `${String(node.value)} ` : '';
    this.add(node, field, `${shown}is not a port: give a number from 1 to 65535`, parent);
    return undefined;
  }

  /** A list of scalars as texts (numbers allowed: `[python3, server.py, 5000]`). */
  texts(node: Node | null | undefined, field: string, parent: number): string[] | undefined {
    if (!isSeq(node)) {
      this.add(node, field, 'must be a list, e.g. [python3, /lab/server.py, "5000"]', parent);
      return undefined;
    }
    const values: string[] = [];
    node.items.forEach((item, i) => {
      const value = isScalar(item) ? item.value : undefined;
      if (typeof value === 'string' || typeof value === 'number') values.push(String(value));
      else this.add(item as Node, `${field}[${i}]`, 'must be a text or a number', node.range?.[0]);
    });
    return values.length === node.items.length ? values : undefined;
  }

  /** Where a node starts, for problems about something missing inside it. */
  static offset(node: Node | null | undefined, fallback = 0): number {
    return node?.range?.[0] ?? fallback;
  }
}
