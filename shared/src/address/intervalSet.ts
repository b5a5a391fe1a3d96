// A set of BigInt values stored as sorted, disjoint, coalesced inclusive intervals.
// Every operation is O(log n) in the number of intervals (plus an array splice), never in the
// number of addresses, so a /48 with 100k allocations costs what a /24 does.

export interface Interval {
  start: bigint;
  end: bigint;
}

export class IntervalSet {
  private readonly starts: bigint[] = [];
  private readonly ends: bigint[] = [];

  static of(intervals: Iterable<Interval>): IntervalSet {
    const set = new IntervalSet();
    for (const i of intervals) set.addRange(i.start, i.end);
    return set;
  }

  get intervalCount(): number {
    return this.starts.length;
  }

  /** Number of values in the set. */
  size(): bigint {
    let total = 0n;
    for (let i = 0; i < this.starts.length; i++) total += this.ends[i] - this.starts[i] + 1n;
    return total;
  }

  isEmpty(): boolean {
    return this.starts.length === 0;
  }

  *intervals(): IterableIterator<Interval> {
    for (let i = 0; i < this.starts.length; i++) yield { start: this.starts[i], end: this.ends[i] };
  }

  /** Index of the last interval whose start is <= v, or -1. */
  private floorIndex(v: bigint): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] <= v) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  has(v: bigint): boolean {
    const i = this.floorIndex(v);
    return i >= 0 && this.ends[i] >= v;
  }

  add(v: bigint): void {
    this.addRange(v, v);
  }

  addRange(start: bigint, end: bigint): void {
    if (end < start) return;
    const starts = this.starts;
    const ends = this.ends;
    let i = this.floorIndex(start);
    // Merge with the interval before if it touches or overlaps.
    if (i >= 0 && ends[i] + 1n >= start) {
      if (ends[i] >= end) return;
      start = starts[i];
    } else i++;
    let j = i;
    let after = end + 1n;
    while (j < starts.length && starts[j] <= after) {
      if (ends[j] > end) {
        end = ends[j];
        after = end + 1n;
      }
      j++;
    }
    if (j - i === 1) {
      // One interval grows: no splice (each splice allocates the array of what it removed).
      starts[i] = start;
      ends[i] = end;
      return;
    }
    starts.splice(i, j - i, start);
    ends.splice(i, j - i, end);
  }

  delete(v: bigint): boolean {
    const i = this.floorIndex(v);
    if (i < 0 || this.ends[i] < v) return false;
    const s = this.starts[i];
    const e = this.ends[i];
    if (s === v && e === v) {
      this.starts.splice(i, 1);
      this.ends.splice(i, 1);
    } else if (s === v) this.starts[i] = v + 1n;
    else if (e === v) this.ends[i] = v - 1n;
    else {
      this.ends[i] = v - 1n;
      this.starts.splice(i + 1, 0, v + 1n);
      this.ends.splice(i + 1, 0, e);
    }
    return true;
  }

  /** The first value >= from that is NOT in the set. */
  nextAbsent(from: bigint): bigint {
    const i = this.floorIndex(from);
    if (i >= 0 && this.ends[i] >= from) return this.ends[i] + 1n;
    return from;
  }

  /** The first value >= from that IS in the set, or undefined. */
  nextPresent(from: bigint): bigint | undefined {
    const i = this.floorIndex(from);
    if (i >= 0 && this.ends[i] >= from) return from;
    return i + 1 < this.starts.length ? this.starts[i + 1] : undefined;
  }

  /** Number of values of the set inside [start, end]. */
  countIn(start: bigint, end: bigint): bigint {
    let total = 0n;
    let i = Math.max(0, this.floorIndex(start));
    for (; i < this.starts.length && this.starts[i] <= end; i++) {
      const s = this.starts[i] > start ? this.starts[i] : start;
      const e = this.ends[i] < end ? this.ends[i] : end;
      if (e >= s) total += e - s + 1n;
    }
    return total;
  }

  /** The n-th value (0-based) in ascending order, or undefined. */
  nth(n: bigint): bigint | undefined {
    for (let i = 0; i < this.starts.length; i++) {
      const len = this.ends[i] - this.starts[i] + 1n;
      if (n < len) return this.starts[i] + n;
      n -= len;
    }
    return undefined;
  }

  /** First interval shared with [start, end], or undefined. */
  overlapWith(start: bigint, end: bigint): Interval | undefined {
    const i = Math.max(0, this.floorIndex(start));
    for (let k = i; k < this.starts.length && this.starts[k] <= end; k++) {
      const s = this.starts[k] > start ? this.starts[k] : start;
      const e = this.ends[k] < end ? this.ends[k] : end;
      if (e >= s) return { start: s, end: e };
    }
    return undefined;
  }

  intersect(other: IntervalSet): IntervalSet {
    const out = new IntervalSet();
    let i = 0;
    let j = 0;
    while (i < this.starts.length && j < other.starts.length) {
      const s = this.starts[i] > other.starts[j] ? this.starts[i] : other.starts[j];
      const e = this.ends[i] < other.ends[j] ? this.ends[i] : other.ends[j];
      if (s <= e) out.addRange(s, e);
      if (this.ends[i] < other.ends[j]) i++;
      else j++;
    }
    return out;
  }

  difference(other: IntervalSet): IntervalSet {
    const out = new IntervalSet();
    for (const { start, end } of this.intervals()) {
      let cur = start;
      while (cur <= end) {
        const next = other.nextPresent(cur);
        if (next === undefined || next > end) {
          out.addRange(cur, end);
          break;
        }
        if (next > cur) out.addRange(cur, next - 1n);
        cur = other.nextAbsent(next);
      }
    }
    return out;
  }

  union(other: IntervalSet): IntervalSet {
    const out = IntervalSet.of(this.intervals());
    for (const i of other.intervals()) out.addRange(i.start, i.end);
    return out;
  }

  clone(): IntervalSet {
    return IntervalSet.of(this.intervals());
  }
}
