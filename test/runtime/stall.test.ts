/**
 * `stress` never hangs (issue 8, part 7): a pool whose flush can leave the lock word BUSY forever is
 * reported stalled, with where each thread is and the shared words, and the workers are ended (the
 * command exits). The watchdog's bookkeeping is checked on its own, without threads.
 */
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { StallWatch } from '../../src/runtime/stress-control.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const STUCK = path.join('test', 'fixtures', 'specs', 'valid', 'StuckBusyPool.ts');
const cli = (args: string[]) => execa('node', [path.join(ROOT, 'bin', 'poolspec.js'), ...args], { cwd: ROOT, reject: false, timeout: 60_000 });

describe('the stress watchdog', () => {
  it('fires only after the threshold without a completed operation', () => {
    const w = new StallWatch(2000, 0);
    expect(w.poll(0, 100)).toBeNull();
    expect(w.poll(5, 1500)).toBeNull(); // progress resets the clock
    expect(w.poll(5, 3400)).toBeNull();
    expect(w.poll(5, 3500)).toBe(2000);
  });

  it('StuckBusyPool: exits 1 with `stalled`, head BUSY, threads spinning, well within 10 s', async () => {
    const r = await cli(['stress', STUCK, '--seconds', '30', '--seed', '1', '--json']);
    expect(r.exitCode, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.stalled).not.toBeNull();
    expect(doc.stalled.at).toBeLessThan(10);
    expect(doc.stalled.seconds).toBeGreaterThanOrEqual(2);
    expect(doc.stalled.shared).toMatchObject({ head: 'BUSY' });
    expect(doc.stalled.threads.map((t: { id: number }) => t.id)).toEqual([1, 2]);
    for (const t of doc.stalled.threads) {
      expect(['D2', 'E5', 'H2']).toContain(t.label); // the spin loops of pop, push and flush
      expect(t.steps).toBeGreaterThan(0);
    }
    expect(doc.seconds).toBeLessThan(10); // ended by the watchdog, not by --seconds 30
    expect(doc.errors).toEqual([]);
  });

  it('--stall sets the threshold; the text output says the run stalled', async () => {
    const r = await cli(['stress', STUCK, '--seconds', '30', '--seed', '2', '--stall', '1']);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/STALLED: no operation completed for 1\.\d s/);
    expect(r.stdout).toContain('shared: head = BUSY');
  });
});
