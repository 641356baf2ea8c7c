/**
 * The report as a list of sections of blocks, rendered twice: to Markdown and to HTML. Text uses two
 * private delimiters for inline markup, so values from the capture (which may hold backticks or asterisks)
 * never break it: `c(x)` marks code, `b(x)` bold.
 */
export type Block =
  | { readonly type: 'p'; readonly text: string }
  | { readonly type: 'note'; readonly text: string }
  | { readonly type: 'list'; readonly items: readonly string[] }
  | {
      readonly type: 'table';
      readonly head: readonly string[];
      readonly rows: readonly (readonly string[])[];
      /** Columns aligned right (numbers). */
      readonly numeric?: readonly number[];
      /** Columns kept on one line. */
      readonly nowrap?: readonly number[];
      readonly caption?: string;
    }
  | { readonly type: 'code'; readonly text: string; readonly caption?: string }
  | {
      readonly type: 'figure';
      readonly id: string;
      readonly html: string;
      readonly markdown: string;
      readonly caption: string;
    }
  | {
      readonly type: 'commands';
      readonly items: readonly { readonly purpose: string; readonly command: string }[];
    };

export interface Section {
  /** HTML id, e.g. `answer-a`, `sequence`, `hosts`, `tshark`. */
  readonly id: string;
  readonly title: string;
  /** The assignment's question, quoted. */
  readonly question?: string;
  /** The short answer, shown highlighted. */
  readonly answer?: string;
  /** `warn` when the answer reports problems or missing evidence. */
  readonly tone?: 'ok' | 'warn';
  readonly blocks: readonly Block[];
}

export interface ReportDocument {
  readonly lang: string;
  readonly title: string;
  readonly intro: readonly Block[];
  readonly summary: { readonly head: readonly string[]; readonly rows: readonly (readonly string[])[] };
  readonly summaryTitle: string;
  readonly sections: readonly Section[];
  readonly footer: string;
}

export const CODE = '\u0001';
export const BOLD = '\u0002';

/** Inline code. */
export function c(text: string | number): string {
  return `${CODE}${String(text).replaceAll(CODE, '').replaceAll(BOLD, '')}${CODE}`;
}

/** Bold. */
export function b(text: string | number): string {
  return `${BOLD}${String(text).replaceAll(BOLD, '')}${BOLD}`;
}
