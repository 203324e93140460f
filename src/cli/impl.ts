/** `--impl compiled|interpreted` of run, replay and stress, and the one-line notice of a fallback. */
import type { Impl } from '../runtime/instance.ts';

export function implArg(s: string | undefined): Impl | string {
  if (s === undefined || s === 'compiled') return 'compiled';
  if (s === 'interpreted') return 'interpreted';
  return `--impl must be compiled or interpreted, got ${s}`;
}

/** Printed on stderr when the compiled runtime was asked for and the compiler refused the spec. */
export function fallbackNotice(command: string, spec: string, reason: string | undefined): void {
  if (reason !== undefined) console.error(`poolspec ${command}: ${spec} runs interpreted: the compiler refuses it (${reason})`);
}
