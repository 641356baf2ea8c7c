import { LabError } from './lab-error.js';

function parseAddress(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255))
    return undefined;
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

function formatAddress(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** An IPv4 network in CIDR form (RFC 4632), with the address arithmetic the lab's topology needs. */
export class Ipv4Subnet {
  private constructor(
    readonly network: number,
    readonly prefix: number,
  ) {}

  /** Parses `10.77.0.0/24`; host bits must be zero and the prefix must leave room for a small lab. */
  static parse(cidr: string): Ipv4Subnet {
    const [address = '', prefixText = ''] = cidr.trim().split('/');
    const network = parseAddress(address);
    const prefix = Number(prefixText);
    if (network === undefined || !/^\d{1,2}$/.test(prefixText) || prefix < 8 || prefix > 28) {
      throw new LabError(
        'LAB_BAD_CONFIG',
        `"${cidr}" is not an IPv4 subnet the lab can use.`,
        'Give one in CIDR form with a prefix between /8 and /28, for example CHATLAB_SUBNET=10.77.0.0/24.',
      );
    }
    if (network % 2 ** (32 - prefix) !== 0) {
      throw new LabError(
        'LAB_BAD_CONFIG',
        `"${cidr}" has host bits set.`,
        `Use the network address, ${formatAddress(network - (network % 2 ** (32 - prefix)))}/${prefix}.`,
      );
    }
    return new Ipv4Subnet(network, prefix);
  }

  get size(): number {
    return 2 ** (32 - this.prefix);
  }

  /** The address `offset` places after the network address (`.10` is offset 10 in a /24). */
  host(offset: number): string {
    if (!Number.isInteger(offset) || offset < 1 || offset >= this.size - 1) {
      throw new LabError(
        'LAB_BAD_CONFIG',
        `Host number ${offset} does not fit in ${this.toString()} (usable: 1 to ${this.size - 2}).`,
        'Choose a larger subnet or lower host numbers.',
      );
    }
    return formatAddress(this.network + offset);
  }

  /** The offset of `address` in this subnet, or an error when it lies outside (or is network/broadcast). */
  offsetOf(address: string): number {
    const value = parseAddress(address);
    const offset = value === undefined ? -1 : value - this.network;
    if (offset < 1 || offset >= this.size - 1) {
      throw new LabError(
        'LAB_BAD_CONFIG',
        `"${address}" is not a usable host address in ${this.toString()}.`,
        'Give an address inside the lab subnet, or leave it unset for the default.',
      );
    }
    return offset;
  }

  toString(): string {
    return `${formatAddress(this.network)}/${this.prefix}`;
  }
}
