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
  const n = items.length;
  // Per item: its namespace's id (in order of first sight) and its name.
  const rank = new Int32Array(n);
  const names = new Array<string>(n);
  const ids = new Map<string, number>();
  const namespaces: string[] = [];
  for (let i = 0; i < n; i++) {
    const { key, svc } = items[i];
    const ns = svc.namespace;
    if (key.length !== ns.length + 1 + svc.name.length) return sortByKey(items);
    let id = ids.get(ns);
    if (id === undefined) {
      if (ns.includes('/')) return sortByKey(items);
      ids.set(ns, (id = namespaces.length));
      namespaces.push(ns);
    }
    rank[i] = id;
    names[i] = svc.name;
  }
  // Ids become ranks in key order: `ns/` decides between keys of different namespaces ('/' sorts
  // after '-' and '.', before digits), and no namespace holds a '/' (so none of these is a prefix of another).
  const withSlash = namespaces.map((ns) => `${ns}/`);
  const byKey = namespaces.map((_, id) => id).sort((a, b) => (withSlash[a] < withSlash[b] ? -1 : 1));
  const rankOf = new Int32Array(namespaces.length);
  for (let r = 0; r < byKey.length; r++) rankOf[byKey[r]] = r;
  for (let i = 0; i < n; i++) rank[i] = rankOf[rank[i]];
  // A stable sort of positions (small integers: cheap to move and compare), then the last of each key.
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => rank[a] - rank[b] || (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0));
  const src = items.slice();
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const a = order[i];
    const b = order[i + 1];
    if (i + 1 < n && rank[a] === rank[b] && names[a] === names[b]) continue;
    items[kept++] = src[a];
  }
  items.length = kept;
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
