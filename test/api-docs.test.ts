import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, it } from 'vitest';

// The API reference (`npm run docs`, TypeDoc, warnings as errors) is made from the TSDoc of the
// three entries' exports: each must say what it is and show it in an @example. The examples
// themselves are type-checked with the README's blocks (docs-snippets.test.ts).

const root = new URL('../', import.meta.url);
const entries = ['src/index.ts', 'src/redis/index.ts', 'src/jwt/index.ts'];

function exportsWithoutExample(): { exports: string[]; missing: string[] } {
  const files = entries.map((entry) => fileURLToPath(new URL(entry, root)));
  const program = ts.createProgram(files, { strict: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, types: ['node'], noEmit: true });
  const checker = program.getTypeChecker();
  const exports: string[] = [];
  const missing: string[] = [];
  for (const [index, file] of files.entries()) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(file) as ts.SourceFile) as ts.Symbol;
    for (const symbol of checker.getExportsOfModule(module)) {
      const name = `${entries[index]}: ${symbol.name}`;
      exports.push(name);
      const declarations = checker.getAliasedSymbol(symbol).declarations ?? [];
      const documented = declarations.some((declaration) => {
        // A `const` carries its TSDoc on its statement.
        const node = ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration;
        const tags = ts.getJSDocTags(node).map((tag) => tag.tagName.text);
        const text = ts.getJSDocCommentsAndTags(node).some((doc) => ts.isJSDoc(doc) && (ts.getTextOfJSDocComment(doc.comment)?.length ?? 0) > 20);
        return text && tags.includes('example');
      });
      if (!documented) missing.push(name);
    }
  }
  return { exports, missing };
}

it('every export of the three entries has TSDoc with an @example', () => {
  const { exports, missing } = exportsWithoutExample();
  expect(exports.length).toBeGreaterThanOrEqual(50);
  expect(missing).toEqual([]);
}, 120_000);

it('npm run docs makes the reference of all three entries with TypeDoc, warnings as errors, into a git-ignored folder', () => {
  const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
    scripts: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const config = JSON.parse(readFileSync(new URL('typedoc.json', root), 'utf8')) as {
    entryPoints: string[];
    out: string;
    treatWarningsAsErrors: boolean;
    treatValidationWarningsAsErrors: boolean;
    validation: Record<string, boolean>;
  };
  expect(manifest.scripts['docs']).toBe('typedoc');
  expect(manifest.devDependencies['typedoc']).toMatch(/^\d+\.\d+\.\d+$/);
  expect(config.entryPoints).toEqual(entries);
  expect(config.treatWarningsAsErrors).toBe(true);
  expect(config.treatValidationWarningsAsErrors).toBe(true);
  expect(config.validation).toMatchObject({ notExported: true, invalidLink: true, notDocumented: true });
  expect(readFileSync(new URL('.gitignore', root), 'utf8').split('\n')).toContain(`${config.out}/`);
  expect(readFileSync(new URL('.ci/run', root), 'utf8')).toMatch(/^npm run docs\b/m);
});
