/**
 * One header of a response or request, by lower-case name. Node and the browser adapters give
 * lower-case names, so the direct read is the fast path; a custom adapter or a plain object may
 * not, hence the case-insensitive fall-backs. An array (a repeated header) gives its first value.
 */
export function getHeader(headers: unknown, name: string): unknown {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const record = headers as Record<string, unknown>;
  let value = record[name];
  if (value === undefined) {
    const get = record['get'];
    if (typeof get === 'function') {
      value = (get as (header: string) => unknown).call(headers, name) ?? undefined;
    } else {
      for (const key of Object.keys(record)) {
        if (key.toLowerCase() === name) {
          value = record[key];
          break;
        }
      }
    }
  }
  return Array.isArray(value) ? value[0] : value;
}

/** A header as a non-empty string, or undefined. */
export function getHeaderString(headers: unknown, name: string): string | undefined {
  const value = getHeader(headers, name);
  return typeof value === 'string' && value !== '' ? value : undefined;
}
