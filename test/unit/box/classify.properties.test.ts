import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyStatus } from '../../../src/box/classify.js';
import type { BoxStatusKind } from '../../../src/types.js';

const KINDS: readonly BoxStatusKind[] = ['success', 'redirect', 'client-error', 'server-error', 'unknown'];

/** Box's status table, written out independently of the implementation. */
function boxTable(status: number): BoxStatusKind {
  if (status >= 200 && status < 300) return 'success';
  if (status >= 300 && status < 400) return 'redirect';
  if (status >= 400 && status < 500) return 'client-error';
  if (status >= 500 && status < 600) return 'server-error';
  return 'unknown';
}

describe('classifyStatus: properties', () => {
  it('gives exactly the Box table for every whole status, near the table or far from it', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 700 }), fc.integer(), fc.maxSafeInteger()), (status) => {
        expect(classifyStatus(status)).toBe(boxTable(status));
      }),
      { numRuns: 2000, examples: [[199], [200], [299], [300], [399], [400], [499], [500], [599], [600], [100]] },
    );
  });

  it('every status from 100 to 599 is in its Box class (exhaustive)', () => {
    for (let status = 100; status <= 599; status += 1) {
      expect(classifyStatus(status)).toBe(boxTable(status));
    }
  });

  it('any number (NaN, infinities, -0, fractions, huge) is one of the five kinds, and unknown unless whole', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.double({ min: 100, max: 600 })), (status) => {
        const kind = classifyStatus(status);
        expect(KINDS).toContain(kind);
        if (!Number.isInteger(status)) expect(kind).toBe('unknown');
        else expect(kind).toBe(boxTable(status));
      }),
      { numRuns: 2000, examples: [[Number.NaN], [Infinity], [-Infinity], [-0], [200.5], [599.999], [5e-324]] },
    );
  });

  // The signature says number, but a custom adapter can hand back anything as a status.
  it('never throws on a non-number and calls it unknown, even a numeric string or a boxed number', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything({ withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withTypedArray: true }),
          fc.integer({ min: 200, max: 599 }).chain((n) => fc.constantFrom<unknown>(String(n), BigInt(n), Object(n), [n], { valueOf: () => n })),
        ),
        (status) => {
          fc.pre(typeof status !== 'number');
          expect(classifyStatus(status as number)).toBe('unknown');
        },
      ),
      { numRuns: 500 },
    );
  });
});
