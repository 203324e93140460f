/**
 * Malformed specs: each fixture marks the offending line with `// EXPECT CODE message`; loading it must
 * fail with that code, a message containing that text, and the fixture's file:line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/dsl/load.ts';

const DIR = path.join(import.meta.dirname, '..', 'fixtures', 'specs');

const fixtures = fs.readdirSync(DIR).filter((f) => f.endsWith('.ts')).sort();

function expectation(file: string) {
  const lines = fs.readFileSync(path.join(DIR, file), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes('// EXPECT '));
  const m = /\/\/ EXPECT (\S+) (.*)$/.exec(lines[i])!;
  // A marker alone on line 1 speaks of the file as a whole (line 1).
  return { line: i + 1, code: m[1], text: m[2].trim() };
}

describe('malformed specs are rejected with file:line and a clear message', () => {
  it('covers at least six kinds of mistake', () => {
    expect(new Set(fixtures.map((f) => expectation(f).code)).size).toBeGreaterThanOrEqual(6);
  });
  for (const file of fixtures) {
    it(file, async () => {
      const want = expectation(file);
      const r = await loadSpec(path.join(DIR, file));
      expect(r.ok).toBe(false);
      if (r.ok) return;
      const hit = r.errors.find((e) => e.code === want.code && e.message.includes(want.text));
      expect(hit, `errors were: ${JSON.stringify(r.errors, null, 1)}`).toBeDefined();
      expect(hit!.at?.file).toBe(`test/fixtures/specs/${file}`);
      expect(hit!.at?.line).toBe(want.line);
    });
  }
});
