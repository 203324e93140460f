/** The live progress line of `check`: its text, drawn only on a terminal, and `check` under a pseudo-terminal. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { formatElapsed, formatProgress, ProgressLine } from '../../src/report/progress.ts';
import { explore, type ExploreProgress } from '../../src/engine/explore.ts';
import { machine } from '../../src/engine/step.ts';
import { spec } from '../helpers.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CLEAR = '\r\x1b[2K';

function fakeTerminal(isTTY: boolean, columns = 200) {
  const writes: string[] = [];
  return { stream: { isTTY, columns, write: (s: string) => writes.push(s) }, writes };
}

describe('progress line', () => {
  it('formats spec, config, backend, distinct states, states/s, queue and elapsed time', () => {
    expect(formatProgress({ spec: 'BusyPool', config: 'standard', backend: 'tla' }, { distinctStates: 458361, queue: 12034 }, 15320.4, 75.2))
      .toBe('BusyPool standard tla · 458,361 distinct · 15,320 states/s · queue 12,034 · 1:15');
    expect(formatProgress({ spec: 'X', config: 'c', backend: 'engine' }, null, null, 0)).toBe('X c engine · – distinct · – states/s · queue – · 0:00');
    expect(formatElapsed(3725.9)).toBe('1:02:05');
  });

  it('on a terminal: drawn at start, rewritten in place with the rate since the last report, erased at the end', () => {
    const { stream, writes } = fakeTerminal(true);
    let t = 1000;
    const line = new ProgressLine(stream, true, () => t);
    line.start({ spec: 'DwcasPool', config: 'small', backend: 'tla' });
    t += 2000;
    line.update({ distinctStates: 1000, queue: 50 });
    t += 1000;
    line.update({ distinctStates: 1600, queue: 20 });
    line.stop();
    expect(writes).toEqual([
      `${CLEAR}DwcasPool small tla · – distinct · – states/s · queue – · 0:00`,
      `${CLEAR}DwcasPool small tla · 1,000 distinct · 500 states/s · queue 50 · 0:02`,
      `${CLEAR}DwcasPool small tla · 1,600 distinct · 600 states/s · queue 20 · 0:03`,
      CLEAR,
    ]);
  });

  it('is cut to the terminal width', () => {
    const { stream, writes } = fakeTerminal(true, 21);
    const line = ProgressLine.for(stream);
    line.start({ spec: 'DwcasPool', config: 'small', backend: 'tla' });
    line.stop();
    expect(writes[0]).toBe(`${CLEAR}DwcasPool small tla `);
  });

  it('writes nothing when the stream is not a terminal, or with --json', () => {
    for (const [tty, json] of [[false, false], [true, true], [false, true]] as const) {
      const { stream, writes } = fakeTerminal(tty);
      const line = ProgressLine.for(stream, { json });
      expect(line.enabled).toBe(false);
      line.start({ spec: 'A', config: 'b', backend: 'tla' });
      line.update({ distinctStates: 5, queue: 1 });
      line.stop();
      expect(writes).toEqual([]);
    }
  });
});

describe('engine progress', () => {
  it('explore() reports distinct states, generated states, queue and depth as it goes', async () => {
    const seen: ExploreProgress[] = [];
    const r = explore(machine(await spec('BusyPool'), 'small'), { onProgress: (p) => seen.push(p), progressMs: 0 });
    expect(r.distinctStates).toBe(4198);
    // every 256 expanded states when reports are due at once
    expect(seen.length).toBe(Math.ceil(4198 / 256));
    expect(seen[0]).toEqual({ distinctStates: 1, statesGenerated: 1, queue: 1, depth: 1 });
    for (let i = 1; i < seen.length; i += 1) {
      expect(seen[i].distinctStates).toBeGreaterThan(seen[i - 1].distinctStates);
      expect(seen[i].statesGenerated).toBeGreaterThan(seen[i - 1].statesGenerated);
      expect(seen[i].distinctStates - seen[i].queue).toBe(256 * i);
    }
    expect(explore(machine(await spec('BusyPool'), 'small'), { onProgress: () => { throw new Error('no report is due'); }, progressMs: 1e9 }).distinctStates).toBe(4198);
  });
});

const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasScript) console.warn('test/report/progress.test.ts: `script` (util-linux) is missing: the pseudo-terminal test is skipped');

// CI (.ci/run sets POOLSPEC_REQUIRE_TOOLS=1): a missing `script` fails, never skips.
it.runIf(!hasScript && process.env.POOLSPEC_REQUIRE_TOOLS === '1')('`script` (util-linux) is installed (POOLSPEC_REQUIRE_TOOLS=1)', () => {
  expect.fail('`script` (util-linux) is missing: the pseudo-terminal test cannot run');
});

describe.skipIf(!hasScript)('check on a terminal', () => {
  it('shows the live line on stderr, then erases it before the results', async () => {
    // `script` gives the command a pseudo-terminal for stdout and stderr.
    const r = await execa('script', ['-qec', 'node bin/poolspec.js check BusyPool --config small --backend engine --no-gen', '/dev/null'], { cwd: ROOT, reject: false });
    expect(r.exitCode).toBe(0);
    const out = r.stdout;
    const first = out.indexOf(`${CLEAR}BusyPool small engine · – distinct · – states/s · queue – · 0:00`);
    expect(first).toBeGreaterThan(out.indexOf('checking BusyPool small (engine)...'));
    const erased = out.indexOf(`${CLEAR}BusyPool small (engine): holds`);
    expect(erased).toBeGreaterThan(first);
    // every redraw in between is a progress line of this check
    for (const seg of out.slice(first, erased).split(CLEAR).filter(Boolean)) {
      expect(seg).toMatch(/^BusyPool small engine · (–|[\d,]+) distinct · (–|[\d,]+) states\/s · queue (–|[\d,]+) · \d+:\d\d$/);
    }
    expect(out).toMatch(/BusyPool\s+small\s+engine\s+holds\s+-\s+4,198\s+10,053\s+41/);
  });
});
