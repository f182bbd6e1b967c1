import { BOX_ERROR_BRAND } from './brand.js';
import { INSPECT, isAxiosErrorLike, redactPlainError } from './redaction.js';
import { className, isContainer, scrub, scrubDeep } from './secrets.js';

// How far a walk goes: what is nested deeper, or met after so many objects, is cut rather than
// walked without end (a cycle is walked once).
const MAX_DEPTH = 16;
const MAX_OBJECTS = 1000;
const CUT = '[REDACTED: nested too deep]';
const UNREADABLE = '[REDACTED: unreadable]';
// An axios error's own request fields: hidden and redacted by redactPlainError, never replaced.
const REQUEST_FIELDS: ReadonlySet<string> = new Set(['config', 'request', 'response']);

/** The errors being inspected now: a cycle of causes is shown once. */
const inspecting = new Set<object>();

/**
 * What `util.inspect` shows of an error with a field that is an instance of some class (got's
 * `options` and `response`, ky's `request`): such a field may hide a credential where no walk
 * can see it (a private field, a custom inspect of its own), even with `showHidden`, so it is
 * shown by its class's name; the rest as it is, scrubbed already.
 */
function inspectScrubbed(this: Error, _depth: number, options: object, inspect?: (value: unknown, options: object) => string): string {
  if (inspecting.has(this)) return `[Circular ${this.name}]`;
  inspecting.add(this);
  try {
    const fields: Record<string, unknown> = {};
    for (const key of Object.getOwnPropertyNames(this)) {
      const value = Object.getOwnPropertyDescriptor(this, key)?.value as unknown;
      if (key === 'stack' || key === 'message' || value === undefined) continue;
      fields[key] = typeof value === 'object' && value !== null && !(value instanceof Error) && !isContainer(value) ? className(value) : value;
    }
    return `${this.stack ?? `${this.name}: ${this.message}`} ${inspect ? inspect(fields, options) : JSON.stringify(fields)}`;
  } finally {
    inspecting.delete(this);
  }
}

/**
 * Scrubs the secrets from an error, its causes (at any depth, AggregateError `errors` included)
 * and whatever they hold, in place and bounded: text is scrubbed; a plain object, array, Map or
 * Set that holds a secret is replaced by a scrubbed copy; an instance of some other class is
 * kept out of enumeration (JSON, spreads) and out of `util.inspect`; an axios error is redacted
 * as the plugin's own are.
 */
class Scrubber {
  readonly #secrets: readonly string[];
  readonly #seen = new Set<object>();
  #objects = 0;

  constructor(secrets: readonly string[]) {
    this.#secrets = secrets;
  }

  /** Fix the errors within `value`; whether it holds a secret (or what cannot be looked into). */
  visit(value: unknown, depth: number): boolean {
    if (typeof value === 'string') return this.#secrets.some((secret) => value.includes(secret));
    if (typeof value !== 'object' || value === null) return false;
    if (value instanceof Error) return !this.fix(value, depth);
    if (!isContainer(value)) return true;
    if (this.#seen.has(value)) return false;
    if (depth >= MAX_DEPTH || ++this.#objects > MAX_OBJECTS) return true;
    this.#seen.add(value);
    const items =
      value instanceof Map ? [...value.keys(), ...value.values()] : value instanceof Set ? [...value] : Object.values(value);
    let found = false;
    for (const item of items) found = this.visit(item, depth + 1) || found;
    return found;
  }

  /** Fix `error` in place; false when it is nested too deep to walk (it must then be cut). */
  fix(error: Error, depth: number): boolean {
    if (this.#seen.has(error)) return true;
    if (depth >= MAX_DEPTH || ++this.#objects > MAX_OBJECTS) return false;
    this.#seen.add(error);
    const ours = BOX_ERROR_BRAND in error;
    const axiosLike = isAxiosErrorLike(error);
    let opaque = false;
    for (const key of Object.getOwnPropertyNames(error)) {
      if (axiosLike && REQUEST_FIELDS.has(key)) continue;
      try {
        const field = Object.getOwnPropertyDescriptor(error, key) as PropertyDescriptor;
        const value = 'value' in field ? (field.value as unknown) : (error as unknown as Record<string, unknown>)[key];
        let next = value;
        if (typeof value === 'string') next = scrub(value, this.#secrets);
        else if (typeof value !== 'object' || value === null) continue;
        else if (value instanceof Error) next = this.fix(value, depth + 1) ? value : CUT;
        else if (isContainer(value)) next = this.visit(value, depth + 1) ? scrubDeep(value, this.#secrets) : value;
        else if (!ours) {
          opaque = true;
          if (field.enumerable) Object.defineProperty(error, key, { ...field, enumerable: false });
        }
        if (next !== value) Object.defineProperty(error, key, { value: next, writable: true, configurable: true, enumerable: field.enumerable === true });
      } catch {
        // A read-only field, or a getter that throws, stays as it is.
      }
    }
    if (axiosLike) redactPlainError(error);
    else if (opaque) Object.defineProperty(error, INSPECT, { value: inspectScrubbed, writable: true, configurable: true });
    return true;
  }
}

/** Scrub the secrets from an error and everything it holds, causes at any depth included, in place. */
export function scrubErrorChain(error: unknown, secrets: readonly string[]): void {
  if (error instanceof Error) new Scrubber(secrets).fix(error, 0);
}

/**
 * What a caller's callback threw (a refresh function, say), fit to be shown as a `cause`: an
 * Error is scrubbed in place (see {@link scrubErrorChain}) and redacted; a string is scrubbed; any
 * other value that holds a secret becomes a scrubbed copy, since what cannot be changed in place
 * cannot be shown as it is.
 */
export function redactThrown(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return scrub(value, secrets);
  const scrubber = new Scrubber(secrets);
  try {
    if (value instanceof Error) {
      scrubber.fix(value, 0);
      return redactPlainError(value);
    }
    return scrubber.visit(value, 0) ? scrubDeep(value, secrets) : value;
  } catch {
    // A value every look at throws (a revoked Proxy) cannot be shown, nor shown to hold nothing.
    return UNREADABLE;
  }
}
