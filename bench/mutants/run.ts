/**
 * One run of a runtime (mutated or not) through the real commands: `poolspec stress --json` (with
 * `--record` when trace validation is on), then `poolspec validate --json`, as child processes. Exit
 * codes and JSON shapes are checked: anything unexpected is an error of the harness, never a kill.
 */
import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { RUNTIME_FILE_ENV } from '../../src/runtime/compiled/module.ts';

const ROOT = path.resolve(new URL('../..', import.meta.url).pathname);
const BIN = path.join(ROOT, 'bin/poolspec.js');

export type Backend = 'engine' | 'tlc' | 'both';

export interface RunOptions {
  spec: string;
  config: string;
  /** A mutated module (POOLSPEC_RUNTIME_FILE); none: the emitted runtime. */
  runtimeFile?: string;
  seconds: number;
  /** The stress watchdog's threshold (stress --stall). */
  stall: number;
  seed: number;
  threads: number;
  /** Where the trace goes; none: no recording, no validation. */
  recordFile?: string;
  recordLast?: number;
  backend: Backend;
  /** With TLC: how many events of the trace it checks (validate --tlc-events). */
  tlcEvents?: number;
}

/** What stress reported (the fields the detectors read). */
export interface StressFacts {
  exit: number;
  ops: number;
  seconds: number;
  faultCount: number;
  firstFaultSeconds: number | null;
  firstFault?: string;
  lost: number;
  duplicated: number;
  cyclic: boolean;
  stalledAt: number | null;
  /** The spec's invariants false in the final state (stress judges it when the run ends). */
  violated: string[];
  errors: string[];
}

export interface ValidateFacts {
  exit: number;
  accepted: boolean;
  events: number;
  seconds: number;
  /** Each backend that ran: accepted or not. */
  backends?: Record<string, boolean>;
  /** The first event no order explains, as printed (when rejected). */
  rejected?: string;
  /** Run time (s) of the rejected event, when its window says. */
  rejectedAt?: number;
}

export type RunResult =
  | { ok: true; stress: StressFacts; validate?: ValidateFacts; wall: number }
  | { ok: false; error: string; wall: number };

const num = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Checks the shape of `stress --json` (one run) and takes what the detectors need. */
export function stressFacts(exit: number, stdout: string): StressFacts | string {
  let d: Record<string, any>;
  try {
    d = JSON.parse(stdout);
  } catch {
    return `stress --json printed no JSON (exit ${exit}): ${stdout.slice(0, 200).replace(/\s+/g, ' ')}`;
  }
  const a = d.accounting;
  if (!num(d.ops) || !num(d.seconds) || !num(d.faultCount) || !Array.isArray(d.faults) || !Array.isArray(d.errors)
    || !a || !num(a.lost) || !num(a.duplicated) || typeof a.cyclic !== 'boolean' || !('stalled' in d) || !Array.isArray(d.violated)) {
    return `stress --json: unexpected shape: ${stdout.slice(0, 200).replace(/\s+/g, ' ')}`;
  }
  if (d.impl !== 'compiled' || d.fallback) return `stress ran ${d.impl}${d.fallback ? ` (${d.fallback})` : ''}, not the compiled runtime`;
  const clean = d.stalled === null && d.faultCount === 0 && a.lost === 0 && a.duplicated === 0 && d.violated.length === 0 && d.errors.length === 0;
  if (exit !== (clean ? 0 : 1)) return `stress exited ${exit} for a ${clean ? 'clean' : 'failing'} run`;
  const f = d.faults[0];
  return {
    exit, ops: d.ops, seconds: d.seconds, faultCount: d.faultCount, firstFaultSeconds: d.firstFaultSeconds,
    firstFault: f ? `thread${f.proc} ${f.transition} ${f.access} ${f.variable}[b${f.block}]${f.kind === 'type' ? ` (${f.detail})` : ''}` : undefined,
    lost: a.lost, duplicated: a.duplicated, cyclic: a.cyclic, stalledAt: d.stalled ? d.stalled.at : null, violated: d.violated, errors: d.errors,
  };
}

/**
 * Checks the shape of `validate --json` and takes the verdict: `accepted`, `events`, `seconds`, the
 * per-backend verdicts (`engine`, `tlc`) and, when rejected, the first event no order explains
 * (`rejection`: event index, trace line, thread, transition, reasons). The event's time comes from its
 * window in the trace file (ns from the start of the run).
 */
export function validateFacts(exit: number, stdout: string, traceText?: string): ValidateFacts | string {
  let d: Record<string, any>;
  try {
    d = JSON.parse(stdout);
  } catch {
    return `validate --json printed no JSON (exit ${exit}): ${stdout.slice(0, 200).replace(/\s+/g, ' ')}`;
  }
  if (d.error) return `validate: ${d.error.code}: ${d.error.message}`;
  if (typeof d.accepted !== 'boolean' || !num(d.events) || !num(d.seconds)) return `validate --json: unexpected shape: ${stdout.slice(0, 200).replace(/\s+/g, ' ')}`;
  if (exit !== (d.accepted ? 0 : 1)) return `validate exited ${exit} for a trace it ${d.accepted ? 'accepted' : 'rejected'}`;
  const out: ValidateFacts = { exit, accepted: d.accepted, events: d.events, seconds: d.seconds, backends: {} };
  for (const b of ['engine', 'tlc']) {
    if (d[b] === undefined) continue;
    if (typeof d[b].accepted !== 'boolean') return `validate --json: ${b} has no verdict`;
    out.backends![b] = d[b].accepted;
  }
  if (!d.accepted) {
    const r = d.rejection;
    if (r && num(r.event) && typeof r.transition === 'string') {
      out.rejected = `#${r.event} thread${r.thread} ${r.transition}: ${Array.isArray(r.reasons) ? r.reasons[0] : '?'}`;
      if (num(r.line) && traceText !== undefined) {
        const line = traceText.split('\n')[r.line - 1];
        try {
          const e = JSON.parse(line);
          if (Array.isArray(e.t) && num(e.t[0])) out.rejectedAt = Number((e.t[0] / 1e9).toFixed(3));
        } catch { /* no time then */ }
      }
    } else if (out.backends!.engine !== false) {
      out.rejected = 'rejected by TLC';
    } else {
      return 'validate --json: the engine rejected the trace without naming the event';
    }
  }
  return out;
}

async function poolspec(args: string[], env: Record<string, string>, timeoutMs: number) {
  return execa('node', [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, reject: false, timeout: timeoutMs, all: false });
}

export async function runOnce(o: RunOptions): Promise<RunResult> {
  const t0 = performance.now();
  const wall = () => Number(((performance.now() - t0) / 1000).toFixed(1));
  const env: Record<string, string> = o.runtimeFile ? { [RUNTIME_FILE_ENV]: o.runtimeFile } : {};
  const args = ['stress', o.spec, '--config', o.config, '--threads', String(o.threads), '--seconds', String(o.seconds), '--stall', String(o.stall), '--seed', String(o.seed), '--json'];
  if (o.recordFile) args.push('--record', o.recordFile, ...(o.recordLast ? ['--record-last', String(o.recordLast)] : []));
  const s = await poolspec(args, env, (o.seconds + 90) * 1000);
  if (s.timedOut) return { ok: false, error: `stress did not finish within ${o.seconds + 90} s`, wall: wall() };
  const stress = stressFacts(s.exitCode ?? -1, s.stdout);
  if (typeof stress === 'string') return { ok: false, error: `${stress}${s.stderr ? ` [stderr: ${s.stderr.trim().split('\n').slice(-1)[0]}]` : ''}`, wall: wall() };
  if (stress.errors.length) return { ok: false, error: `stress: ${stress.errors[0]}`, wall: wall() };
  if (!o.recordFile) return { ok: true, stress, wall: wall() };
  if (!existsSync(o.recordFile)) return { ok: false, error: `stress --record wrote no ${o.recordFile}`, wall: wall() };
  // The trace's header carries the constants it ran with: no --config.
  const v = await poolspec(['validate', o.spec, '--trace', o.recordFile, '--backend', o.backend, ...(o.backend !== 'engine' && o.tlcEvents ? ['--tlc-events', String(o.tlcEvents)] : []), '--json'], {}, 600_000);
  if (v.timedOut) return { ok: false, error: 'validate did not finish within 600 s', wall: wall() };
  const validate = validateFacts(v.exitCode ?? -1, v.stdout, readFileSync(o.recordFile, 'utf8'));
  if (typeof validate === 'string') return { ok: false, error: `${validate}${v.stderr ? ` [stderr: ${v.stderr.trim().split('\n').slice(-1)[0]}]` : ''}`, wall: wall() };
  return { ok: true, stress, validate, wall: wall() };
}

/** Whether this poolspec has the recording and validation commands (the `trace` work). */
export async function hasValidation(): Promise<boolean> {
  const v = await poolspec(['validate', '--help'], {}, 60_000);
  const s = await poolspec(['stress', '--help'], {}, 60_000);
  return v.exitCode === 0 && /--trace/.test(v.stdout + v.stderr) && /--record/.test(s.stdout + s.stderr);
}
