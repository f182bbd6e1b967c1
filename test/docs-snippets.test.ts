import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

// Every TypeScript block of README.md and docs/*.md, and of the TSDoc @examples the API reference
// shows, is a whole program a user can paste: each is written out as a module of its own and type-checked against the built package (by its own name,
// which resolves to dist/ through package.json's "exports", as in an app), under strict
// `nodenext` and under strict `bundler`. The recipes of examples/ (JavaScript with JSDoc types)
// are checked with them (checkJs). `npm test` builds first. The blocks are written to .snippets/
// (git-ignored) inside the package, so that the package's own name resolves.

const root = new URL('../', import.meta.url);
const out = new URL('.snippets/', root);
const examples = new URL('examples/', root);

interface Block {
  /** Where it is: `README.md:42` (the line of the opening fence). */
  where: string;
  code: string;
}

/** The ```ts blocks of a Markdown file, dedented (a block inside a list item is indented). */
function tsBlocks(file: string): Block[] {
  const lines = readFileSync(new URL(file, root), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^( *)```(ts|typescript)\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    const indent = open[1]?.length ?? 0;
    const start = i;
    const body: string[] = [];
    for (i += 1; i < lines.length && !/^ *```\s*$/.test(lines[i] ?? ''); i += 1) body.push((lines[i] ?? '').slice(indent));
    blocks.push({ where: `${file}:${start + 1}`, code: body.join('\n') });
  }
  return blocks;
}

/** The ```ts blocks of the TSDoc `@example`s in a source file, the comment's ` * ` taken off. */
function exampleBlocks(file: string): Block[] {
  const lines = readFileSync(new URL(file, root), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    if (!/^ *\* ```ts$/.test(lines[i] ?? '')) continue;
    const start = i;
    const body: string[] = [];
    for (i += 1; i < lines.length && !/^ *\* ```$/.test(lines[i] ?? ''); i += 1) body.push((lines[i] ?? '').replace(/^ *\* ?/, ''));
    blocks.push({ where: `${file}:${start + 1}`, code: body.join('\n') });
  }
  return blocks;
}

const documents = ['README.md', ...readdirSync(new URL('docs/', root)).filter((file) => file.endsWith('.md')).map((file) => `docs/${file}`)];
const sources = readdirSync(new URL('src/', root), { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts'))
  .map((file) => `src/${file}`);
const blocks = [...documents.flatMap(tsBlocks), ...sources.flatMap(exampleBlocks)];
const recipes = readdirSync(examples).filter((file) => file.endsWith('.mjs') && readFileSync(new URL(file, examples), 'utf8').startsWith('// Recipe: '));

const strict = {
  target: 'ES2022',
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  // The package's own declarations are checked with skipLibCheck off by consumers.test.ts; here
  // the blocks are the subject, and checking every library's declarations again for each of the
  // two programs would triple their time.
  skipLibCheck: true,
  noEmit: true,
  types: ['node'],
};
const modes = {
  nodenext: { compilerOptions: { ...strict, module: 'NodeNext', moduleResolution: 'NodeNext', allowJs: true, checkJs: true }, extension: '.mts' },
  bundler: { compilerOptions: { ...strict, module: 'ESNext', moduleResolution: 'Bundler' }, extension: '.ts' },
} as const;

/** Write one mode's program: a module per block (and, under nodenext, the recipes), and its tsconfig. */
function writeProgram(mode: keyof typeof modes): { project: string; names: Map<string, string> } {
  const dir = new URL(`${mode}/`, out);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const { compilerOptions, extension } = modes[mode];
  const names = new Map<string, string>();
  const files = blocks.map((block, index) => {
    const name = `block-${String(index + 1).padStart(2, '0')}${extension}`;
    names.set(name, block.where);
    // Every block is a module, even one without an import, so that blocks do not share names.
    writeFileSync(new URL(name, dir), `${block.code}\nexport {};\n`);
    return name;
  });
  if (mode === 'nodenext') files.push(...recipes.map((recipe) => `../../examples/${recipe}`));
  writeFileSync(new URL('tsconfig.json', dir), JSON.stringify({ compilerOptions, files }, null, 2));
  return { project: fileURLToPath(new URL('tsconfig.json', dir)), names };
}

/** tsc's diagnostics, with each generated file named by the document and line it came from. */
async function typeCheck(mode: keyof typeof modes): Promise<string> {
  const { project, names } = writeProgram(mode);
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const run = promisify(execFile)(process.execPath, [tsc, '-p', project, '--pretty', 'false'], { timeout: 300_000 });
  const output = await run.then(
    () => 'ok',
    (error: { stdout?: string; message: string }) => error.stdout || error.message,
  );
  return output.replace(/(?:\.snippets\/\w+\/)?(block-\d+\.m?ts)\((\d+),\d+\)/g, (match: string, file: string, line: string) => {
    return `${names.get(file) ?? match}, line ${line} of the block`;
  });
}

it('README.md, docs/ and the TSDoc have TypeScript blocks, each found here', () => {
  expect(blocks.filter((block) => block.where.startsWith('README.md')).length).toBeGreaterThanOrEqual(8);
  expect(blocks.filter((block) => block.where.startsWith('docs/')).length).toBeGreaterThanOrEqual(5);
  expect(blocks.filter((block) => block.where.startsWith('src/')).length).toBeGreaterThanOrEqual(50);
  expect(recipes.length).toBeGreaterThanOrEqual(9);
});

it.each(Object.keys(modes) as (keyof typeof modes)[])(
  'every TypeScript block of README.md, docs/ and the TSDoc examples type-checks as a whole program under strict %s',
  async (mode) => {
    expect(await typeCheck(mode)).toBe('ok');
  },
  320_000,
);
