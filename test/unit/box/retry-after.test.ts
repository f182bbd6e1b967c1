import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseRetryAfter } from '../../../src/box/retry-after.js';

const MAX_TIMER_MS = 2_147_483_647;
// Sun, 06 Nov 1994 08:49:37 GMT, the example date of RFC 9110.
const NOW = Date.UTC(1994, 10, 6, 8, 49, 37);

afterEach(() => {
  vi.useRealTimers();
});

/** Run `fn` with the process time zone set to `tz`, restoring it afterwards. */
function inTimeZone<T>(tz: string, fn: () => T): T {
  const saved = process.env['TZ'];
  process.env['TZ'] = tz;
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env['TZ'];
    else process.env['TZ'] = saved;
  }
}

describe('parseRetryAfter: delay-seconds strings', () => {
  it.each<[string, number]>([
    ['0', 0],
    ['1', 1000],
    ['2', 2000],
    ['30', 30_000],
    ['120', 120_000],
    ['007', 7000],
    ['3600', 3_600_000],
  ])('integer %j is %i ms', (value, ms) => {
    expect(parseRetryAfter(value)).toBe(ms);
  });

  it.each<[string, number]>([
    ['0.07', 70],
    ['1.5', 1500],
    ['0.5', 500],
    ['2.007', 2007],
    ['1.005', 1005],
    ['0.001', 1],
    ['0.0700', 70],
    ['2.5000', 2500],
    ['0.000', 0],
    ['0.0000', 0],
    // Beyond the millisecond: rounded up, never shorter than asked.
    ['0.0701', 71],
    ['0.0001', 1],
    ['0.00000000001', 1],
    ['1.9999', 2000],
    ['0.07000000001', 71],
  ])('decimal %j is exactly %i ms', (value, ms) => {
    expect(parseRetryAfter(value)).toBe(ms);
  });

  it.each<[string, number]>([
    [' 5', 5000],
    ['5 ', 5000],
    ['  5  ', 5000],
    ['\t3\n', 3000],
    ['\r\n1.5\r\n', 1500],
  ])('surrounding whitespace is ignored: %j', (value, ms) => {
    expect(parseRetryAfter(value)).toBe(ms);
  });

  it('does not depend on now for seconds', () => {
    expect(parseRetryAfter('5', 0)).toBe(5000);
    expect(parseRetryAfter('5', NOW)).toBe(5000);
    expect(parseRetryAfter('5', Number.NaN)).toBe(5000);
  });
});

describe('parseRetryAfter: numbers', () => {
  it.each<[number, number]>([
    [0, 0],
    [2, 2000],
    [0.5, 500],
    [1.5, 1500],
    [0.07, 70],
    [0.0001, 1],
    [0.0701, 71],
    [120, 120_000],
  ])('%s seconds is %i ms', (value, ms) => {
    expect(parseRetryAfter(value)).toBe(ms);
  });

  it.each<[number]>([[-1], [-0.001], [Number.NaN], [Number.POSITIVE_INFINITY], [Number.NEGATIVE_INFINITY]])(
    '%s is undefined',
    (value) => {
      expect(parseRetryAfter(value)).toBeUndefined();
    },
  );

  // 2.007 * 1000 is 2007.0000000000002 in floating point: it must not become 2008.
  it('a number that is a whole number of ms is exact, as its string form is (2.007 -> 2007)', () => {
    expect(parseRetryAfter('2.007')).toBe(2007);
    expect(parseRetryAfter(2.007)).toBe(2007);
    expect(parseRetryAfter(2.011)).toBe(2011);
    // The noise of seconds * 1000 grows with the value: 1073216.316 * 1000 is 1073216316.0000001.
    expect(parseRetryAfter(1073216.316)).toBe(1_073_216_316);
    expect(parseRetryAfter(2147483.646)).toBe(2_147_483_646);
  });

  it('any positive number, however tiny, waits at least 1 ms, as its string form does', () => {
    expect(parseRetryAfter(1e-13)).toBe(1);
    expect(parseRetryAfter('0.0000000000001')).toBe(1);
    expect(parseRetryAfter(Number.MIN_VALUE)).toBe(1);
    expect(parseRetryAfter(-0)).toBe(0);
  });
});

describe('parseRetryAfter: HTTP dates', () => {
  it('IMF-fixdate in the future: the exact difference', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:47 GMT', NOW)).toBe(10_000);
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:50:37 GMT', NOW)).toBe(60_000);
    expect(parseRetryAfter('Mon, 07 Nov 1994 08:49:37 GMT', NOW)).toBe(86_400_000);
  });

  it('RFC 850 form in the future: the exact difference', () => {
    expect(parseRetryAfter('Sunday, 06-Nov-94 08:49:47 GMT', NOW)).toBe(10_000);
  });

  it('asctime form in the future: the exact difference (host in UTC)', () => {
    const ms = inTimeZone('UTC', () => parseRetryAfter('Sun Nov  6 08:49:47 1994', NOW));
    expect(ms).toBe(10_000);
  });

  // asctime carries no zone and HTTP says it is GMT (RFC 9110 5.6.7); Date.parse alone would
  // read it as local time.
  it('asctime form is GMT whatever the host time zone', () => {
    expect(inTimeZone('America/New_York', () => parseRetryAfter('Sun Nov  6 08:49:47 1994', NOW))).toBe(10_000);
    expect(inTimeZone('Asia/Tokyo', () => parseRetryAfter('Sun Nov  6 08:49:47 1994', NOW))).toBe(10_000);
  });

  it('a date with an explicit offset or UTC zone is read as such', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 09:49:47 +0100', NOW)).toBe(10_000);
    expect(parseRetryAfter('Sun, 06 Nov 1994 03:49:47 -0500', NOW)).toBe(10_000);
    expect(inTimeZone('Asia/Tokyo', () => parseRetryAfter('Sun, 06 Nov 1994 08:49:47 UTC', NOW))).toBe(10_000);
    expect(inTimeZone('Asia/Tokyo', () => parseRetryAfter('Sun, 06 Nov 1994 08:49:47 GMT', NOW))).toBe(10_000);
    expect(inTimeZone('America/New_York', () => parseRetryAfter('Sunday, 06-Nov-94 08:49:47 GMT', NOW))).toBe(10_000);
  });

  it('a date in the past or now is 0', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:27 GMT', NOW)).toBe(0);
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', NOW)).toBe(0);
    expect(parseRetryAfter('Sunday, 06-Nov-94 08:00:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:00 GMT', NOW)).toBe(0);
  });

  it('rounds a fractional difference up, never shorter', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:47 GMT', NOW + 0.5)).toBe(10_000);
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:47 GMT', NOW - 0.25)).toBe(10_001);
  });

  it('surrounding whitespace and day-name case are ignored', () => {
    expect(parseRetryAfter('  Sun, 06 Nov 1994 08:49:47 GMT\t', NOW)).toBe(10_000);
    expect(parseRetryAfter('sun, 06 nov 1994 08:49:47 gmt', NOW)).toBe(10_000);
  });

  // Date.parse alone reads any year below 100 as 19xx or 20xx, four digits or not.
  it('a four-digit year below 100 is a year of the first century, in every form and zone', () => {
    const year49 = Date.parse('0049-01-01T00:00:00Z');
    expect(parseRetryAfter('Fri, 01 Jan 0049 00:00:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter('Fri, 01 Jan 0049 00:00:10 GMT', year49)).toBe(10_000);
    expect(parseRetryAfter('Fri, 01 Jan 0049 01:00:10 +0100', year49)).toBe(10_000);
    expect(parseRetryAfter('Thu, 31 Dec 0048 23:00:10 -0100', year49)).toBe(10_000);
    expect(inTimeZone('Asia/Tokyo', () => parseRetryAfter('Fri Jan  1 00:00:10 0049', year49))).toBe(10_000);
    expect(parseRetryAfter('Sat, 01 Jan 0000 00:00:10 GMT', Date.parse('0000-01-01T00:00:00Z'))).toBe(10_000);
    expect(parseRetryAfter('Tue, 29 Feb 0000 00:00:00 GMT', Date.parse('0000-02-28T00:00:00Z'))).toBe(86_400_000);
    // Three- and four-digit years from 100 on were always read as written.
    expect(parseRetryAfter('Fri, 01 Jan 0100 00:00:10 GMT', Date.parse('0100-01-01T00:00:00Z'))).toBe(10_000);
  });

  it('a date far in the future is capped at 2147483647', () => {
    expect(parseRetryAfter('Fri, 31 Dec 9999 23:59:59 GMT', NOW)).toBe(MAX_TIMER_MS);
  });

  it('an unparseable date after a day name is undefined', () => {
    expect(parseRetryAfter('Sunday, banana', NOW)).toBeUndefined();
  });

  it('a date without a leading day name is undefined', () => {
    expect(parseRetryAfter('06 Nov 1994 08:49:47 GMT', NOW)).toBeUndefined();
    expect(parseRetryAfter('1994-11-06T08:49:47Z', NOW)).toBeUndefined();
    expect(parseRetryAfter('Nov 6 1994', NOW)).toBeUndefined();
  });

  it('defaults now to Date.now()', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:47 GMT')).toBe(10_000);
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:47 GMT', undefined)).toBe(10_000);
  });

  it.each<[number]>([[Number.NaN], [Number.POSITIVE_INFINITY], [Number.NEGATIVE_INFINITY]])(
    'a now of %s falls back to Date.now()',
    (now) => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(NOW + 2000);
      expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:47 GMT', now)).toBe(8000);
    },
  );
});

describe('parseRetryAfter: garbage is undefined', () => {
  it.each<[string, unknown]>([
    ['"soon"', 'soon'],
    ['""', ''],
    ['whitespace only', '   '],
    ['"-1"', '-1'],
    ['"-0"', '-0'],
    ['"+5"', '+5'],
    ['"12abc"', '12abc'],
    ['"1e3"', '1e3'],
    ['"Infinity"', 'Infinity'],
    ['"NaN"', 'NaN'],
    ['".5"', '.5'],
    ['"5."', '5.'],
    ['"0x10"', '0x10'],
    ['"1,000"', '1,000'],
    ['"1 000"', '1 000'],
    ['"5s"', '5s'],
    ['"١٢" (Arabic-Indic digits)', '١٢'],
    ['null', null],
    ['undefined', undefined],
    ['{}', {}],
    ['an object with valueOf', { valueOf: () => 5 }],
    ['true', true],
    ['false', false],
    ['a bigint', 5n],
    ['a function', () => 5],
    ['a symbol', Symbol('5')],
    ['a Date', new Date(NOW + 10_000)],
    ['a String object', Object('5')],
  ])('%s', (_label, value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });
});

describe('parseRetryAfter: arrays (a repeated header)', () => {
  it('uses the first value', () => {
    expect(parseRetryAfter(['3', '10'])).toBe(3000);
    expect(parseRetryAfter([5, 1])).toBe(5000);
    expect(parseRetryAfter(['Sun, 06 Nov 1994 08:49:47 GMT', '1'], NOW)).toBe(10_000);
  });

  it('is undefined when the first value is unusable, whatever follows', () => {
    expect(parseRetryAfter([])).toBeUndefined();
    expect(parseRetryAfter(['soon', '3'])).toBeUndefined();
    expect(parseRetryAfter([undefined, '3'])).toBeUndefined();
    expect(parseRetryAfter([['3']])).toBeUndefined();
  });
});

describe('parseRetryAfter: capped at 2147483647 ms', () => {
  it.each<[unknown, number]>([
    ['2147483', 2_147_483_000],
    ['2147483.647', MAX_TIMER_MS],
    ['2147483.6471', MAX_TIMER_MS],
    ['2147483.648', MAX_TIMER_MS],
    ['2147484', MAX_TIMER_MS],
    ['99999999999999999999999', MAX_TIMER_MS],
    [2147484, MAX_TIMER_MS],
    [1e10, MAX_TIMER_MS],
    [Number.MAX_VALUE, MAX_TIMER_MS],
  ])('%j is %i', (value, ms) => {
    expect(parseRetryAfter(value)).toBe(ms);
  });
});

describe('parseRetryAfter reads only real HTTP dates', () => {
  it.each(['Sun, 2', 'Sun, 2099', 'Monday', 'Sun, 06 Nov', 'Sun Nov 6 1994', 'Fri, 99 Foo 1994 08:49:37 GMT'])(
    '%j is garbage, not a date',
    (value) => {
      expect(parseRetryAfter(value, NOW)).toBeUndefined();
    },
  );

  it.each([
    ['Sun, 06 Nov 1994 08:49:47 GMT', 10_000],
    ['Sun, 6 Nov 1994 08:49:47 GMT', 10_000],
    ['Sunday, 06-Nov-94 08:49:47 GMT', 10_000],
    ['Sun Nov  6 08:49:47 1994', 10_000],
    ['Sun, 06 Nov 1994 09:49:47 +0100', 10_000],
  ])('%j is a date', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it('a tiny positive number of seconds still waits 1 ms; zero waits none', () => {
    expect(parseRetryAfter(1e-7)).toBe(1);
    expect(parseRetryAfter(0)).toBe(0);
    expect(parseRetryAfter(2.007)).toBe(2007);
  });
});
