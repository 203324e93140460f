/**
 * `check` type-checks spec files with the TypeScript compiler before generating anything: compiler
 * errors, and JavaScript operators that silently misbehave on DSL expressions, are spec errors at
 * the file:line marked `// EXPECT CODE text` in each fixture; a well-typed spec has none.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { typecheckSpecs } from '../../src/dsl/typecheck.ts';
import { EXAMPLES_DIR, listSpecFiles } from '../../src/dsl/load.ts';

const DIR = path.join(import.meta.dirname, '..', 'fixtures', 'typecheck');
const fixtures = fs.readdirSync(DIR).filter((f) => f.endsWith('.ts')).sort();

describe('typecheckSpecs', () => {
  // One program for every file, as `check` does.
  const files = [...fixtures.map((f) => path.join(DIR, f)), ...listSpecFiles(EXAMPLES_DIR)];
  let errors: ReturnType<typeof typecheckSpecs> | undefined;
  const all = () => (errors ??= typecheckSpecs(files, { cache: false }));

  for (const file of fixtures) {
    it(file, async () => {
      const lines = fs.readFileSync(path.join(DIR, file), 'utf8').split('\n');
      const i = lines.findIndex((l) => l.includes('// EXPECT '));
      const [, code, text] = /\/\/ EXPECT (\S+) (.*)$/.exec(lines[i])!;
      const mine = (await all()).filter((e) => e.at?.file === `test/fixtures/typecheck/${file}`);
      expect(mine.map((e) => ({ code: e.code, line: e.at?.line }))).toEqual([{ code, line: i + 1 }]);
      expect(mine[0].message).toContain(text.trim());
    }, 60_000);
  }

  it('the examples type-check cleanly', async () => {
    expect((await all()).filter((e) => e.at?.file.startsWith('spec/'))).toEqual([]);
  }, 60_000);
});
