/**
 * The TLA+ half of generated/ (modules, configurations, abstract modules) is what the emitter writes
 * now, compared in the test process: `npm run gen:check` (test/codegen/generated-fresh.test.ts) says
 * the same from a child process, which mutation testing cannot see into.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateTla } from '../../src/codegen/generate.ts';
import { GENERATED_DIR } from '../../src/codegen/output-dir.ts';
import { SPEC_DIR } from '../../src/dsl/load.ts';
import { spec } from '../helpers.ts';

const specs = fs.readdirSync(SPEC_DIR).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '')).sort();

describe('generated/ TLA+ files, emitted in process', () => {
  it('covers every spec of spec/', () => {
    expect(specs.length).toBeGreaterThanOrEqual(8);
  });
  for (const name of specs) {
    it(name, async () => {
      const files = generateTla(await spec(name));
      expect(files.size).toBeGreaterThan(1);
      for (const [file, text] of files) expect(text, `generated/${file}`).toBe(fs.readFileSync(path.join(GENERATED_DIR, file), 'utf8'));
    });
  }
});
