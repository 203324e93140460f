/**
 * `check --distributed`: TLC's own distributed mode (TLCServer + 2 TLCWorker JVMs over loopback RMI)
 * checks safety, a local TLC run the temporal properties it skips; the result equals a local run's.
 * By default NoCachePool small (seconds); POOLSPEC_DISTRIBUTED=1 adds BusyPool small (the issue's
 * check) and a violated safety property.
 */
import { execaSync } from 'execa';
import { describe, expect, it } from 'vitest';
import { checkWithTlc } from '../../src/check/check.ts';
import { config, jar, spec } from '../helpers.ts';

const HEAVY = process.env.POOLSPEC_DISTRIBUTED === '1';

/** Java processes of the distributed run on this port (none must be left). */
function javaOnPort(port: number): string[] {
  const ps = execaSync('ps', ['-eo', 'pid,args'], { reject: false }).stdout ?? '';
  return ps.split('\n').filter((l) => l.includes(`TLCServer.port=${port}`));
}

const CASES: [string, string][] = [['NoCachePool', 'small'], ...(HEAVY ? [['BusyPool', 'small'], ['TreiberPool', 'small']] as [string, string][] : [])];

describe('check --distributed equals a local run', () => {
  for (const [name, cfg] of CASES) {
    it(`${name} ${cfg}: server + 2 workers on 127.0.0.1`, async () => {
      const m = await spec(name);
      const c = config(m, cfg);
      let command = '';
      const d = await checkWithTlc(m, c, { jar: await jar(), distributed: { tlcWorkers: 2, onServerReady: (cmd) => { command = cmd; } } });
      const l = await checkWithTlc(m, c, { jar: await jar(), workers: 1 });
      expect(d.errors).toEqual([]);
      expect({ verdict: d.verdict, violated: d.violated, matches: d.matchesExpected }).toEqual({ verdict: l.verdict, violated: l.violated, matches: l.matchesExpected });
      // The whole state space when safety holds; at a violation the workers' interleaving decides where the search stops.
      if (l.verdict === 'holds') {
        expect({ distinct: d.distinctStates, generated: d.statesGenerated, depth: d.depth }).toEqual({ distinct: l.distinctStates, generated: l.statesGenerated, depth: l.depth });
      }
      const info = d.distributed!;
      // The workers registered with the server (on a small model the first may finish the search
      // before the second registers), which explored the same state space.
      expect(info.safety.tlcWorkers).toBe(2);
      expect(info.safety.registered).toBeGreaterThanOrEqual(1);
      expect(info.safety.registered).toBeLessThanOrEqual(2);
      if (info.safety.verdict === 'holds') expect(info.safety.distinctStates).toBe(l.distinctStates);
      // Temporal properties: distributed TLC skips them, so a local run checked them (or safety failed first).
      expect(info.temporal.properties).toEqual(c.properties);
      expect(info.temporal.checkedBy).toBe(c.properties.length === 0 ? 'none (no temporal properties)' : info.safety.verdict === 'holds' ? 'local TLC' : 'not checked (safety failed)');
      expect(command).toContain(`-Dtlc2.tool.distributed.TLCServer.port=${info.safety.port} `);
      expect(command).toMatch(/tlc2\.tool\.distributed\.TLCWorker 127\.0\.0\.1$/);
      expect(javaOnPort(info.safety.port)).toEqual([]);
    }, 300_000);
  }
});
