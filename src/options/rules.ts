import { optionError, unknownOptionError } from '../errors/messages.js';
import { MAX_TIMER_MS } from '../util/wait.js';

/**
 * One option's rule: the value as resolved, or a TypeError that names `name`. `context` is what
 * the rule may need besides the value (the policy it is laid over, say).
 */
export type Rule<C = unknown> = (value: unknown, name: string, context: C) => unknown;

/** Throw the TypeError of a bad option: `axios-box-status: ${name} must be ${expected}, received ...`. */
export function fail(name: string, expected: string, value: unknown): never {
  throw optionError(name, expected, value);
}

/** A plain object literal: a Map, a Date or a class instance is no options object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

export function isNumberIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && value >= min && value <= max;
}

export const wholeNumber =
  (min: number, max: number): Rule =>
  (value, name) =>
    isNumberIn(value, min, max) && Number.isInteger(value) ? value : fail(name, `a whole number from ${min} to ${max}`, value);

export const milliseconds =
  (min: number, max = MAX_TIMER_MS): Rule =>
  (value, name) =>
    isNumberIn(value, min, max) ? value : fail(name, `a number of milliseconds from ${min} to ${max}`, value);

export const aBoolean: Rule = (value, name) => (typeof value === 'boolean' ? value : fail(name, 'a boolean', value));

export const aFunction: Rule = (value, name) => (typeof value === 'function' ? value : fail(name, 'a function', value));

/** Whether `value` is an object with a function under each of `methods`. */
export function hasMethods(value: unknown, methods: readonly string[]): boolean {
  return typeof value === 'object' && value !== null && methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function');
}

/** A store with the required methods of the part it is asked for (a BoxStateStore has all). */
const aStoreWith =
  (methods: readonly string[]): Rule =>
  (value, name) =>
    hasMethods(value, methods) ? value : fail(name, 'a BoxStateStore (createMemoryStore(), createRedisStore())', value);

/** What an attachment uses of a store: a BoxPacingStore. */
export const aPacingStore = aStoreWith(['pauseMs', 'pause', 'acquire']);

/** What a BoxAuth uses of a store: a BoxTokenStore. */
export const aTokenStore = aStoreWith(['readToken', 'writeToken', 'lockRefresh', 'unlockRefresh']);

export const aString: Rule = (value, name) =>
  typeof value === 'string' && value !== '' ? value : fail(name, 'a non-empty string', value);

export const oneOf =
  (...values: readonly string[]): Rule =>
  (value, name) =>
    values.includes(value as string) ? value : fail(name, `one of ${values.map((v) => `'${v}'`).join(', ')}`, value);

/** Refuse any key of `input` that `rules` has no rule for, listing the known ones. */
export function checkKeys(input: Record<string, unknown>, rules: object, prefix: string): void {
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(rules, key)) {
      throw unknownOptionError(`${prefix}${key}`, Object.keys(rules));
    }
  }
}

/**
 * Validate `input` field by field with `rules` and lay it over `base`: `undefined` fields keep the
 * base, unknown ones are refused. Neither argument is mutated; the result is frozen. `expected` is
 * what the message says `input` itself must be.
 */
export function layOver<T extends object, C>(
  input: unknown,
  base: T,
  rules: { readonly [key: string]: Rule<C> },
  name: string,
  context: C,
  expected = 'false or an object',
): T {
  if (!isRecord(input)) fail(name, expected, input);
  checkKeys(input, rules, `${name}.`);
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const key in rules) {
    const value = input[key];
    if (value !== undefined) out[key] = (rules[key] as Rule<C>)(value, `${name}.${key}`, context);
  }
  return Object.freeze(out) as T;
}
