/**
 * One run of a runtime (mutated or not) through the real commands: `poolspec stress --json` (with
 * `--record` when trace validation is on), then `poolspec validate --json`, as child processes. Exit
 * codes and JSON shapes are checked: anything unexpected is an error of the harness, never a kill.
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
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
  seed: number;
  threads: number;
  /** Where the trace goes; none: no recording, no validation. */
  recordFile?: string;
  recordLast?: number;
  backend: Backend;
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
  errors: string[];
}

export interface ValidateFacts {
  exit: number;
  accepted: boolean;
  events: number;
  seconds: number;
  /** Per backend when `both` ran (each accepted or not). */
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
    || !a || !num(a.lost) || !num(a.duplicated) || typeof a.cyclic !== 'boolean' || !('stalled' in d)) {
    return `stress --json: unexpected shape: ${stdout.slice(0, 200).replace(/\s+/g, ' ')}`;
  }
  if (d.impl !== 'compiled' || d.fallback) return `stress ran ${d.impl}${d.fallback ? ` (${d.fallback})` : ''}, not the compiled runtime`;
  const clean = d.stalled === null && d.faultCount === 0 && a.lost === 0 && a.duplicated === 0 && d.errors.length === 0;
  if (exit !== (clean ? 0 : 1)) return `stress exited ${exit} for a ${clean ? 'clean' : 'failing'} run`;
  const f = d.faults[0];
  return {
    exit, ops: d.ops, seconds: d.seconds, faultCount: d.faultCount, firstFaultSeconds: d.firstFaultSeconds,
    firstFault: f ? `thread${f.proc} ${f.transition} ${f.access} ${f.variable}[b${f.block}]${f.kind === 'type' ? ` (${f.detail})` : ''}` : undefined,
    lost: a.lost, duplicated: a.duplicated, cyclic: a.cyclic, stalledAt: d.stalled ? d.stalled.at : null, errors: d.errors,
  };
}

/** Checks the shape of `validate --json` and takes the verdict. */
export function validateFacts(exit: number, stdout: string): ValidateFacts | string {
  let d: Record<string, any>;
  try {
    d = JSON.parse(stdout);
  } catch {
    return `validate --json printed no JSON (exit ${exit}): ${stdout.slice(0, 200).replace(/\s+/g, ' ')}`;
  }
  if (typeof d.accepted !== 'boolean' || !num(d.events) || !num(d.seconds)) return `validate --json: unexpected shape: ${stdout.slice(0, 200).replace(/\s+/g, ' ')}`;
  if (exit !== (d.accepted ? 0 : 1)) return `validate exited ${exit} for a trace it ${d.accepted ? 'accepted' : 'rejected'}`;
  const out: ValidateFacts = { exit, accepted: d.accepted, events: d.events, seconds: d.seconds };
  if (d.backends && typeof d.backends === 'object') {
    out.backends = Object.fromEntries(Object.entries(d.backends as Record<string, any>).map(([k, v]) => [k, typeof v === 'boolean' ? v : v?.accepted === true]));
  }
  if (!d.accepted) {
    const r = d.rejected ?? d.rejectedEvent ?? d.event;
    if (!r) return 'validate --json rejected the trace without naming the event';
    out.rejected = describeEvent(r);
    const w = r.window ?? r.event?.window;
    if (Array.isArray(w) && num(w[0])) out.rejectedAt = w[0];
  }
  return out;
}

function describeEvent(r: any): string {
  const e = r.event ?? r;
  const parts = [e.index !== undefined ? `#${e.index}` : r.index !== undefined ? `#${r.index}` : '', e.thread !== undefined ? `thread${e.thread}` : '', e.transition ?? ''];
  const s = parts.filter(Boolean).join(' ');
  return s || JSON.stringify(r).slice(0, 120);
}

async function poolspec(args: string[], env: Record<string, string>, timeoutMs: number) {
  return execa('node', [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, reject: false, timeout: timeoutMs, all: false });
}

export async function runOnce(o: RunOptions): Promise<RunResult> {
  const t0 = performance.now();
  const wall = () => Number(((performance.now() - t0) / 1000).toFixed(1));
  const env: Record<string, string> = o.runtimeFile ? { [RUNTIME_FILE_ENV]: o.runtimeFile } : {};
  const args = ['stress', o.spec, '--config', o.config, '--threads', String(o.threads), '--seconds', String(o.seconds), '--seed', String(o.seed), '--json'];
  if (o.recordFile) args.push('--record', o.recordFile, ...(o.recordLast ? ['--record-last', String(o.recordLast)] : []));
  const s = await poolspec(args, env, (o.seconds + 90) * 1000);
  if (s.timedOut) return { ok: false, error: `stress did not finish within ${o.seconds + 90} s`, wall: wall() };
  const stress = stressFacts(s.exitCode ?? -1, s.stdout);
  if (typeof stress === 'string') return { ok: false, error: `${stress}${s.stderr ? ` [stderr: ${s.stderr.trim().split('\n').slice(-1)[0]}]` : ''}`, wall: wall() };
  if (stress.errors.length) return { ok: false, error: `stress: ${stress.errors[0]}`, wall: wall() };
  if (!o.recordFile) return { ok: true, stress, wall: wall() };
  if (!existsSync(o.recordFile)) return { ok: false, error: `stress --record wrote no ${o.recordFile}`, wall: wall() };
  const v = await poolspec(['validate', o.spec, '--config', o.config, '--trace', o.recordFile, '--backend', o.backend, '--json'], {}, 600_000);
  if (v.timedOut) return { ok: false, error: 'validate did not finish within 600 s', wall: wall() };
  const validate = validateFacts(v.exitCode ?? -1, v.stdout);
  if (typeof validate === 'string') return { ok: false, error: `${validate}${v.stderr ? ` [stderr: ${v.stderr.trim().split('\n').slice(-1)[0]}]` : ''}`, wall: wall() };
  return { ok: true, stress, validate, wall: wall() };
}

/** Whether this poolspec has the recording and validation commands (the `trace` work). */
export async function hasValidation(): Promise<boolean> {
  const v = await poolspec(['validate', '--help'], {}, 60_000);
  const s = await poolspec(['stress', '--help'], {}, 60_000);
  return v.exitCode === 0 && /--trace/.test(v.stdout + v.stderr) && /--record/.test(s.stdout + s.stderr);
}
