// The apiserver's List order for Services: by key (`namespace/name`), one entry per key.

export interface Keyed {
  key: string;
}

/**
 * `items` in List order, keeping for each key the last item (in the given order) that has it.
 * Sorts in place (stable) and returns the same array, shortened when keys repeat.
 */
export function sortInListOrder<T extends Keyed>(items: T[]): T[] {
  items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let n = 0;
  for (let i = 0; i < items.length; i++) {
    if (i + 1 < items.length && items[i + 1].key === items[i].key) continue;
    items[n++] = items[i];
  }
  items.length = n;
  return items;
}
