import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { BOX_RETRY_DEFAULTS } from '../src/options/policy.js';

// What the README promises a new user: that it fits in one sitting, that its options reference
// holds every option, that the worst case it states is the defaults' own, and that its commands
// exist. `npm test` builds first: the options are read from the built declarations, as a user's
// editor reads them.

const root = new URL('../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');

/** The text of a `## ` section, up to the next `## `. */
function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  expect(start, `a "## ${title}" section`).toBeGreaterThan(0);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

it('is at most 3,000 words (wc -w)', () => {
  expect(readme.split(/\s+/).filter(Boolean).length).toBeLessThanOrEqual(3000);
});

it('has a table of contents that links every section', () => {
  const contents = section('Contents');
  const sections = [...readme.matchAll(/^## (.+)$/gm)].map((match) => match[1] ?? '').filter((title) => title !== 'Contents');
  const linked = sections.filter((title) => contents.includes(`](#${title.toLowerCase().replace(/[^\p{L}\p{N} -]/gu, '').replace(/ /g, '-')})`));
  expect(sections.filter((title) => !linked.includes(title))).toEqual(['License']);
});

describe('the options reference', () => {
  /** The property names of the public option types, read from the built declarations of the three entries. */
  function optionNames(): Map<string, string[]> {
    const entries = ['dist/index.d.ts', 'dist/redis/index.d.ts', 'dist/jwt/index.d.ts'].map((file) => fileURLToPath(new URL(file, root)));
    const program = ts.createProgram(entries, {
      strict: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ['node'],
      noEmit: true,
    });
    const checker = program.getTypeChecker();
    const exported = new Map<string, ts.Symbol>();
    for (const entry of entries) {
      const module = checker.getSymbolAtLocation(program.getSourceFile(entry) as ts.SourceFile) as ts.Symbol;
      for (const symbol of checker.getExportsOfModule(module)) exported.set(symbol.name, symbol);
    }
    const properties = (name: string): string[] => {
      const symbol = exported.get(name);
      expect(symbol, name).toBeDefined();
      const type = checker.getDeclaredTypeOfSymbol(checker.getAliasedSymbol(symbol as ts.Symbol));
      // BoxRequestRetry is `false | (BoxRetryPolicy & { idempotent })`: the object member's own.
      const object = type.isUnion() ? type.types.find((member) => member.isIntersection() || (member.flags & ts.TypeFlags.Object) !== 0) : type;
      return (object?.getProperties() ?? []).map((property) => property.name);
    };
    const names = [
      'BoxStatusOptions',
      'BoxRetryPolicy',
      'BoxRetryBudget',
      'BoxRateRule',
      'BoxRequestRetry',
      'BoxAuthOptions',
      'BoxClientCredentialsGrantOptions',
      'BoxRefreshTokenGrantOptions',
      'BoxJwtGrantOptions',
      'BoxRedisStoreOptions',
    ];
    return new Map(names.map((name) => [name, properties(name)]));
  }

  it('lists every option of every public options type, and the per-request fields', () => {
    const reference = section('Options reference');
    const rows = reference.split('\n').filter((line) => line.startsWith('| '));
    const listed = (name: string): boolean => rows.some((row) => new RegExp(`\`(?:[\\w.]+\\.)?${name}\``).test(row.split(' | ')[0] ?? ''));
    const options = optionNames();
    expect(options.get('BoxRetryPolicy')).toContain('deadlineMs');
    expect(options.get('BoxRequestRetry')).toContain('idempotent');
    const missing = [...options].flatMap(([type, names]) => names.filter((name) => !listed(name)).map((name) => `${type}.${name}`));
    // axios's own config, augmented by the plugin.
    for (const field of ['boxRetry', 'boxAuth']) if (!listed(field)) missing.push(`AxiosRequestConfig.${field}`);
    expect(missing).toEqual([]);
  }, 120_000);

  it("states the defaults' own values", () => {
    const reference = section('Options reference');
    const row = (name: string): string => reference.split('\n').find((line) => line.startsWith(`| \`${name}\` |`)) ?? '';
    expect(row('retry.retries')).toContain(`| \`${BOX_RETRY_DEFAULTS.retries}\` |`);
    expect(row('retry.baseDelayMs')).toContain(`| \`${BOX_RETRY_DEFAULTS.baseDelayMs}\` |`);
    expect(row('retry.maxDelayMs')).toContain(`| \`${BOX_RETRY_DEFAULTS.maxDelayMs}\` |`);
    expect(row('retry.jitter')).toContain(`| \`'${BOX_RETRY_DEFAULTS.jitter}'\` |`);
    expect(row('retry.maxRetryAfterMs')).toContain(`| \`${BOX_RETRY_DEFAULTS.maxRetryAfterMs}\` |`);
    for (const [field, value] of Object.entries(BOX_RETRY_DEFAULTS.budget)) expect(row(`retry.budget.${field}`)).toContain(`| \`${value}\` |`);
  });
});

it("states the worst case of a call with the defaults, and recommends deadlineMs in the quick start", () => {
  const quickStart = section('Quick start');
  const { retries, maxRetryAfterMs, baseDelayMs, maxDelayMs } = BOX_RETRY_DEFAULTS;
  // A Retry-After up to maxRetryAfterMs before each retry; a shared pause as long before the first
  // attempt; after a pause, a retry's own backoff (its ceiling before jitter).
  const backoffs = Array.from({ length: retries }, (_, n) => Math.min(maxDelayMs, baseDelayMs * 2 ** n));
  const worstMs = maxRetryAfterMs * (retries + 1) + backoffs.reduce((sum, ms) => sum + ms, 0);
  expect(quickStart).toContain(`up to ${retries + 1} attempts`);
  expect(quickStart).toContain(`${retries} × ${maxRetryAfterMs / 1000} s`);
  expect(quickStart).toContain(`(${backoffs.map((ms) => ms / 1000).join(' + ')} s)`);
  expect(quickStart).toContain(`(${worstMs / 1000} s)`);
  expect(quickStart).toContain('**Set `deadlineMs`.**');
  expect(quickStart).toMatch(/attachBoxStatus\(box, \{ retry: \{ deadlineMs: [\d_]+ \} \}\)/);
});

it('gives the two commands of a clone, and they exist', () => {
  const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> };
  expect(section('Try it in a clone')).toMatch(/^npm ci && npm run demo +#/m);
  expect(section('Try it in a clone')).toMatch(/^npm test +#/m);
  for (const script of ['demo', 'test', 'example', 'fleet', 'docs']) expect(manifest.scripts[script], script).toBeDefined();
});
