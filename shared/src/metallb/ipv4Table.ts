// IPv4 address → value, in pages of 64 consecutive addresses. Allocations fill pools in runs, so
// the pages stay few and a lookup is a small-Map hit plus an array read (the page of the last
// lookup is kept), where a Map of 100k addresses misses the cache on almost every lookup.

const PAGE_BITS = 6;
const PAGE_MASK = (1 << PAGE_BITS) - 1;

export class IPv4Table<T> {
  private readonly pages = new Map<number, (T | undefined)[]>();
  private count = 0;
  private lastKey = -1;
  private lastPage: (T | undefined)[] | undefined;

  /** Addresses with a value. */
  get size(): number {
    return this.count;
  }

  get(address: number): T | undefined {
    return this.page(address >>> PAGE_BITS)?.[address & PAGE_MASK];
  }

  /** Sets the value of an address (`value` is never undefined). */
  set(address: number, value: T): void {
    const key = address >>> PAGE_BITS;
    let page = this.page(key);
    if (!page) {
      page = new Array<T | undefined>(PAGE_MASK + 1).fill(undefined);
      this.pages.set(key, page);
      this.lastKey = key;
      this.lastPage = page;
    }
    const i = address & PAGE_MASK;
    if (page[i] === undefined) this.count++;
    page[i] = value;
  }

  delete(address: number): boolean {
    const page = this.page(address >>> PAGE_BITS);
    const i = address & PAGE_MASK;
    if (!page || page[i] === undefined) return false;
    page[i] = undefined;
    this.count--;
    return true;
  }

  /** Every address with its value (pages in the order they were made, addresses ascending in each). */
  forEach(fn: (value: T, address: number) => void): void {
    for (const [key, page] of this.pages) {
      for (let i = 0; i <= PAGE_MASK; i++) {
        const v = page[i];
        if (v !== undefined) fn(v, key * (PAGE_MASK + 1) + i);
      }
    }
  }

  private page(key: number): (T | undefined)[] | undefined {
    if (key === this.lastKey) return this.lastPage;
    const page = this.pages.get(key);
    if (page) {
      this.lastKey = key;
      this.lastPage = page;
    }
    return page;
  }
}
