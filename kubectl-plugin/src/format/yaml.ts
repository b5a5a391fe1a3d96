// `-o yaml`: the same document as `-o json` (BigInts as strings, Maps as objects).
import { stringify as yamlStringify } from 'yaml';

export function toPlain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Map ? Object.fromEntries(v) : v)));
}

export function formatYaml(value: unknown): string {
  return yamlStringify(toPlain(value), { lineWidth: 0 });
}
