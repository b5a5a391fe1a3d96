// Which pools contain an address, without scanning every pool: rules look up each requested IP of
// every Service, and a scan per lookup made a lint of thousands of Services over hundreds of pools
// quadratic. A CIDR contains an address exactly when the address, masked to the CIDR's prefix
// length, is the CIDR's start, so the index is one map lookup per prefix length in use.
import type { Cidr } from '../../address/cidr.js';
import { FAMILY_BITS, type Family, type IP } from '../../address/ip.js';
import type { Pool } from '../../model/types.js';

export class PoolsByAddress {
  /** `family/prefix/start` → indexes (in `pools`) of the pools with that CIDR. */
  private readonly byBlock = new Map<string, number[]>();
  private readonly prefixes: Record<Family, number[]> = { ipv4: [], ipv6: [] };
  /** CIDRs that are not an aligned prefix block (none from the address parser), checked one by one. */
  private readonly irregular: { cidr: Cidr; index: number }[] = [];

  constructor(readonly pools: readonly Pool[]) {
    pools.forEach((pool, index) => {
      for (const cidr of pool.cidrs) {
        if (!isAlignedBlock(cidr)) {
          this.irregular.push({ cidr, index });
          continue;
        }
        const key = blockKey(cidr.family, cidr.prefix, cidr.start);
        const indexes = this.byBlock.get(key);
        if (!indexes) this.byBlock.set(key, [index]);
        else if (indexes[indexes.length - 1] !== index) indexes.push(index);
        if (!this.prefixes[cidr.family].includes(cidr.prefix)) this.prefixes[cidr.family].push(cidr.prefix);
      }
    });
  }

  /** The pools with a CIDR containing `ip`, in `pools` order: `pools.filter((p) => p.cidrs.some(contains ip))`. */
  covering(ip: IP): Pool[] {
    const found = new Set<number>();
    const bits = BigInt(FAMILY_BITS[ip.family]);
    for (const prefix of this.prefixes[ip.family]) {
      const host = bits - BigInt(prefix);
      const indexes = this.byBlock.get(blockKey(ip.family, prefix, (ip.value >> host) << host));
      if (indexes) for (const i of indexes) found.add(i);
    }
    for (const { cidr, index } of this.irregular) {
      if (cidr.family === ip.family && ip.value >= cidr.start && ip.value <= cidr.end) found.add(index);
    }
    return [...found].sort((a, b) => a - b).map((i) => this.pools[i]);
  }
}

function blockKey(family: Family, prefix: number, start: bigint): string {
  return `${family}/${prefix}/${start}`;
}

/** `start`/`end` are exactly the block of `prefix` bits (what cidrOf makes). */
function isAlignedBlock(c: Cidr): boolean {
  const bits = FAMILY_BITS[c.family];
  if (!Number.isInteger(c.prefix) || c.prefix < 0 || c.prefix > bits) return false;
  const host = BigInt(bits - c.prefix);
  return (c.start >> host) << host === c.start && c.end === c.start + (1n << host) - 1n;
}
