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

/** A field as the scrubber sets it: writable and configurable, so that it can be scrubbed again. */
const described = (value: unknown, enumerable = false): PropertyDescriptor => ({ value, enumerable, writable: true, configurable: true });

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
 * as the plugin's own are. An error that cannot be scrubbed in place (frozen, a field that cannot
 * be redefined, a message its class keeps inside as DOMException's) is shown by a scrubbed copy.
 */
class Scrubber {
  readonly #secrets: readonly string[];
  readonly #seen = new Set<object>();
  /** What each error met is shown as: itself, scrubbed in place; its scrubbed copy; or CUT. */
  readonly #shown = new Map<object, unknown>();
  #objects = 0;

  constructor(secrets: readonly string[]) {
    this.#secrets = secrets;
  }

  /** Fix the errors within `value`; whether it holds a secret (or what cannot be looked into). */
  visit(value: unknown, depth: number): boolean {
    if (typeof value === 'string') return this.#secrets.some((secret) => value.includes(secret));
    if (typeof value !== 'object' || value === null) return false;
    if (value instanceof Error) return this.fix(value, depth) !== value;
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

  /** Fix `error` in place; what to show in its place: itself, its scrubbed copy, or CUT when it is nested too deep. */
  fix(error: Error, depth: number): unknown {
    if (this.#seen.has(error)) return this.#shown.get(error) ?? error;
    if (depth >= MAX_DEPTH || ++this.#objects > MAX_OBJECTS) return CUT;
    this.#seen.add(error);
    const ours = BOX_ERROR_BRAND in error;
    const axiosLike = isAxiosErrorLike(error);
    /** Each field as shown: a copy is made of them, should the error not take them in place. */
    const shown: PropertyDescriptorMap = {};
    let opaque = false;
    let stuck = false;
    // Symbol keys too: util.inspect shows an enumerable one.
    for (const key of Reflect.ownKeys(error)) {
      if (axiosLike && REQUEST_FIELDS.has(key as string)) continue;
      let field: PropertyDescriptor;
      let value: unknown;
      try {
        field = Object.getOwnPropertyDescriptor(error, key) as PropertyDescriptor;
        value = 'value' in field ? (field.value as unknown) : (error as unknown as Record<PropertyKey, unknown>)[key];
      } catch {
        // A getter that throws shows nothing either.
        continue;
      }
      let next = value;
      /** An instance of some class: kept, out of enumeration; a copy names its class. */
      let kept = false;
      if (typeof value === 'string') next = scrub(value, this.#secrets);
      else if (value instanceof Error) next = this.fix(value, depth + 1);
      else if (typeof value !== 'object' || value === null) {
        // Numbers, booleans, functions: nothing to scrub.
      } else if (isContainer(value)) {
        if (this.visit(value, depth + 1)) next = scrubDeep(value, this.#secrets, 0, { left: 10_000, path: new Set(), errors: this.#shown });
      } else if (!ours) {
        opaque = kept = true;
        next = className(value);
      }
      shown[key] = described(next, field.enumerable);
      try {
        if (kept) Object.defineProperty(error, key, { ...field, enumerable: false });
        else if (next !== value) Object.defineProperty(error, key, shown[key]);
      } catch {
        stuck = true;
      }
    }
    let named = ['Error', ''];
    try {
      named = [String(error.name), String(error.message)];
      // What its class shows of it (DOMException's message) is not the error's to change.
      if (!stuck && !named.some((text) => this.visit(text, depth))) {
        if (axiosLike) redactPlainError(error);
        else if (opaque) Object.defineProperty(error, INSPECT, described(inspectScrubbed));
        return error;
      }
    } catch {
      // A frozen error: shown by its copy.
    }
    const copy = Object.defineProperties(new Error(scrub(named[1] as string, this.#secrets)), { name: described(scrub(named[0] as string, this.#secrets)), ...shown });
    this.#shown.set(error, copy);
    return copy;
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
      const shown = scrubber.fix(value, 0);
      return shown === value ? redactPlainError(value) : shown;
    }
    return scrubber.visit(value, 0) ? scrubDeep(value, secrets) : value;
  } catch {
    // A value every look at throws (a revoked Proxy) cannot be shown, nor shown to hold nothing.
    return UNREADABLE;
  }
}
