import fc from 'fast-check';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseRetryAfter } from '../../../src/box/retry-after.js';
import { anyValue } from '../../helpers/arbitraries.js';

// Spelled out rather than imported: a change to the cap must fail here, not follow silently.
const MAX_TIMER_MS = 2_147_483_647;
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
// Every character String.prototype.trim removes, which is what "surrounding whitespace" means here.
const TRIMMED = [' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u1680', '\u2000', '\u2028', '\u2029', '\u202f', '\u3000', '\ufeff'];

/** A wait parseRetryAfter may return: a whole, non-negative number of ms a timer can hold. */
function expectValidWait(result: unknown): void {
  if (result === undefined) return;
  expect(typeof result).toBe('number');
  expect(Number.isInteger(result)).toBe(true);
  expect(Object.is(result, -0)).toBe(false);
  expect(result).toBeGreaterThanOrEqual(0);
  expect(result).toBeLessThanOrEqual(MAX_TIMER_MS);
}

/** The documented result for a date: the time until it, rounded up, 0 when past, capped. */
function untilDate(dateMs: number, now: number): number {
  return Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil(dateMs - now)));
}

const two = (n: number): string => String(n).padStart(2, '0');
const clock = (d: Date): string => `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
const imfFixdate = (d: Date): string => d.toUTCString();
const rfc850 = (d: Date): string =>
  `${LONG_DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${two(d.getUTCFullYear() % 100)} ${clock(d)} GMT`;
const asctime = (d: Date): string =>
  `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${clock(d)} ${String(d.getUTCFullYear()).padStart(4, '0')}`;

/** A date an HTTP-date can carry (whole seconds) from the start of one year to the end of another. */
const httpDate = (first: string, last: string): fc.Arbitrary<Date> =>
  fc
    .date({ min: new Date(`${first}-01-01T00:00:00Z`), max: new Date(`${last}-12-31T23:59:59Z`), noInvalidDate: true })
    .map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));
/** Every four-digit year (ISO strings, since Date.UTC reads years below 100 as 19xx). */
const anyHttpDate = httpDate('0000', '9999');

/** A `now` near the date (the interesting part: the sign of the difference) or anywhere at all. */
const nowNear = (d: Date): fc.Arbitrary<number> =>
  fc.oneof(
    fc.integer({ min: -3_000_000_000, max: 3_000_000_000 }).map((offset) => d.getTime() + offset),
    fc.double({ min: -1e7, max: 1e7, noNaN: true }).map((offset) => d.getTime() + offset),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  );

const digits = (minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });
const padding = fc.array(fc.constantFrom(...TRIMMED), { maxLength: 3 }).map((chars) => chars.join(''));

/** Strings shaped like delay-seconds, some valid, some not: signs, exponents, odd separators. */
const secondsLike = fc
  .tuple(
    padding,
    fc.constantFrom('', '', '', '+', '-', '0x', '.'),
    fc.oneof(digits(1, 8), digits(9, 400)),
    fc.option(fc.tuple(fc.constantFrom('.', '.', ',', '..'), digits(0, 30)).map(([dot, f]) => dot + f), { nil: '' }),
    fc.option(fc.constantFrom('e3', 'E-2', 's', ' ', '\u0660', '_0', 'ms', '\u0000'), { nil: '' }),
    padding,
  )
  .map((parts) => parts.join(''));

const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  secondsLike,
  anyHttpDate.chain((d) => fc.constantFrom(imfFixdate(d), rfc850(d), asctime(d))),
  // Dates with mangled parts: the validity check must be Date.parse's, never a throw.
  fc
    .tuple(
      fc.constantFrom(...DAYS, ...LONG_DAYS, 'Xyz', ''),
      fc.constantFrom(', ', ' ', ','),
      fc.integer({ min: 0, max: 99 }),
      fc.constantFrom(' ', '-'),
      fc.constantFrom(...MONTHS, 'Foo', 'Movember'),
      fc.oneof(fc.integer({ min: 0, max: 99_999 }).map(String), fc.integer({ min: 0, max: 99 }).map((y) => String(y).padStart(4, '0'))),
      fc.tuple(fc.nat(99), fc.nat(99), fc.nat(99)).map((t) => t.map(two).join(':')),
      fc.constantFrom(' GMT', ' UTC', ' Z', ' +0100', ' -23:59', ' +9999', ' PST', ''),
    )
    .map(([day, sep, date, dash, month, year, time, zone]) => `${day}${sep}${date}${dash}${month}${dash}${year} ${time}${zone}`),
);

describe('parseRetryAfter: whatever it is given, a valid wait or undefined', () => {
  it('never throws on any string and returns undefined or a whole number of ms from 0 to 2147483647', () => {
    fc.assert(
      fc.property(anyString, nowNear(new Date()), (value, now) => {
        expectValidWait(parseRetryAfter(value, now));
        expectValidWait(parseRetryAfter(value));
      }),
      { numRuns: 1500 },
    );
  });

  it('never throws on any number (NaN, infinities, -0, subnormals included)', () => {
    fc.assert(
      fc.property(fc.double(), (value) => {
        const result = parseRetryAfter(value);
        expectValidWait(result);
        if (!Number.isFinite(value) || value < 0) expect(result).toBeUndefined();
        else expect(result).toBeTypeOf('number');
      }),
      { numRuns: 1000, examples: [[-0], [Number.MIN_VALUE], [Number.MAX_VALUE], [Number.NaN]] },
    );
  });

  it('never throws on any value, and anything but a string, a number or an array is undefined', () => {
    fc.assert(
      fc.property(
        anyValue,
        (value) => {
          const result = parseRetryAfter(value, 0);
          expectValidWait(result);
          if (typeof value !== 'string' && typeof value !== 'number' && !Array.isArray(value)) {
            expect(result).toBeUndefined();
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('accepts any now, even a non-number at run time', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, fc.double()), fc.oneof(fc.double(), fc.anything()), (value, now) => {
        expectValidWait(parseRetryAfter(value, now as number));
      }),
      { numRuns: 500 },
    );
  });

  it('a repeated header (an array) is read by its first value only', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(anyString, fc.double(), fc.anything()), { maxLength: 4 }), (values) => {
        const first: unknown = values[0];
        expect(parseRetryAfter(values, 0)).toBe(Array.isArray(first) ? undefined : parseRetryAfter(first, 0));
        // One level only: a header value is never itself a list.
        expect(parseRetryAfter([values], 0)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseRetryAfter: delay-seconds', () => {
  it('n whole seconds are exactly n * 1000 ms, up to the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_147_483 }), padding, padding, (n, before, after) => {
        expect(parseRetryAfter(String(n))).toBe(n * 1000);
        expect(parseRetryAfter(`${before}${n}${after}`)).toBe(n * 1000);
        expect(parseRetryAfter(n)).toBe(n * 1000);
        expect(parseRetryAfter(`00${n}`)).toBe(n * 1000);
      }),
      { numRuns: 500, examples: [[0, '', ''], [2_147_483, '', '']] },
    );
  });

  it('from 2147484 seconds on, however many digits, the wait is the cap', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 2_147_484, max: Number.MAX_SAFE_INTEGER }).map(String), digits(8, 400).map((d) => `9${d}`)), (text) => {
        expect(parseRetryAfter(text)).toBe(MAX_TIMER_MS);
      }),
      { numRuns: 300 },
    );
  });

  it('a decimal is rounded up to the next millisecond, never shorter than asked (exact decimal arithmetic)', () => {
    fc.assert(
      fc.property(digits(1, 12), digits(1, 30), padding, (whole, fraction, pad) => {
        const denominator = 10n ** BigInt(fraction.length);
        const numerator = BigInt(whole + fraction) * 1000n;
        const ceiling = (numerator + denominator - 1n) / denominator;
        const expected = ceiling > BigInt(MAX_TIMER_MS) ? MAX_TIMER_MS : Number(ceiling);
        expect(parseRetryAfter(`${pad}${whole}.${fraction}${pad}`)).toBe(expected);
      }),
      {
        numRuns: 1000,
        examples: [
          ['0', '07', ''],
          ['2', '007', ''],
          ['0', '0000000000001', ''],
          ['2147483', '647', ''],
          ['2147483', '6470000001', ''],
        ],
      },
    );
  });

  it('a whole number of ms given as a number of seconds is exact, as its string form is', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_TIMER_MS }), (ms) => {
        expect(parseRetryAfter(ms / 1000)).toBe(ms);
        expect(parseRetryAfter(String(ms / 1000))).toBe(ms);
      }),
      { numRuns: 1000, examples: [[2007], [70], [MAX_TIMER_MS], [MAX_TIMER_MS - 1]] },
    );
  });

  it('any non-negative number of seconds waits that long rounded up to the next ms, so a positive one at least 1 ms', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ min: 0, max: 3e6, noNaN: true }), fc.double({ min: 0, max: 1e-6, noNaN: true })), (seconds) => {
        const asked = seconds * 1000;
        const result = parseRetryAfter(seconds) as number;
        if (asked >= MAX_TIMER_MS) {
          expect(result).toBe(MAX_TIMER_MS);
          return;
        }
        // Slack for the floating-point noise of seconds * 1000 (2.007 * 1000 is 2007.0000000000002).
        expect(result).toBeGreaterThanOrEqual(asked - asked * 1e-15);
        expect(result).toBeLessThanOrEqual(Math.ceil(asked));
        if (seconds > 0) expect(result).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 1000, examples: [[Number.MIN_VALUE], [1e-13], [1e-12], [2.0070000000001]] },
    );
  });

  it('a sign, an exponent or any other decoration is not delay-seconds', () => {
    fc.assert(
      fc.property(
        digits(1, 10),
        fc.constantFrom('+', '-', '0x', '.', ' .'),
        fc.constantFrom('e3', 'E0', 's', ',0', '.', '_1', '\u0661', ' 1'),
        (n, prefix, suffix) => {
          expect(parseRetryAfter(`${prefix}${n}`)).toBeUndefined();
          expect(parseRetryAfter(`${n}${suffix}`)).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('parseRetryAfter: HTTP dates', () => {
  it('an IMF-fixdate is the time until it, rounded up, 0 when past, capped at 2147483647', () => {
    fc.assert(
      fc.property(anyHttpDate.chain((d) => fc.tuple(fc.constant(d), nowNear(d))), ([d, now]) => {
        expect(parseRetryAfter(imfFixdate(d), now)).toBe(untilDate(d.getTime(), now));
      }),
      {
        numRuns: 1000,
        examples: [
          // Four-digit years below 100 are years of the first century, not 19xx or 20xx.
          [[new Date(Date.parse('0049-06-01T00:00:00Z')), Date.UTC(2026, 0, 1)]],
          [[new Date(Date.parse('0099-06-01T00:00:00Z')), Date.parse('0099-06-01T00:00:00Z') - 5000]],
        ],
      },
    );
  });

  it('a numeric zone offset is applied, in any year', () => {
    fc.assert(
      fc.property(
        httpDate('0001', '9998'),
        fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }),
        fc.constantFrom('', ':'),
        (d, offsetMin, colon) => {
          const local = new Date(d.getTime() + offsetMin * 60_000);
          const zone = `${offsetMin < 0 ? '-' : '+'}${two(Math.floor(Math.abs(offsetMin) / 60))}${colon}${two(Math.abs(offsetMin) % 60)}`;
          const text = local.toUTCString().replace('GMT', zone);
          expect(parseRetryAfter(text, d.getTime() - 1000)).toBe(1000);
          expect(parseRetryAfter(text, d.getTime() + 1)).toBe(0);
        },
      ),
      { numRuns: 500, examples: [[new Date('0001-01-01T00:30:00Z'), 60, ''], [new Date('0049-12-31T23:30:00Z'), -60, ':'], [new Date('0050-01-01T00:30:00Z'), -60, '']] },
    );
  });

  it('an asctime date is the same instant, read as GMT whatever the host time zone', () => {
    const saved = process.env['TZ'];
    // Half-hour offset: a local-time reading cannot pass by luck.
    process.env['TZ'] = 'America/St_Johns';
    onTestFinished(() => {
      if (saved === undefined) delete process.env['TZ'];
      else process.env['TZ'] = saved;
    });
    fc.assert(
      fc.property(anyHttpDate.chain((d) => fc.tuple(fc.constant(d), nowNear(d))), ([d, now]) => {
        expect(parseRetryAfter(asctime(d), now)).toBe(untilDate(d.getTime(), now));
      }),
      { numRuns: 500, examples: [[[new Date(Date.parse('0030-01-02T03:04:05Z')), Date.parse('0030-01-02T03:04:00Z')]]] },
    );
  });

  // Two-digit years: only where every reading agrees (RFC 9110 5.6.7 puts a year more than 50
  // years ahead in the past century), so this states no choice of the date parser's.
  it('an RFC 850 date with a two-digit year from 1980 to 2049 is the same instant', () => {
    fc.assert(
      fc.property(httpDate('1980', '2049').chain((d) => fc.tuple(fc.constant(d), nowNear(d))), ([d, now]) => {
        expect(parseRetryAfter(rfc850(d), now)).toBe(untilDate(d.getTime(), now));
      }),
      { numRuns: 500 },
    );
  });

  it('a non-finite now falls back to the clock', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 100_000 }), fc.constantFrom(Number.NaN, Infinity, -Infinity), (offsetS, now) => {
        const before = Date.now();
        const date = Math.floor(before / 1000) * 1000 + offsetS * 1000;
        const result = parseRetryAfter(new Date(date).toUTCString(), now);
        const after = Date.now();
        expect(result).toBeGreaterThanOrEqual(untilDate(date, after));
        expect(result).toBeLessThanOrEqual(untilDate(date, before));
      }),
      { numRuns: 200 },
    );
  });
});
