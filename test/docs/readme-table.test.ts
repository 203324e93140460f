/**
 * The README's verdict table is pinned by a run: with POOLSPEC_README=1 (on in .ci/run) the main job
 * runs afresh (`check --no-gen --workers 1 --json`, a few minutes) and every row of the README table
 * must equal it in every column but `seconds`. `npm run readme:table` rewrites the table from such a
 * run. By default, a cheap check: the table lists exactly the spec × configuration pairs the main
 * job checks, in its order, and its sentence counts them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSpecFiles } from '../../src/dsl/load.ts';
import { PROJECT_ROOT } from '../../src/dsl/source.ts';
import { readBlock, rowsOf, runMainJob, withoutSeconds } from '../../src/report/readme-table.ts';
import { spec } from '../helpers.ts';

const readme = () => readBlock(fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8'));

describe('the README verdict table', () => {
  it('lists every spec × configuration of the main job, once, in its order, and its sentence says so', async () => {
    const { sentence, rows } = readme();
    const keys: string[] = [];
    for (const file of listSpecFiles()) {
      const m = await spec(path.basename(file, '.ts'));
      for (const c of m.configs) if (!c.onlyOnRequest) keys.push(`${m.name} ${c.name} tla`);
    }
    expect(rows.map((r) => `${r.spec} ${r.config} ${r.backend}`)).toEqual(keys);
    expect(sentence).toContain('`npx poolspec check --no-gen --workers 1`');
    expect(sentence).toMatch(new RegExp(`All ${rows.length} results matched, in \\d+ (min \\d+ )?s wall clock`));
    expect(rows.filter((r) => r.ok !== 'yes')).toEqual([]);
  });

  it.runIf(process.env.POOLSPEC_README === '1')('equals a fresh run of the main job in every column but seconds', async () => {
    const { results } = await runMainJob();
    const fresh = rowsOf(results).map(withoutSeconds);
    const documented = readme().rows.map(withoutSeconds);
    // Row by row, so a failure names the one row that drifted.
    for (let i = 0; i < Math.max(fresh.length, documented.length); i++) {
      expect(documented[i], `README row ${i + 1} (npm run readme:table rewrites the table)`).toEqual(fresh[i]);
    }
  }, 1_800_000);
});
