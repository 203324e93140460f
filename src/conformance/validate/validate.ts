/**
 * `validate`: one trace, one or both backends. The engine checks every event; TLC checks the first
 * `tlcEvents` of them (a long trace as a TLA+ sequence is more than SANY and TLC take in reasonable
 * time: see README "Trace validation"), and with `both` the engine's verdict on those same events
 * must be TLC's, or the disagreement is an error (TRACE_BACKENDS).
 */
import { fail, ok, type Result } from '../../errors.ts';
import { StartLimit, validateWithEngine, type EngineVerdict, type Rejection } from './engine.ts';
import { validateWithTlc, type TlcVerdict } from './tlc.ts';
import type { Trace } from './trace-read.ts';

export const DEFAULT_TLC_EVENTS = 20_000;

export interface ValidateOptions {
  backend: 'engine' | 'tlc' | 'both';
  tlcEvents?: number;
  timeoutSeconds?: number;
  anyStart?: boolean;
}

export interface ValidateResult {
  spec: string;
  file: string;
  constants: Record<string, number | boolean>;
  impl: string;
  /** Events in the trace. */
  events: number;
  /** 'initial': from Init; 'any': from any reachable state (a trace cut to its last events). */
  start: 'initial' | 'any';
  backend: ValidateOptions['backend'];
  /** Every backend that ran accepted what it checked. */
  accepted: boolean;
  /** Every backend that ran checked every event (TLC may check only the first tlcEvents). */
  complete: boolean;
  seconds: number;
  engine?: Omit<EngineVerdict, 'rejection'>;
  tlc?: TlcVerdict & { engineOnSameEvents?: boolean };
  rejection?: Rejection;
}

export async function validate(trace: Trace, opts: ValidateOptions): Promise<Result<ValidateResult>> {
  const t0 = performance.now();
  const anyStart = opts.anyStart ?? trace.header.cut !== null;
  const total = trace.events.length;
  let engine: EngineVerdict | undefined;
  let tlc: (TlcVerdict & { engineOnSameEvents?: boolean }) | undefined;
  try {
    if (opts.backend !== 'tlc') engine = validateWithEngine(trace, { anyStart });
  } catch (err) {
    if (err instanceof StartLimit) return fail({ code: 'ENGINE_LIMIT', message: err.message });
    throw err;
  }
  if (opts.backend !== 'engine') {
    const limit = Math.min(opts.tlcEvents ?? DEFAULT_TLC_EVENTS, total);
    const r = await validateWithTlc(trace, { limit, anyStart, timeoutSeconds: opts.timeoutSeconds });
    if (!r.ok) return r;
    tlc = r.value;
    if (engine) {
      // The engine's verdict on exactly the events TLC checked.
      const same = limit === total ? engine.accepted : validateWithEngine(trace, { anyStart, limit }).accepted;
      tlc.engineOnSameEvents = same;
      if (same !== tlc.accepted) {
        return fail({
          code: 'TRACE_BACKENDS',
          message: `the backends disagree on the first ${limit} events of ${trace.file}: the engine ${same ? 'accepts' : 'rejects'} them, TLC ${tlc.accepted ? 'accepts' : 'rejects'} them`,
        });
      }
    }
  }
  const { rejection, ...engineRest } = engine ?? {};
  const accepted = (engine?.accepted ?? true) && (tlc?.accepted ?? true);
  return ok({
    spec: trace.model.name, file: trace.file, constants: trace.model.configs.find((c) => c.name === trace.config)!.constants,
    impl: trace.header.impl, events: total, start: anyStart ? 'any' : 'initial', backend: opts.backend, accepted,
    complete: !tlc || tlc.events === total,
    seconds: Number(((performance.now() - t0) / 1000).toFixed(3)),
    ...(engine ? { engine: engineRest as Omit<EngineVerdict, 'rejection'> } : {}),
    ...(tlc ? { tlc } : {}),
    ...(rejection ? { rejection } : {}),
  });
}
