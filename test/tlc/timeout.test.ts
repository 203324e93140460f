/** Kept in its own file so the slow run overlaps with the other TLC tests. */
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { formatError } from '../../src/errors.ts';
import { locateJar } from '../../src/tlc/jar.ts';
import { runTlc } from '../../src/tlc/run-tlc.ts';

const dir = fileURLToPath(new URL('../fixtures/tla/', import.meta.url));

/** Command lines of running TLC processes that check the Huge fixture with our scratch metadir. */
async function hugeTlcProcesses(): Promise<string[]> {
  const ps = await execa('ps', ['-eo', 'args'], { reject: false });
  // Without ps this list would be empty and the test would pass without looking.
  if (ps.exitCode !== 0 || !ps.stdout.includes('node')) throw new Error(`ps is needed to check for leftover TLC processes: ${ps.stderr || ps.shortMessage}`);
  return ps.stdout.split('\n').filter((l) => l.includes('tlc2.TLC') && l.includes('poolspec-tlc-') && / Huge$/.test(l.trim()));
}

it('kills TLC after the timeout and reports it', async () => {
  const jar = await locateJar();
  if (!jar.ok) throw new Error(jar.errors.map(formatError).join('\n'));
  const r = await runTlc({ jar: jar.value.path, dir, module: 'Huge', cfg: 'Huge.cfg', workers: 1, timeoutSeconds: 2 });
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  const run = r.value;
  expect(run.outcome).toBe('timeout');
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]!.code).toBe('TLC_TIMEOUT');
  expect(run.errors[0]!.message).toBe('TLC timed out after 2 s');
  expect(run.errors[0]!.detail).toMatch(/progress/);
  expect(run.seconds).toBeGreaterThanOrEqual(2);
  expect(run.seconds).toBeLessThan(10);
  expect(await hugeTlcProcesses()).toEqual([]);
}, 30_000);
