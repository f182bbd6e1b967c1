import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Links must work where the documents are read. The README is also shown on npm, where the
// files not in the package (docs/, examples/) do not exist: it links them by absolute URL to the
// repository (package.json's "repository"), and its own headings by anchor. docs/*.md is read on
// GitHub and links relatively. Every target file must exist here, and every anchor must be a
// heading (GitHub's slug of it) or an explicit <a id> of its document.

const root = new URL('../', import.meta.url);
const REPO = 'https://github.com/axios-box-status/axios-box-status';

const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

/** The text outside fenced code blocks. */
const prose = (text: string): string => text.replace(/^ *```[^\n]*\n[\s\S]*?^ *```/gm, '');

/** GitHub's anchors of a Markdown document: its headings' slugs (repeats get -1, -2...) and <a id>s. */
function anchors(path: string): Set<string> {
  const text = prose(read(path));
  const found = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of text.matchAll(/^#{1,6} +(.+?) *$/gm)) {
    const slug = (heading ?? '')
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    found.add(count === 0 ? slug : `${slug}-${count}`);
  }
  for (const [, id] of text.matchAll(/<a id="([^"]+)"><\/a>/g)) found.add(id ?? '');
  return found;
}

/** The inline links of a Markdown document (not images, not code). */
function links(path: string): string[] {
  return [...prose(read(path)).replace(/`[^`\n]*`/g, '').matchAll(/(?<!!)\[[^\]]*\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '');
}

/** Check a link to `file` (a path from the package root) and its anchor; the problem, or undefined. */
function problem(link: string, file: string, anchor: string | undefined): string | undefined {
  if (!existsSync(new URL(file, root))) return `${link}: ${file} does not exist`;
  if (anchor === undefined) return undefined;
  if (!file.endsWith('.md')) return `${link}: an anchor into a file that is not Markdown`;
  return anchors(file).has(anchor) ? undefined : `${link}: no heading or <a id> "${anchor}" in ${file}`;
}

describe('README.md', () => {
  const readme = links('README.md');

  it('links its own headings, and everything else absolutely (the npm page has no docs/ or examples/)', () => {
    expect(readme.length).toBeGreaterThan(20);
    const relative = readme.filter((link) => !link.startsWith('#') && !/^https:\/\//.test(link));
    expect(relative).toEqual([]);
  });

  it('every anchor and every file of this repository it links exists', () => {
    const problems = readme.map((link) => {
      if (link.startsWith('#')) return problem(link, 'README.md', link.slice(1));
      const own = new RegExp(`^${REPO}/(?:blob|tree)/main/([^#]+)(?:#(.+))?$`).exec(link);
      if (link.startsWith(REPO) && !own) return `${link}: not a blob/main or tree/main link`;
      return own ? problem(link, own[1] ?? '', own[2]) : undefined;
    });
    expect(problems.filter(Boolean)).toEqual([]);
  });

  it('links docs/ and examples/ through the repository named in package.json', () => {
    const manifest = JSON.parse(read('package.json')) as { repository?: { type?: string; url?: string } };
    expect(manifest.repository).toEqual({ type: 'git', url: `git+${REPO}.git` });
    expect(readme.some((link) => link.startsWith(`${REPO}/blob/main/docs/`))).toBe(true);
    expect(readme.some((link) => link.startsWith(`${REPO}/blob/main/examples/`))).toBe(true);
  });
});

describe('docs/', () => {
  const documents = readdirSync(new URL('docs/', root)).filter((file) => file.endsWith('.md'));

  it('every relative link and anchor resolves', () => {
    expect(documents.length).toBeGreaterThanOrEqual(8);
    const problems = documents.flatMap((document) =>
      links(`docs/${document}`)
        .filter((link) => !/^[a-z]+:/.test(link))
        .map((link) => {
          const [target = '', anchor] = link.split('#');
          const file = target === '' ? `docs/${document}` : new URL(target, new URL(`docs/${document}`, root)).pathname.slice(new URL(root).pathname.length);
          return problem(`docs/${document}: ${link}`, file, anchor);
        }),
    );
    expect(problems.filter(Boolean)).toEqual([]);
  });

  it('every document is linked from the README', () => {
    const readme = links('README.md');
    const unlinked = documents.filter((document) => !readme.some((link) => link.startsWith(`${REPO}/blob/main/docs/${document}`)));
    expect(unlinked).toEqual([]);
  });
});

describe('the map of src/ in docs/how-it-works.md', () => {
  const srcFiles = (readdirSync(new URL('src/', root), { recursive: true }) as string[]).filter((file) => file.endsWith('.ts')).map((file) => file.split('\\').join('/'));
  /** Every source file the map names: `folder/file.ts` as a path under src/, a bare `file.ts` by its name in any folder. */
  const named = [...read('docs/how-it-works.md').matchAll(/`([\w/.-]+\.ts)`/g)].map(([, name]) => name as string).filter((name) => !name.startsWith('test/'));

  it('names source files that exist (a file moved or renamed is a stale map)', () => {
    expect(named.length).toBeGreaterThan(40);
    const missing = named.filter((name) => (name.includes('/') ? !srcFiles.includes(name) : !srcFiles.some((file) => file === name || file.endsWith(`/${name}`))));
    expect(missing).toEqual([]);
  });

  it('catches a stale name (the check can fail)', () => {
    expect(srcFiles.some((file) => file.endsWith('/gates.ts'))).toBe(true);
    expect(srcFiles.includes('gates.ts')).toBe(false);
  });
});
