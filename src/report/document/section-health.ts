import type { Answers } from '../analysis/answers.js';
import { b, type Section } from './document.js';
import type { Messages } from './i18n/en.js';
import { healthMessagesFor } from './i18n/health.js';

/** The capture-health section: each check with its result, the frames that show it and what to do. */
export function sectionHealth({ health }: Answers, m: Messages): Section {
  const h = healthMessagesFor(m.lang);
  return {
    id: 'health',
    title: h.title,
    blocks: [
      { type: 'p', text: h.intro(health.verified.ip, health.verified.transport) },
      {
        type: 'table',
        head: h.head,
        rows: health.checks.map((check) => [
          b(h.name[check.code]),
          `${b(h.status[check.status])}: ${h.result[check.code](check)}`,
          check.frames.length === 0 ? '—' : m.frames(check.frames),
          check.status === 'warning' ? h.fix[check.code] : '',
        ]),
      },
    ],
  };
}

/** A note for the report's opening when the capture is not what a wire carried. */
export function healthNote({ health }: Answers, m: Messages): string | null {
  return health.ok ? null : healthMessagesFor(m.lang).problemNote;
}
