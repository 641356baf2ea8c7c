import type { Answers, Listings } from '../report/analysis/answers.js';
import { type GradeLang, listOf, say } from './question-grade.js';
import type { Variant } from './variant.js';

/** Whose lab a capture shows: the student's own, another student's, or none of the class's. */
export type CaptureOwner =
  | { readonly kind: 'own'; readonly warnings: readonly string[] }
  | { readonly kind: 'other-student'; readonly student: string; readonly reason: string }
  | { readonly kind: 'wrong-lab'; readonly reason: string };

/**
 * Checks a capture against the student's variant: the server address (so the subnet) and the chat port
 * decide; the client names (capture files, run.json, LOGIN requests, or a word of a brought-in chat's text
 * such as `/nick ana`) only warn, as a student may rename files.
 */
export function checkCapture(
  { answers, listings }: { readonly answers: Answers; readonly listings: Listings },
  variant: Variant,
  classVariants: readonly Variant[],
  lang: GradeLang,
): CaptureOwner {
  const ip = answers.B.server?.ip ?? null;
  const port = answers.D.serverPort;
  const shows = `${ip ?? '?'}:${port ?? '?'}`;
  if (ip === variant.serverIp && port === variant.port) {
    const seen = new Set(answers.B.clients.map((c) => c.name));
    for (const message of listings.messages)
      if (message.verb === 'LOGIN' || message.verb === 'REGISTER')
        seen.add((message.args ?? '').split(' ')[0] ?? '');
      else if (message.text !== undefined)
        for (const word of message.text.split(/[^\p{L}\p{N}_-]+/u)) seen.add(word);
    const missing = variant.clients.filter((name) => !seen.has(name));
    const warnings =
      missing.length === variant.clients.length
        ? [
            say(
              lang,
              `nenhum dos clientes da sua variante (${listOf(lang, variant.clients)}) aparece na captura pelo nome`,
              `none of your variant's clients (${listOf(lang, variant.clients)}) appears by name in the capture`,
            ),
          ]
        : [];
    return { kind: 'own', warnings };
  }
  const other = classVariants.find(
    (v) => v.student !== variant.student && v.serverIp === ip && v.port === port,
  );
  if (other !== undefined) {
    return {
      kind: 'other-student',
      student: other.student,
      reason: say(
        lang,
        `a captura é da variante de ${other.student} (servidor ${shows}), não da sua (${variant.serverIp}:${variant.port})`,
        `the capture is of ${other.student}'s variant (server ${shows}), not yours (${variant.serverIp}:${variant.port})`,
      ),
    };
  }
  return {
    kind: 'wrong-lab',
    reason: say(
      lang,
      `a captura mostra o servidor em ${shows}, mas a sua variante o põe em ${variant.serverIp}:${variant.port} (sub-rede ${variant.subnet}): suba o lab com npm run demo -- --variant variant.json e capture de novo`,
      `the capture shows the server at ${shows}, but your variant puts it at ${variant.serverIp}:${variant.port} (subnet ${variant.subnet}): start the lab with npm run demo -- --variant variant.json and capture again`,
    ),
  };
}
