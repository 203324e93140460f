/**
 * How far `prove` scales: for each spec with an inductive invariant, proves it at growing sizes
 * (T threads, N blocks) and prints the seconds; a size at least as large as one that took 60 s or
 * more (or did not prove) is skipped. `npm run bench:prove [-- SPEC...]`. Figures depend on the machine
 * and its load; the table says what was run.
 */
import path from 'node:path';
import { loadSpec, SPEC_DIR } from '../src/dsl/load.ts';
import { formatError } from '../src/errors.ts';
import { prove, proveConfig } from '../src/prove/prove.ts';

const LIMIT = 60;
const SIZES: [number, number][] = [[3, 3], [4, 3], [5, 3], [3, 4], [4, 4], [5, 5]];
const names = process.argv.slice(2).length ? process.argv.slice(2) : ['BusyPool', 'LockedPool', 'NoCachePool', 'DwcasPool', 'AtomicPool'];

const rows: string[][] = [['spec', 'config', ...SIZES.map(([t, n]) => `T=${t},N=${n}`), 'largest proved < 60 s']];
for (const name of names) {
  const r = await loadSpec(path.join(SPEC_DIR, `${name}.ts`));
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  const pick = proveConfig(r.value);
  if (!pick.ok) throw new Error(pick.errors[0].message);
  const cells: string[] = [];
  const fast: [number, number][] = [];
  const slow: [number, number][] = [];
  for (const [T, N] of SIZES) {
    // A size at least as large in both T and N as one that was slow (or not proved) is skipped.
    if (slow.some(([t, n]) => T >= t && N >= n)) { cells.push('skipped'); continue; }
    const p = await prove(r.value, pick.value.config, pick.value.inductive, { T, N }, { timeoutSeconds: LIMIT, parallel: 2 });
    if (!p.ok) throw new Error(p.errors[0].message);
    const ok = p.value.proved;
    cells.push(`${p.value.seconds.toFixed(1)} s${ok ? '' : ' (not proved)'}`);
    process.stderr.write(`${name} T=${T} N=${N}: ${cells[cells.length - 1]}\n`);
    if (ok && p.value.seconds < LIMIT) fast.push([T, N]);
    else slow.push([T, N]);
  }
  // The sizes proved in time that no other size proved in time dominates.
  const maximal = fast.filter(([t, n]) => !fast.some(([u, m]) => u >= t && m >= n && (u > t || m > n)));
  rows.push([name, pick.value.config.name, ...cells, maximal.map(([t, n]) => `T=${t},N=${n}`).join(' ') || '-']);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const [i, r] of rows.entries()) {
  console.log(r.map((c, j) => c.padEnd(widths[j])).join('  '));
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
