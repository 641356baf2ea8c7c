import { readFileSync } from 'node:fs';
import type { BasicCast } from '../scenario/basic-cast.js';
import { GradeError } from './grade-error.js';
import { clientIp, type Variant } from './variant.js';

/** The JSON of a variant as `assign` writes it (`<out>/<id>/variant.json`). */
export function variantJson(variant: Variant): string {
  return `${JSON.stringify(variant, null, 2)}\n`;
}

/** Reads a variant file; a missing field or a wrong type says which, and that `assign` writes these files. */
export function readVariantFile(path: string): Variant {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new GradeError(
      'GRADE_BAD_VARIANT',
      `cannot read the variant file ${path}: give the variant.json that assign wrote.`,
      { path },
      { cause: error },
    );
  }
  return parseVariant(text, path);
}

export function parseVariant(text: string, file: string): Variant {
  const bad = (what: string): GradeError =>
    new GradeError(
      'GRADE_BAD_VARIANT',
      `${file} ${what}: give the variant.json that assign wrote, unchanged.`,
      { file },
    );
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw bad('is not JSON');
  }
  if (typeof value !== 'object' || value === null) throw bad('is not a JSON object');
  const v = value as Record<string, unknown>;
  for (const key of ['student', 'subnet', 'serverIp', 'firstClientIp'] as const)
    if (typeof v[key] !== 'string') throw bad(`has no "${key}"`);
  if (typeof v.port !== 'number' || !Number.isInteger(v.port)) throw bad('has no "port"');
  if (!Array.isArray(v.clients) || v.clients.length === 0 || !v.clients.every((c) => typeof c === 'string'))
    throw bad('has no "clients" list');
  const texts = isObject(v.texts) ? v.texts : null;
  if (
    texts === null ||
    typeof texts.room !== 'string' ||
    !Array.isArray(texts.messages) ||
    typeof texts.direct !== 'string' ||
    typeof texts.reply !== 'string'
  )
    throw bad('has no "texts" (room, messages, direct, reply)');
  const sent = isObject(v.file) ? v.file : null;
  if (sent === null || typeof sent.name !== 'string' || typeof sent.content !== 'string')
    throw bad('has no "file" (name, content)');
  const lab = v.lab === undefined ? null : isObject(v.lab) ? v.lab : undefined;
  if (lab === undefined || (lab !== null && (typeof lab.name !== 'string' || typeof lab.folder !== 'string')))
    throw bad('has a "lab" that is not { name, folder }');
  return value as Variant;
}

/** The lab flags (as `chatlab lab up` takes them) that bring up a variant's lab. */
export function variantLabFlags(variant: Variant): string[] {
  return [
    `--subnet=${variant.subnet}`,
    `--server-ip=${variant.serverIp}`,
    `--first-client-ip=${variant.firstClientIp}`,
    `--clients=${variant.clients.join(',')}`,
    `--port=${variant.port}`,
  ];
}

/** Every host of a variant's lab by name and address: the server first. */
export function variantHosts(variant: Variant): { name: string; ip: string }[] {
  return [
    { name: 'server', ip: variant.serverIp },
    ...variant.clients.map((name, i) => ({ name, ip: clientIp(variant, i) })),
  ];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The basic scenario's cast for a variant: its three clients, room, texts and file. */
export function variantCast(variant: Variant): BasicCast {
  const [a = '', b = '', c = ''] = variant.clients;
  const [m1 = '', m2 = '', m3 = ''] = variant.texts.messages;
  return {
    clients: [a, b, c],
    room: variant.texts.room,
    messages: [m1, m2, m3],
    direct: variant.texts.direct,
    reply: variant.texts.reply,
    file: variant.file,
  };
}
