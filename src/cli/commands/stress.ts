/**
 * `poolspec stress`: the spec's pool on real threads. N workers run random alloc/free/flush on one pool
 * in shared memory; the result counts operations, lists use-after-free faults and accounts for every
 * block. With --repeat, runs several times and reports the median time to the first fault.
 * A watchdog ends a run in which no operation completes for --stall seconds (default 2) and reports it.
 * Exit codes: 0 no fault and exact accounting, 1 a fault, a lost/duplicated block or a stall, 2 usage error.
 */
import { nextSeed } from '../../engine/random.ts';
import { DEFAULT_STALL_SECONDS, stress, type StressResult } from '../../runtime/stress.ts';
import { count, oneSpec, parseCommand, probability, seconds, seedArg, usageError as usageErr } from '../args.ts';
import { EXIT, type Command } from '../command.ts';
import { report } from '../report.ts';
import { checkBlocks, checkThreads } from '../limits.ts';
import { fallbackNotice, implArg } from '../impl.ts';
import { DEFAULT_PERTURBATION } from '../../runtime/compiled/pool-thread.ts';

const usage = `usage: poolspec stress SPEC [--threads N] [--seconds S] [--seed S] [--chaos P] [--blocks N]
                       [--block-size BYTES] [--crowded P] [--config NAME] [--repeat N] [--stall SECONDS] [--json]
                       [--impl compiled|interpreted] [--perturb P] [--record FILE [--record-last K]]
  --record: write every step as an NDJSON trace (poolspec validate checks it against the spec); --record-last K keeps the last K events
  --perturb: probability of a random spin before a shared-memory step (compiled runtime; default ${DEFAULT_PERTURBATION.p})`;

const usageError = (message: string) => usageErr('stress', usage, message);

const clean = (r: StressResult) => r.stalled === null && r.faultCount === 0 && (r.accounting === null || (r.accounting.lost === 0 && r.accounting.duplicated === 0))
  && r.violated.length === 0 && r.errors.length === 0;

export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const command: Command = {
  name: 'stress',
  summary: 'run the spec\'s pool on real worker threads (SharedArrayBuffer + Atomics): faults and block accounting',
  usage,
  async run(argv) {
    const args = parseCommand('stress', usage, argv, {
          threads: { type: 'string' }, seconds: { type: 'string' }, seed: { type: 'string' }, chaos: { type: 'string' },
          blocks: { type: 'string' }, 'block-size': { type: 'string' }, crowded: { type: 'string' }, config: { type: 'string' },
          repeat: { type: 'string' }, stall: { type: 'string' }, json: { type: 'boolean' }, impl: { type: 'string' }, perturb: { type: 'string' },
          record: { type: 'string' }, 'record-last': { type: 'string' },
    });
    if (typeof args === 'number') return args;
    const { values, positionals } = args;
    const threads = count(values.threads, 2, '--threads');
    const secs = seconds(values.seconds, 5, '--seconds');
    const seed = seedArg(values.seed);
    const chaos = probability(values.chaos, 0, '--chaos');
    const crowded = probability(values.crowded, 0.5, '--crowded');
    const blocks = count(values.blocks, 4, '--blocks');
    const blockSize = count(values['block-size'], 64, '--block-size');
    const repeat = count(values.repeat, 1, '--repeat');
    const stall = seconds(values.stall, DEFAULT_STALL_SECONDS, '--stall');
    const impl = implArg(values.impl);
    const perturb = probability(values.perturb, DEFAULT_PERTURBATION.p, '--perturb');
    const recordLast = values['record-last'] === undefined ? undefined : count(values['record-last'], 0, '--record-last');
    for (const x of [threads, secs, seed, chaos, crowded, blocks, blockSize, repeat, stall, perturb, recordLast]) if (typeof x === 'string') return usageError(x);
    if (recordLast !== undefined && values.record === undefined) return usageError('--record-last needs --record FILE');
    if (values.record !== undefined && (repeat as number) > 1) return usageError('--record records one run: leave out --repeat');
    if (impl !== 'compiled' && impl !== 'interpreted') return usageError(impl);
    if ((blockSize as number) % 8 !== 0) return usageError(`--block-size must be a multiple of 8, got ${blockSize}`);
    // Checked against the machine before any memory or thread is taken.
    const limit = checkThreads(threads as number) ?? checkBlocks(blocks as number, blockSize as number);
    if (limit) return report({ code: 'RESOURCE_LIMIT', message: limit });

    const spec = await oneSpec('stress', usage, positionals, values.config);
    if (typeof spec === 'number') return spec;
    const { model } = spec;
    // The pool specs' default is `standard` (with pool_flush); a spec without one runs its default configuration.
    const config = values.config ?? (model.configs.some((c) => c.name === 'standard') ? 'standard' : spec.config.name);

    const runs: StressResult[] = [];
    let s = seed as number;
    for (let i = 0; i < (repeat as number); i += 1) {
      if (!values.json) process.stderr.write(`stress ${model.name}: ${threads} threads, ${secs} s, seed ${s}${repeat as number > 1 ? ` (run ${i + 1}/${repeat})` : ''}\n`);
      try {
        runs.push(await stress(model, {
          threads: threads as number, seconds: secs as number, blocks: blocks as number, blockSize: blockSize as number,
          seed: s, chaos: chaos as number, config, stallSeconds: stall as number,
          weights: { crowded: crowded as number, notCrowded: 1 - (crowded as number) },
          impl, perturb: { ...DEFAULT_PERTURBATION, p: perturb as number },
          ...(values.record !== undefined ? { record: { file: values.record, lastK: recordLast as number | undefined } } : {}),
        }));
        if (i === 0) fallbackNotice('stress', model.name, runs[0].fallback);
      } catch (err) {
        return report({ code: 'RUNTIME_ERROR', message: (err as Error).message.split('\n')[0] });
      }
      s = nextSeed(s);
    }
    const firsts = runs.map((r) => r.firstFaultSeconds).filter((x): x is number => x !== null);
    if (values.json) {
      const doc = runs.length === 1 ? runs[0] : {
        spec: model.name, runs, runsWithFaults: firsts.length, medianFirstFaultSeconds: median(firsts),
      };
      console.log(JSON.stringify(doc, null, 2));
    } else {
      for (const r of runs) {
        const a = r.accounting;
        console.log(`${r.spec}: ${r.ops} ops in ${r.seconds} s (${r.opsPerSecond} ops/s), ${r.faultCount} faults${r.firstFaultSeconds !== null ? `, first after ${r.firstFaultSeconds.toFixed(3)} s` : ''}`);
        if (a) console.log(`  blocks ${a.blocks}: list ${a.inList}, local caches ${a.inLocalCaches}, hands ${a.inHands}, in transit ${a.inTransit}, OS ${a.atOs}, lost ${a.lost}, duplicated ${a.duplicated}${a.cyclic ? ', CYCLE in the list' : ''}`);
        if (!a) console.log(`  shared: ${Object.entries(r.shared).map(([k, v]) => `${k} = ${v}`).join(', ')}`);
        console.log(`  final state: ${r.violated.length ? `violates ${r.violated.join(', ')}` : `every invariant holds (${r.invariants})`}`);
        if (r.modelBounds.length) console.log(`  not judged (bounds of the state constraint, for model checking only): ${r.modelBounds.join('; ')}`);
        for (const f of r.faults.slice(0, 3)) console.log(`  fault: thread${f.proc} ${f.transition} ${f.access} ${f.variable}[b${f.block}] of an unmapped block at ${f.source} (after ${f.opCount} ops, ${f.at.toFixed(3)} s)`);
        if (r.stalled) {
          const st = r.stalled;
          console.log(`  STALLED: no operation completed for ${st.seconds.toFixed(1)} s (at ${st.at.toFixed(1)} s); the workers were ended`);
          for (const t of st.threads) console.log(`    thread${t.id} at ${t.label} after ${t.steps} steps`);
          console.log(`    shared: ${Object.entries(st.shared).map(([k, v]) => `${k} = ${v}`).join(', ')}`);
        }
        if (r.record) console.log(`  recorded ${r.record.events} events${r.record.dropped ? ` (the last ${r.record.events}; ${r.record.dropped} before the cut dropped)` : ''} to ${r.record.file} (${(r.record.bytes / 1e6).toFixed(1)} MB, written in ${r.record.writeSeconds} s)`);
        for (const e of r.errors) console.log(`  error: ${e}`);
      }
      if (runs.length > 1) console.log(`${firsts.length}/${runs.length} runs faulted; median time to the first fault: ${median(firsts)?.toFixed(3) ?? '-'} s`);
    }
    return runs.every(clean) ? EXIT.OK : EXIT.MISMATCH;
  },
};
export default command;
