/**
 * `poolspec run`: the runtime under the deterministic scheduler, one transition at a time in one
 * thread. Prints the run as a readable interleaving (or JSON / ITF), the faults the runtime saw, and
 * whether the engine accepts every step; every state is checked against the configuration's
 * invariants (and a stuck end against deadlock). Exit codes: 0 conforming, fault-free and no
 * violation, 1 a violation, a fault or a step the model does not accept, 2 usage error.
 */
import fs from 'node:fs';
import { jsonTrace } from '../../check/result.ts';
import { accept } from '../../conformance/accept.ts';
import { formatItf, toItf } from '../../engine/itf.ts';
import { formatTrace } from '../../report/trace-text.ts';
import { formatFault } from '../../report/faults.ts';
import { judgeTrace } from '../../engine/judge.ts';
import { machine } from '../../engine/step.ts';
import { runScheduled, type Schedule } from '../../runtime/scheduler.ts';
import { count, oneSpec, parseCommand, seedArg, usageError as usageErr } from '../args.ts';
import { EXIT, type Command } from '../command.ts';
import { report } from '../report.ts';
import { checkTraceLength } from '../limits.ts';
import { writableFile } from '../outputs.ts';
import { initialStateBytes } from '../state-size.ts';
import { fallbackNotice, implArg } from '../impl.ts';

const usage = `usage: poolspec run SPEC [--config NAME] [--schedule random|roundrobin|FILE] [--seed S] [--steps K] [--json] [--out-itf FILE]
                    [--impl compiled|interpreted]
  FILE: a JSON array of process ids, the process that takes each step`;

const usageError = (message: string) => usageErr('run', usage, message);

function scheduleArg(s: string | undefined): Schedule | string {
  if (s === undefined || s === 'random') return { kind: 'random' };
  if (s === 'roundrobin') return { kind: 'roundrobin' };
  if (!fs.existsSync(s)) return `--schedule: no file ${s} (and not random or roundrobin)`;
  try {
    const procs = JSON.parse(fs.readFileSync(s, 'utf8'));
    if (Array.isArray(procs) && procs.every((x) => Number.isInteger(x) && x > 0)) return { kind: 'list', procs };
    return `--schedule ${s}: expected a JSON array of process ids`;
  } catch (err) {
    return `--schedule ${s}: not JSON: ${(err as Error).message}`;
  }
}

const command: Command = {
  name: 'run',
  summary: 'run the spec\'s runtime under the deterministic scheduler and check every step against the model',
  usage,
  async run(argv) {
    const args = parseCommand('run', usage, argv, {
          config: { type: 'string' }, schedule: { type: 'string' }, seed: { type: 'string' }, steps: { type: 'string' },
          json: { type: 'boolean' }, 'out-itf': { type: 'string' }, impl: { type: 'string' },
    });
    if (typeof args === 'number') return args;
    const { values, positionals } = args;
    const steps = count(values.steps, 100, '--steps');
    const seed = seedArg(values.seed);
    const schedule = scheduleArg(values.schedule);
    const impl = implArg(values.impl);
    for (const x of [steps, seed, schedule]) if (typeof x === 'string') return usageError(x);
    if (values['out-itf'] !== undefined) {
      const w = writableFile(values['out-itf'], '--out-itf');
      if (w) return report(w);
    }
    if (impl !== 'compiled' && impl !== 'interpreted') return usageError(impl);
    const spec = await oneSpec('run', usage, positionals, values.config);
    if (typeof spec === 'number') return spec;
    const { model, config } = spec;
    // The run keeps its whole trace: bounded by memory before it starts.
    const limit = checkTraceLength('--steps', steps as number, initialStateBytes(model, config.name));
    if (limit) return report({ code: 'RESOURCE_LIMIT', message: limit });

    let run;
    try {
      run = runScheduled(model, config.name, { schedule: schedule as Schedule, seed: seed as number, steps: steps as number, impl });
      fallbackNotice('run', model.name, run.instance.fallback);
    } catch (err) {
      return report({ code: 'RUNTIME_ERROR', message: (err as Error).message.split('\n')[0] });
    }
    const verdict = accept(model, config.name, run.trace);
    // The run is judged like a behaviour `check` explores: invariants on every state, deadlock at its end.
    const judged = judgeTrace(machine(model, config.name), run.trace, { stuck: run.stopped === 'deadlock' });
    const shown = judged ? run.trace.filter((t) => t.index <= judged.step) : run.trace;
    if (values['out-itf']) fs.writeFileSync(values['out-itf'], formatItf(toItf(model, run.trace, { config: config.name, backend: 'runtime', seed: seed as number })));
    if (values.json) {
      console.log(JSON.stringify({
        spec: model.name, config: config.name, impl: run.instance.impl, schedule: values.schedule ?? 'random', seed, steps: run.trace.length - 1,
        stopped: run.stopped, conforms: verdict.ok, rejection: verdict.ok ? null : verdict.rejection, faults: run.faults,
        verdict: judged ? 'violated' : 'holds', violated: judged?.property ?? null, violatedAtStep: judged?.step ?? null,
        failedConjuncts: judged?.failed ?? [],
        trace: jsonTrace(model, run.trace),
      }, null, 2));
    } else {
      console.log(formatTrace(model, shown, { violated: judged?.property }));
      console.log(`\n${run.trace.length - 1} steps (seed ${seed}, ${values.schedule ?? 'random'} schedule${run.stopped !== 'steps' ? `, stopped: ${run.stopped}` : ''})`);
      if (judged) {
        console.log(`${judged.property} is violated at step ${judged.step}${judged.failed.length ? `; false: ${judged.failed.join('; ')}` : ''}`);
      }
      for (const f of run.faults) console.log(formatFault(model, f));
      console.log(verdict.ok
        ? 'the model accepts every step'
        : `the model rejects step ${verdict.rejection.step}: ${verdict.rejection.reason}${verdict.rejection.differences.map((d) => `\n  ${d.name}: model ${d.model}, runtime ${d.runtime}`).join('')}`);
    }
    return verdict.ok && run.faults.length === 0 && !judged ? EXIT.OK : EXIT.MISMATCH;
  },
};
export default command;
