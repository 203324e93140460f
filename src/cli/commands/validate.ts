/**
 * `poolspec validate SPEC --trace FILE`: is a recorded run (stress --record) a behaviour of the spec?
 * The engine searches for an order of the events that the windows allow and the spec explains; TLC
 * checks the trace as a trace-validation module. `--backend both` runs both and reports disagreement
 * as an error.
 * Exit codes: 0 accepted, 1 rejected, 2 usage or tool error (an unreadable trace, the backends disagree).
 */
import { oneSpec, parseCommand, usageError as usageErr } from '../args.ts';
import { EXIT, type Command } from '../command.ts';
import { report } from '../report.ts';
import { readTrace } from '../../conformance/validate/trace-read.ts';
import { validate, type ValidateResult } from '../../conformance/validate/validate.ts';
import { renderRejection } from '../../conformance/validate/render.ts';

const usage = `usage: poolspec validate SPEC --trace FILE [--config NAME] [--backend tlc|engine|both] [--json]
                         [--tlc-events N] [--timeout SECONDS] [--any-start]
  FILE: a trace written by poolspec stress --record
  --backend: engine (default), tlc, or both (they must agree)
  --tlc-events: TLC checks the first N events (default 20000; the engine checks them all)
  --any-start: start from any reachable state (the default for a trace cut with --record-last)`;

const usageError = (message: string) => usageErr('validate', usage, message);

const command: Command = {
  name: 'validate',
  summary: 'check a recorded real-thread run (stress --record) against the spec, by the engine and by TLC',
  usage,
  async run(argv) {
    const args = parseCommand('validate', usage, argv, {
      trace: { type: 'string' }, config: { type: 'string' }, backend: { type: 'string' }, json: { type: 'boolean' },
      'tlc-events': { type: 'string' }, timeout: { type: 'string' }, 'any-start': { type: 'boolean' },
    });
    if (typeof args === 'number') return args;
    const { values, positionals } = args;
    if (!values.trace) return usageError('--trace FILE is required');
    const backend = values.backend ?? 'engine';
    if (backend !== 'engine' && backend !== 'tlc' && backend !== 'both') return usageError(`--backend must be tlc, engine or both, got ${JSON.stringify(backend)}`);
    const tlcEvents = values['tlc-events'] === undefined ? undefined : Number(values['tlc-events']);
    if (tlcEvents !== undefined && !(Number.isSafeInteger(tlcEvents) && tlcEvents > 0)) return usageError(`--tlc-events must be a positive integer, got ${JSON.stringify(values['tlc-events'])}`);
    const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
    if (timeout !== undefined && !(timeout > 0)) return usageError(`--timeout must be a positive number of seconds, got ${JSON.stringify(values.timeout)}`);
    const spec = await oneSpec('validate', usage, positionals, undefined);
    if (typeof spec === 'number') return spec;
    const trace = readTrace(values.trace, spec.model, values.config);
    if (!trace.ok) return report(...trace.errors);

    const r = await validate(trace.value, { backend, tlcEvents, timeoutSeconds: timeout, anyStart: values['any-start'] ? true : undefined });
    if (!r.ok) return report(...r.errors);
    const res: ValidateResult = r.value;
    if (values.json) console.log(JSON.stringify(res, null, 2));
    else printText(res);
    return res.accepted ? EXIT.OK : EXIT.MISMATCH;
  },
};

function printText(r: ValidateResult): void {
  const n = (x: number) => x.toLocaleString('en-US');
  console.log(`${r.spec}: ${r.file}: ${n(r.events)} events from ${r.start === 'any' ? 'any reachable state (a cut trace)' : 'the initial state'}: ${r.accepted ? 'accepted' : 'REJECTED'}`);
  if (r.engine) {
    const e = r.engine;
    console.log(`  engine: ${e.accepted ? 'accepted' : 'rejected'}, ${n(e.events)} events in ${e.seconds} s (${n(e.eventsPerSecond)} events/s, at most ${n(e.maxFrontier)} configurations per step${e.initialStates > 1 ? `, ${n(e.initialStates)} start states` : ''})`);
  }
  if (r.tlc) {
    const t = r.tlc;
    console.log(`  tlc:    ${t.accepted ? 'accepted' : 'rejected'}, the first ${n(t.events)} of ${n(r.events)} events in ${t.seconds} s (${n(t.distinctStates)} distinct states${t.events < r.events ? `; the engine's verdict on the same ${n(t.events)}: ${t.engineOnSameEvents ? 'accepted' : 'rejected'}` : ''})`);
  }
  if (r.rejection) console.log(renderRejection(r.rejection));
}

export default command;
