import type { InternalAxiosRequestConfig } from 'axios';
import { fail, isRecord, layOver, milliseconds, wholeNumber, type Rule } from '../options/rules.js';
import type { BoxRateRule, BoxRateWindow } from '../store/rate-types.js';
import { requestUrl } from '../util/url.js';

/**
 * Box's documented per-user rate limits: 1,000 API calls a minute, 240 uploads a minute, and 6
 * searches a second and 60 a minute. Box may lower them under load, and 429s still pause.
 *
 * @example
 * ```ts
 * import axios from 'axios';
 * import { attachBoxStatus, BOX_RATE_LIMITS } from 'axios-box-status';
 *
 * const box = axios.create({ baseURL: 'https://api.box.com/2.0' });
 * // Box's limits, with searches kept to 4 a second.
 * const rules = BOX_RATE_LIMITS.map((rule) => (rule.name === 'searches per second' ? { ...rule, max: 4 } : rule));
 * attachBoxStatus(box, { rateLimit: { rules } });
 * ```
 */
export const BOX_RATE_LIMITS: readonly Readonly<BoxRateRule>[] = Object.freeze([
  Object.freeze({ name: 'calls', max: 1000, perMs: 60_000, match: 'all' as const }),
  Object.freeze({ name: 'uploads', max: 240, perMs: 60_000, match: 'upload' as const }),
  Object.freeze({ name: 'searches per second', max: 6, perMs: 1000, match: 'search' as const }),
  Object.freeze({ name: 'searches per minute', max: 60, perMs: 60_000, match: 'search' as const }),
]);

/** A rule as the pacer keeps it: its window, and whether a request counts in it. */
export interface PacedRule extends BoxRateWindow {
  readonly matches: (config: InternalAxiosRequestConfig) => boolean;
}

/** Each request's target, worked out once: the rules of one request ask for it several times. */
const targets = new WeakMap<InternalAxiosRequestConfig, { url: unknown; baseURL: unknown; allowAbsoluteUrls: unknown; host: string; path: string }>();

/** The host and path a request goes to, as axios builds its URL. */
function target(config: InternalAxiosRequestConfig): { host: string; path: string } {
  const known = targets.get(config);
  if (known && known.url === config.url && known.baseURL === config.baseURL && known.allowAbsoluteUrls === config.allowAbsoluteUrls) return known;
  const full = requestUrl(config);
  let host = '';
  let path: string;
  try {
    const parsed = new URL(full, 'http://relative.invalid');
    ({ host, pathname: path } = parsed);
  } catch {
    path = full.split(/[?#]/)[0] ?? '';
  }
  const found = { url: config.url, baseURL: config.baseURL, allowAbsoluteUrls: config.allowAbsoluteUrls, host, path };
  targets.set(config, found);
  return found;
}

const MATCHERS: Record<'all' | 'upload' | 'search', (config: InternalAxiosRequestConfig) => boolean> = {
  all: () => true,
  upload(config) {
    const { host, path } = target(config);
    return host === 'upload.box.com' || ((config.method ?? 'get').toLowerCase() === 'post' && /\/files(?:\/[^/]+)?\/content$/.test(path));
  },
  search: (config) => /\/search$/.test(target(config).path),
};

const RULE_RULES: { readonly [K in keyof BoxRateRule]-?: Rule } = {
  name: (value, name) => (typeof value === 'string' && value !== '' ? value : fail(name, 'a non-empty string', value)),
  max: wholeNumber(1, 1_000_000_000),
  perMs: milliseconds(1),
  match: (value, name) =>
    typeof value === 'function'
      ? value
      : typeof value === 'string' && Object.hasOwn(MATCHERS, value)
        ? value
        : fail(name, "'all', 'upload', 'search' or a function", value),
};

function pacedRule(value: unknown, name: string): PacedRule {
  const rule = layOver(value, { match: 'all' } as BoxRateRule, RULE_RULES, name, undefined, 'a rule { name, max, perMs, match? }');
  for (const key of ['name', 'max', 'perMs'] as const) {
    if (rule[key] === undefined) fail(`${name}.${key}`, 'set', undefined);
  }
  const match = rule.match as NonNullable<BoxRateRule['match']>;
  return Object.freeze({
    name: rule.name,
    max: rule.max,
    perMs: rule.perMs,
    matches: typeof match === 'function' ? (config: InternalAxiosRequestConfig) => match(config) === true : MATCHERS[match],
  });
}

/**
 * The `rateLimit` option as the pacer keeps it: `false` (or unset) paces nothing; `true` is
 * {@link BOX_RATE_LIMITS}; `{ rules }` lists the rules (`{}` keeps Box's). Throws a TypeError that
 * names the bad value.
 */
export function resolveRateLimit(value: unknown, name: string): readonly PacedRule[] {
  if (value === false) return [];
  if (value === true) return Object.freeze(BOX_RATE_LIMITS.map((rule, index) => pacedRule(rule, `${name}.rules[${index}]`)));
  if (!isRecord(value)) fail(name, 'a boolean or { rules }', value);
  const { rules } = layOver(value, { rules: BOX_RATE_LIMITS as unknown }, { rules: (v) => v }, name, undefined, 'a boolean or { rules }');
  if (!Array.isArray(rules) || rules.length === 0) fail(`${name}.rules`, 'a non-empty array of rules', rules);
  const paced = (rules as unknown[]).map((rule, index) => pacedRule(rule, `${name}.rules[${index}]`));
  const names = new Set<string>();
  for (const [index, rule] of paced.entries()) {
    if (names.has(rule.name)) fail(`${name}.rules[${index}].name`, 'unique among the rules', rule.name);
    names.add(rule.name);
  }
  return Object.freeze(paced);
}

/** The windows a request counts in: those of the rules it matches. */
export function windowsFor(rules: readonly PacedRule[], config: InternalAxiosRequestConfig): PacedRule[] {
  return rules.filter((rule) => rule.matches(config));
}
