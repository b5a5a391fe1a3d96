// The apiserver's List order for Services: by key (`namespace/name`), one entry per key. Sorting
// 100k keys compares the key strings over a million times, and a key built as `${ns}/${name}` is
// a concatenation V8 must first copy into a flat string, once per key. Sorting by namespace rank
// then name gives the same order without reading the keys. It relies on Service.key being
// `namespace/name` (readService builds it so); a key of another length falls back to the key sort.
import type { Service } from '../model/types.js';

export interface Keyed {
  key: string;
  svc: Service;
}

/**
 * `items` in List order, keeping for each key the last item (in the given order) that has it.
 * Sorts in place and returns the same array, shortened when keys repeat.
 */
export function sortInListOrder<T extends Keyed>(items: T[]): T[] {
  const ranks = namespaceRanks(items);
  if (!ranks) return sortByKey(items);
  // A stable sort of (namespace rank, name, position) records, then the last of each key.
  const recs = new Array<{ item: T; rank: number; name: string }>(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    recs[i] = { item, rank: ranks.get(item.svc.namespace)!, name: item.svc.name };
  }
  recs.sort((a, b) => a.rank - b.rank || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let n = 0;
  for (let i = 0; i < recs.length; i++) {
    const next = recs[i + 1];
    if (next && next.rank === recs[i].rank && next.name === recs[i].name) continue;
    items[n++] = recs[i].item;
  }
  items.length = n;
  return items;
}

function sortByKey<T extends Keyed>(items: T[]): T[] {
  items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let n = 0;
  for (let i = 0; i < items.length; i++) {
    if (i + 1 < items.length && items[i + 1].key === items[i].key) continue;
    items[n++] = items[i];
  }
  items.length = n;
  return items;
}

/**
 * Each namespace's rank in key order, or undefined when ranks cannot stand in for keys: a key
 * that is not `namespace/name` (told by its length), or a namespace containing `/` (then one
 * namespace plus `/` can be a prefix of another and names decide).
 */
function namespaceRanks(items: Keyed[]): Map<string, number> | undefined {
  const ranks = new Map<string, number>();
  for (let i = 0; i < items.length; i++) {
    const { key, svc } = items[i];
    if (key.length !== svc.namespace.length + 1 + svc.name.length) return undefined;
    if (!ranks.has(svc.namespace)) ranks.set(svc.namespace, 0);
  }
  const names = [...ranks.keys()];
  if (names.some((ns) => ns.includes('/'))) return undefined;
  // `ns/` decides between keys of different namespaces: '/' sorts after '-' and '.', before digits.
  const withSlash = names.map((ns) => `${ns}/`);
  const order = names.map((_, i) => i).sort((a, b) => (withSlash[a] < withSlash[b] ? -1 : withSlash[a] > withSlash[b] ? 1 : 0));
  order.forEach((i, rank) => ranks.set(names[i], rank));
  return ranks;
}
