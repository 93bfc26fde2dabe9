// Canonical JSON: object keys sorted, `undefined` properties dropped (`null` in arrays), dates as
// ISO strings, bigints as decimal strings. Two values that mean the same serialise to the same
// string, so their SHA-256 is a stable content hash. Written as a direct serialiser (no sorted
// copy of the value) because a sync hashes every offer of a batch.
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  return write(value) ?? 'null';
}

export function sha256Canonical(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}

/** `undefined` for values JSON leaves out (undefined, functions, symbols). */
function write(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return `"${value.toString()}"`;
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) out += (i > 0 ? ',' : '') + (write(value[i]) ?? 'null');
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const key of Object.keys(record).sort()) {
    const item = write(record[key]);
    if (item === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${item}`;
    first = false;
  }
  return `${out}}`;
}
