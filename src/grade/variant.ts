import { createHash } from 'node:crypto';

/** The texts the basic scenario sends in a variant: who talks, in which room, and what they say. */
export interface VariantTexts {
  readonly room: string;
  /** What each client says in the room, in client order. */
  readonly messages: readonly string[];
  /** The first client's direct message to the second, and the second's reply. */
  readonly direct: string;
  readonly reply: string;
}

/** A brought-in lab a variant runs (`assign --lab`): its lab file's name and its folder as assign was given it. */
export interface VariantLab {
  readonly name: string;
  readonly folder: string;
}

/**
 * One student's lab: addresses, port, names, texts and the file the first client sends the second; with `lab`,
 * a lab folder's own chat moved to the variant's addresses, names and port (its scenario says what is said).
 */
export interface Variant {
  readonly lab?: VariantLab;
  readonly student: string;
  readonly subnet: string;
  readonly serverIp: string;
  readonly firstClientIp: string;
  readonly port: number;
  readonly clients: readonly string[];
  readonly texts: VariantTexts;
  readonly file: { readonly name: string; readonly content: string };
}

const NAMES = [
  'ana',
  'bruno',
  'carla',
  'davi',
  'elisa',
  'fabio',
  'gabi',
  'heitor',
  'iris',
  'joao',
  'karen',
  'lucas',
  'marta',
  'nuno',
  'olga',
  'paulo',
  'quenia',
  'rafa',
  'sofia',
  'tiago',
  'ursula',
  'vitor',
  'wanda',
  'xavier',
  'yara',
  'zeca',
];
const ROOMS = ['redes', 'turma', 'lab', 'sockets', 'pacotes', 'camadas', 'quadro', 'projeto'];
const GREETINGS = ['oi pessoal', 'bom dia', 'boa tarde', 'ola turma', 'e ai', 'salve'];
const TOPICS = [
  'o servidor subiu na porta certa',
  'vamos capturar no eth0',
  'o handshake apareceu no wireshark',
  'cada mensagem termina em LF',
  'a porta de origem muda a cada conexao',
  'o cabecalho IPv4 tem 20 bytes',
  'o TCP garante a ordem',
  'encapsulamento: quadro, pacote, segmento',
];
const WORDS = [
  'azul',
  'verde',
  'cedro',
  'ipe',
  'rio',
  'serra',
  'vento',
  'lua',
  'sol',
  'mar',
  'pedra',
  'nuvem',
];

/** Deterministic bytes for a student: SHA-256 of the seed and the id, read as a stream of small numbers. */
class Draw {
  #bytes: Buffer;
  #at = 0;
  constructor(seed: string, student: string, salt: number) {
    this.#bytes = createHash('sha256').update(`${seed}\0${student}\0${salt}`).digest();
  }
  /** A number from 0 to n - 1 (two bytes at a time; 32 bytes give 16 draws, more rehash). */
  below(n: number): number {
    if (this.#at + 2 > this.#bytes.length) {
      this.#bytes = createHash('sha256').update(this.#bytes).digest();
      this.#at = 0;
    }
    const value = this.#bytes.readUInt16BE(this.#at);
    this.#at += 2;
    return value % n;
  }
  pick<T>(list: readonly T[]): T {
    return list[this.below(list.length)] as T;
  }
  /** `count` distinct items of `list`. */
  distinct<T>(list: readonly T[], count: number): T[] {
    const left = [...list];
    return Array.from({ length: count }, () => left.splice(this.below(left.length), 1)[0] as T);
  }
}

/**
 * A student's variant, the same every time for the same id, seed and salt: subnet 10.100-199.x.0/24, the server
 * at host 10-109, the clients after it, a port from 20000 to 39999, three names (or `clients`: a lab folder's
 * own count), texts and a file. `salt`
 * changes a variant that would collide with another student's (`assign` does that).
 */
export function deriveVariant(student: string, seed: string, salt = 0, clientCount = 3): Variant {
  const draw = new Draw(seed, student, salt);
  const net = `10.${100 + draw.below(100)}.${draw.below(256)}`;
  const serverHost = 10 + draw.below(100);
  const clients = draw.distinct(NAMES, Math.min(clientCount, NAMES.length));
  const [first = '', second = ''] = clients;
  const room = draw.pick(ROOMS);
  const messages = clients.map((name, i) =>
    i === 0
      ? `${draw.pick(GREETINGS)}, bem-vindos a #${room}`
      : `${draw.pick(GREETINGS)} ${first}, ${draw.pick(TOPICS)}`,
  );
  const word = draw.pick(WORDS);
  return {
    student,
    subnet: `${net}.0/24`,
    serverIp: `${net}.${serverHost}`,
    firstClientIp: `${net}.${serverHost + 1}`,
    port: 20000 + draw.below(20000),
    clients,
    texts: {
      room,
      messages,
      direct: `${second}, ${draw.pick(TOPICS)} (${word})`,
      reply: `valeu ${first}, anotado`,
    },
    file: {
      name: `notas-${word}-${draw.below(1000)}.txt`,
      content: `Notas de ${first} para ${second}\n${draw.pick(TOPICS)}\n${draw.pick(TOPICS)}\n`,
    },
  };
}

/** The address of client `i` (0-based) of a variant. */
export function clientIp(variant: Variant, i: number): string {
  const parts = variant.firstClientIp.split('.');
  return [...parts.slice(0, 3), String(Number(parts[3]) + i)].join('.');
}
