/**
 * Applying a runtime mutant: small textual patches of an emitted runtime module
 * (generated/runtime/<Name>.ts). Each patch is anchored in a region of the module, so that a change
 * of the emitter elsewhere leaves it applicable, and one that touches its anchor makes it fail with
 * the mutant, the patch and what was not found, never silently:
 *
 * - `fn`: the body of a function of the module (`function Thread_D7(` up to its closing brace);
 * - `tx` (with `fn`): the `case` of one transition in that function's switch (`case 8: { // D7 -> ...`);
 * - `guard` (with `fn`): the guard line of one transition (the line after its `// D7  spec/...` comment);
 * - no `fn`: the whole module.
 *
 * `find` must occur exactly once in the region.
 */

export interface Patch {
  fn?: string;
  tx?: string;
  guard?: string;
  find: string;
  replace: string;
}

export interface Mutant {
  /** Stable name, e.g. `busy-xchg-split`. */
  id: string;
  spec: string;
  /** The configuration stress runs (its constants: OsFree, Flush). */
  config: string;
  /** The divergence from the spec, in one sentence. */
  what: string;
  /** Why the mutant may survive every detector (an equivalent or unobservable divergence), when it may. */
  equivalent?: string;
  patches: Patch[];
}

export type Applied = { ok: true; text: string } | { ok: false; error: string };

/**
 * A window between the two halves of a split atomic operation: a spin of up to 4,000 iterations, as
 * the runtime's `--perturb` spins between steps. Without it a split XCHG or CAS races only when the
 * OS preempts the thread between two adjacent instructions.
 */
export const MUTANT_PRELUDE = `
/** Runtime mutant (bench/mutants): a window between the halves of a split atomic operation. */
let mutSink = 0;
function mutWindow(): void {
  const k = (Math.random() * 4000) | 0;
  let x = mutSink;
  for (let i = 0; i < k; i += 1) x = (x * 1103515245 + 12345) | 0;
  mutSink = x;
}
`;
/** Where the prelude goes: after the step result codes (top level of the module). */
const PRELUDE_ANCHOR = 'export const REFUSED = -3;\n';

interface Region { start: number; end: number; what: string }

function once(text: string, needle: string, from: number, to: number): number | string {
  const i = text.indexOf(needle, from);
  if (i < 0 || i + needle.length > to) return 'not found';
  const j = text.indexOf(needle, i + 1);
  if (j >= 0 && j + needle.length <= to) return 'found more than once';
  return i;
}

function region(text: string, p: Patch): Region | string {
  if (!p.fn) return { start: 0, end: text.length, what: 'the module' };
  const head = `function ${p.fn}(`;
  const f = once(text, head, 0, text.length);
  if (typeof f === 'string') return `function ${p.fn}: ${f}`;
  const fEnd = text.indexOf('\n    }\n', f);
  if (fEnd < 0) return `function ${p.fn}: no closing brace`;
  if (p.tx) {
    const re = new RegExp(`case \\d+: \\{ // ${p.tx.replace(/[$]/g, '\\$')} -> `);
    const m = re.exec(text.slice(f, fEnd));
    if (!m) return `${p.fn}: no case for transition ${p.tx}`;
    const start = f + m.index;
    const end = text.indexOf('\n        }\n', start);
    if (end < 0 || end > fEnd) return `${p.fn}: the case of ${p.tx} has no end`;
    return { start, end, what: `${p.fn} case ${p.tx}` };
  }
  if (p.guard) {
    const c = once(text, `// ${p.guard}  `, f, fEnd);
    if (typeof c === 'string') return `${p.fn}: the guard comment of ${p.guard}: ${c}`;
    const start = text.indexOf('\n', c) + 1;
    const end = text.indexOf('\n', start);
    return { start, end, what: `${p.fn} guard of ${p.guard}` };
  }
  return { start: f, end: fEnd, what: p.fn };
}

/** The text of a function of the module (`function NAME(` to its closing brace), or undefined. */
export function functionText(text: string, fn: string): string | undefined {
  const r = region(text, { fn, find: '', replace: '' });
  return typeof r === 'string' ? undefined : text.slice(r.start, r.end + '\n    }'.length);
}

/** The module with the mutant's patches applied (and the prelude), or the first patch that does not apply. */
export function applyMutant(text: string, m: Mutant): Applied {
  let out = text;
  for (const [i, p] of m.patches.entries()) {
    const r = region(out, p);
    const where = `mutant ${m.id}: patch ${i + 1} of ${m.patches.length}`;
    if (typeof r === 'string') return { ok: false, error: `${where}: ${r}` };
    const at = once(out, p.find, r.start, r.end);
    if (typeof at === 'string') return { ok: false, error: `${where}: ${JSON.stringify(p.find)} ${at} in ${r.what}` };
    out = out.slice(0, at) + p.replace + out.slice(at + p.find.length);
  }
  const a = once(out, PRELUDE_ANCHOR, 0, out.length);
  if (typeof a === 'string') return { ok: false, error: `mutant ${m.id}: the prelude anchor ${JSON.stringify(PRELUDE_ANCHOR.trim())} ${a}` };
  out = out.slice(0, a + PRELUDE_ANCHOR.length) + MUTANT_PRELUDE + out.slice(a + PRELUDE_ANCHOR.length);
  return { ok: true, text: out };
}
