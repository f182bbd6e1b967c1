import type { AxiosResponse } from 'axios';
import { MAX_TIMER_MS } from '../util/wait.js';
import { getHeader } from '../util/headers.js';

const SECONDS = /^(\d+)(?:\.(\d+))?$/;
// The three HTTP-date forms, a little leniently (a one-digit day, a numeric zone): IMF-fixdate
// "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT", asctime
// "Sun Nov  6 08:49:37 1994". Date.parse alone reads garbage such as "Sun, 2" as a date.
const DAY = '(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*';
const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*';
const TIME = '\\d{1,2}:\\d{2}:\\d{2}';
const ZONE = '(?:gmt|utc|ut|z|[+-]\\d{2}:?\\d{2})';
// Each form in three groups, the year in the middle, so that the year can be rewritten.
const HTTP_DATE = new RegExp(
  `^(${DAY},?\\s+\\d{1,2}[\\s-]${MONTH}[\\s-])(\\d{2,4})(\\s+${TIME}(?:\\s*${ZONE})?)$` +
    `|^(${DAY}\\s+${MONTH}\\s+\\d{1,2}\\s+${TIME}\\s+)(\\d{4})()$`,
  'i',
);
const HAS_ZONE = new RegExp(`${ZONE}$`, 'i');
// The Gregorian calendar repeats every 400 years (146097 days): 2000 years are a fixed span.
const TWO_THOUSAND_YEARS_MS = 5 * 146_097 * 86_400_000;

/**
 * Milliseconds to wait for a Retry-After value: seconds (an integer or a decimal, rounded up to
 * the next millisecond so a wait is never shorter than asked) or an HTTP date (relative to `now`,
 * 0 when past). Header arrays give their first value. Anything else, negative numbers included,
 * gives `undefined`. The result is capped at 2147483647, the longest wait a timer can hold.
 *
 * @example
 * ```ts
 * import { parseRetryAfter } from 'axios-box-status';
 *
 * parseRetryAfter('2'); // 2000
 * parseRetryAfter('0.2'); // 200
 * parseRetryAfter('Wed, 21 Oct 2026 07:28:30 GMT', Date.parse('Wed, 21 Oct 2026 07:28:00 GMT')); // 30000
 * parseRetryAfter('soon'); // undefined
 * ```
 */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
  if (Array.isArray(value)) value = value[0];
  let ms: number;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return undefined;
    // 2.007 * 1000 is 2007.0000000000002, which must not become 2008: floating-point noise,
    // which grows with the value, is no fraction of a millisecond. A tiny positive value must
    // still wait 1 ms rather than none.
    const asked = value * 1000;
    const nearest = Math.round(asked);
    ms = Math.max(0, Math.abs(asked - nearest) <= nearest * 4 * Number.EPSILON ? nearest : Math.ceil(asked));
  } else if (typeof value === 'string') {
    const text = value.trim();
    const seconds = SECONDS.exec(text);
    const httpDate = seconds ? null : HTTP_DATE.exec(text);
    if (seconds) {
      const fraction = seconds[2] ?? '';
      // Integer arithmetic: 0.07 * 1000 is 70.00000000000001 in floating point.
      ms =
        Number(seconds[1]) * 1000 +
        Number(fraction.slice(0, 3).padEnd(3, '0')) +
        (/[1-9]/.test(fraction.slice(3)) ? 1 : 0);
    } else if (httpDate) {
      const year = httpDate[2] ?? httpDate[5] ?? '';
      // Date.parse reads every year below 100 as 19xx or 20xx, a four-digit "0049" too: such a
      // year is parsed 2000 years on and those years are taken off again.
      const early = year.length > 2 && Number(year) < 100;
      const shifted = early ? `${httpDate[1] ?? httpDate[4]}${Number(year) + 2000}${httpDate[3] ?? httpDate[6]}` : text;
      // asctime carries no zone but is GMT by definition; Date.parse would read it as local time.
      const date =
        Date.parse(HAS_ZONE.test(shifted) ? shifted : `${shifted} GMT`) - (early ? TWO_THOUSAND_YEARS_MS : 0);
      if (Number.isNaN(date)) return undefined;
      const from = Number.isFinite(now) ? now : Date.now();
      ms = Math.max(0, Math.ceil(date - from));
    } else {
      return undefined;
    }
  } else {
    return undefined;
  }
  return Math.min(ms, MAX_TIMER_MS);
}

/** A response's Retry-After in milliseconds, or undefined. */
export function retryAfterOf(response: Pick<AxiosResponse, 'headers'>, now?: number): number | undefined {
  return parseRetryAfter(getHeader(response.headers, 'retry-after'), now);
}
