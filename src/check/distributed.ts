/**
 * `check --distributed`: safety (invariants, deadlock) by TLC's distributed mode (a server and N
 * workers, src/tlc/distributed.ts), and the temporal properties, which distributed TLC does not
 * check, by a local TLC run of the same state space with those properties only. The result says
 * which run checked what (`distributed`); its verdict and counts are those of a local run.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config, Model } from '../dsl/ir.ts';
import { cfgFileName, emitCfg } from '../codegen/tla.ts';
import { runTlc } from '../tlc/index.ts';
import { runTlcDistributed } from '../tlc/distributed.ts';
import type { TlcRun } from '../tlc/index.ts';
import type { DistributedInfo } from './result.ts';

export interface DistributedCheck {
  tlcWorkers: number;
  host?: string;
  onServerReady?: (workerCommand: string) => void;
}

export type RunOutcome = { ok: true; run: TlcRun; info: DistributedInfo } | { ok: false; errors: import('../errors.ts').PoolspecError[] };

/** Runs TLC for `config` in `dir` (which holds the module) the distributed way. */
export async function runDistributed(model: Model, config: Config, dir: string, moduleFile: string, d: DistributedCheck,
  opts: { jar: string; timeoutSeconds?: number; onProgress?: (p: import('../tlc/index.ts').TlcProgress) => void }): Promise<RunOutcome> {
  const temporal = [...config.properties, ...(config.refines ? ['Refines'] : [])];
  // The distributed server checks this configuration without its temporal properties.
  const safetyCfg = cfgFileName(model, { ...config, name: `${config.name}_safety` });
  await fs.writeFile(path.join(dir, safetyCfg), emitCfg(model, { ...config, properties: [], refines: false }));
  const s = await runTlcDistributed({
    jar: opts.jar, dir, module: moduleFile, cfg: safetyCfg, tlcWorkers: d.tlcWorkers, host: d.host,
    timeoutSeconds: opts.timeoutSeconds, onProgress: opts.onProgress, onServerReady: d.onServerReady,
    ...(config.checkDeadlock ? {} : { checkDeadlock: false }),
  });
  if (!s.ok) return { ok: false, errors: s.errors };
  const safetyVerdict = s.value.outcome === 'holds' ? 'holds' : s.value.outcome === 'error' || s.value.outcome === 'timeout' ? 'error' : 'violated';
  const info: DistributedInfo = {
    safety: {
      tlcWorkers: s.value.tlcWorkers, registered: s.value.registered, port: s.value.port, distinctStates: s.value.distinctStates,
      statesGenerated: s.value.statesGenerated, depth: s.value.depth, seconds: s.value.seconds, verdict: safetyVerdict,
    },
    temporal: { properties: temporal, checkedBy: temporal.length ? 'not checked (safety failed)' : 'none (no temporal properties)', seconds: null },
    workerCommand: s.value.workerCommand,
  };
  if (!temporal.length || safetyVerdict !== 'holds') return { ok: true, run: s.value, info };
  // Safety holds: the temporal properties alone, by local TLC (one worker, as check.ts runs liveness).
  const liveCfg = cfgFileName(model, { ...config, name: `${config.name}_temporal` });
  await fs.writeFile(path.join(dir, liveCfg), emitCfg(model, { ...config, invariants: [], checkDeadlock: false }));
  const l = await runTlc({ jar: opts.jar, dir, module: moduleFile, cfg: liveCfg, workers: 1, timeoutSeconds: opts.timeoutSeconds, onProgress: opts.onProgress });
  if (!l.ok) return { ok: false, errors: l.errors };
  info.temporal = { properties: temporal, checkedBy: 'local TLC', seconds: l.value.seconds };
  return { ok: true, run: { ...l.value, seconds: s.value.seconds + l.value.seconds, errors: [...s.value.errors, ...l.value.errors] }, info };
}
