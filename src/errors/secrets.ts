import { getHeaderString } from '../util/headers.js';
import { requestUrl } from '../util/url.js';

const REDACTED = '[REDACTED]';
// Query keys whose values are credentials: access_token, token, refresh_token, client_secret,
// shared_link_password, api_key, signature, a JWT grant's assertion...
const SENSITIVE_KEY = /token|secret|passw|api[-_]?key|signature|assertion/i;
// After ? & ; and # too: OAuth's implicit flow puts access_token in the fragment.
const QUERY_PAIR = /([?&;#])([^=&#;]*)=([^&#;]*)/g;
// Up to the last @ before the path: a password may hold an unencoded @.
const USERINFO = /^([a-z][a-z\d+.-]*:\/\/)[^/?#]*@/i;
// Secrets shorter than this are not searched for in free text: too many false hits.
const MIN_SECRET_LENGTH = 6;

/** `url` with the values of credential-like query parameters and any user:password replaced. */
export function redactUrl(url: string): string {
  return url
    .replace(USERINFO, `$1${REDACTED}@`)
    .replace(QUERY_PAIR, (pair, sep: string, key: string) =>
      SENSITIVE_KEY.test(safeDecode(key)) ? `${sep}${key}=${REDACTED}` : pair,
    );
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

interface ConfigLike {
  url?: string | undefined;
  data?: unknown;
  baseURL?: string | undefined;
  allowAbsoluteUrls?: boolean | undefined;
  headers?: unknown;
  params?: unknown;
  auth?: { username?: string; password?: string } | undefined;
}

/** The request's URL as axios sends it (see requestUrl), redacted. */
export function redactedRequestUrl(config: ConfigLike | undefined): string | undefined {
  if (!config) return undefined;
  const { url, baseURL, allowAbsoluteUrls } = config;
  if (typeof url !== 'string' && typeof baseURL !== 'string') return undefined;
  // A config a caller built by hand may hold anything: only strings make a URL.
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  return redactUrl(requestUrl({ url: text(url), baseURL: text(baseURL), allowAbsoluteUrls }));
}

/**
 * The credentials a request carries (bearer token, BoxApi shared-link header, basic-auth password
 * and the header axios builds from it, credential-like query values), so that text a server
 * echoed can be scrubbed of them.
 */
export function collectSecrets(config: ConfigLike | undefined): string[] {
  if (!config) return [];
  const secrets: string[] = [];
  const authorization = getHeaderString(config.headers, 'authorization');
  if (authorization) {
    secrets.push(authorization);
    const space = authorization.indexOf(' ');
    if (space > 0) secrets.push(authorization.slice(space + 1).trim());
  }
  const boxApi = getHeaderString(config.headers, 'boxapi');
  if (boxApi) {
    secrets.push(boxApi);
    // Each part too (shared_link=...&shared_link_password=...): a server may echo one alone, and
    // the link of an open shared item is itself a credential.
    for (const [, , , value = ''] of `&${boxApi}`.matchAll(QUERY_PAIR)) secrets.push(value, safeDecode(value));
  }
  const auth = config.auth;
  if (auth) {
    if (auth.password) secrets.push(auth.password);
    // What goes on the wire for `auth`: axios's adapters build this header themselves, outside
    // config.headers, so a server that echoes it echoes a value the headers above never held.
    secrets.push(basicCredential(auth));
  }
  // The URLs, and a form body such as the OAuth token POST (refresh_token, client_secret).
  for (const text of [config.url, config.baseURL, config.data]) {
    if (typeof text !== 'string') continue;
    for (const [, , key = '', value = ''] of `&${text}`.matchAll(QUERY_PAIR)) {
      if (SENSITIVE_KEY.test(safeDecode(key))) secrets.push(value, safeDecode(value));
    }
  }
  for (const fields of [config.params, config.data]) {
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) continue;
    for (const [key, value] of Object.entries(fields as Record<string, unknown>)) {
      if (SENSITIVE_KEY.test(key) && (typeof value === 'string' || typeof value === 'number')) {
        secrets.push(String(value));
      }
    }
  }
  return secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH);
}

/** `config.auth` as axios sends it: base64 of UTF-8 `username:password`. */
function basicCredential(auth: { username?: string; password?: string }): string {
  const bytes = new TextEncoder().encode(`${auth.username ?? ''}:${auth.password ?? ''}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** `text` with every occurrence of each secret replaced. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** A value copied, not shown as its class: a plain object, an array, a Map, a Set. */
export function isContainer(value: object): boolean {
  if (Array.isArray(value) || value instanceof Map || value instanceof Set) return true;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** How an instance of some class is shown in a scrubbed copy: by its class's name. */
export function className(value: object): string {
  return `[${(value.constructor as { name?: string } | undefined)?.name || 'Object'}]`;
}

/**
 * `value` with every string inside it scrubbed of the secrets: plain objects, arrays, Maps and
 * Sets are copied, down to a bounded depth and number of values (what lies beyond is dropped, and
 * a value that holds itself shows `[Circular]`, rather than walked without end); an Error is kept
 * as it is (scrubbed in place, see scrub-thrown.ts), or shown as `walk.errors` says (its scrubbed
 * copy); an instance of any other class, which may hold what no copy can see, is shown by its
 * class's name.
 */
export function scrubDeep(
  value: unknown,
  secrets: readonly string[],
  depth = 0,
  walk: { left: number; path: Set<object>; errors?: ReadonlyMap<object, unknown> } = { left: 10_000, path: new Set<object>() },
): unknown {
  if (typeof value === 'string') return scrub(value, secrets);
  if (typeof value !== 'object' || value === null || secrets.length === 0) return value;
  if (value instanceof Error) return walk.errors?.get(value) ?? value;
  if (depth >= 16 || --walk.left < 0) return undefined;
  if (walk.path.has(value)) return '[Circular]';
  if (!isContainer(value)) return className(value);
  walk.path.add(value);
  const copy = (item: unknown): unknown => scrubDeep(item, secrets, depth + 1, walk);
  try {
    if (Array.isArray(value)) return value.map(copy);
    if (value instanceof Map) return new Map([...value].map(([key, item]) => [copy(key), copy(item)]));
    if (value instanceof Set) return new Set([...value].map(copy));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = copy(item);
    return out;
  } finally {
    walk.path.delete(value);
  }
}

/** `value` (a string or undefined) scrubbed of the secrets. */
export function scrubOptional(value: string | undefined, secrets: readonly string[]): string | undefined {
  return value === undefined ? undefined : scrub(value, secrets);
}
