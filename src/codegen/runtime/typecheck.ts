/**
 * The compiled runtime's type checks: the interpreter (src/runtime/process.ts, typeFault) refuses a
 * step that would write a value outside its variable's declared type, so the emitted step tests
 * every written value before anything is written. A value the emitter can prove in type is not
 * tested: a literal in range, or a read of a variable of the same type that is not in a block (every
 * write is tested and initial values are checked at load, so such a variable always holds a value of
 * its type; an in-block word of an unmapped block holds poison, so those reads are tested). A type
 * the emitter cannot test is refused (the runtime falls back to the interpreter).
 *
 * The interpreter's exception is kept: a top-level integer range whose bound reads a constant of
 * the configuration's state constraint (DwcasPool's `seq <= MaxSeq`) bounds model checking only and
 * is not enforced. The module does not depend on the configuration, so each such constant has a
 * flag set when the module is bound (`CHK_<name>`).
 */
import type { Bound, Expr, Model, Type } from '../../dsl/ir.ts';
import { walkExpr } from '../../dsl/print.ts';
import { Refusal, constId, ident, js, type Scope } from './expr.ts';

export const checkFlagId = (c: string) => `CHK_${ident(c)}`;

/** Constants a range bound reads. */
export function boundConsts(b: Bound): string[] {
  if (typeof b === 'number') return [];
  if (typeof b === 'string') return [b];
  const out: string[] = [];
  walkExpr(b, (x) => { if (x.op === 'const') out.push(x.name); });
  return out;
}

const sameType = (a: Type, b: Type) => JSON.stringify(a) === JSON.stringify(b);
const BOOL_FNS = new Set(['and', 'or', 'implies', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in', 'notin', 'subseteq']);

/** The declared type of what `e` reads, when it is a plain read of a variable (not in a block) or a local. */
function readType(m: Model, pt: string, e: Expr): Type | undefined {
  if (e.op === 'var') {
    const v = m.vars.find((x) => x.name === e.name);
    return v && !v.inBlock ? v.type : undefined;
  }
  if (e.op === 'local' && (!e.proc || e.proc.op === 'self')) return m.procTypes.find((p) => p.name === pt)?.locals.find((l) => l.name === e.name)?.type;
  if (e.op === 'index' && e.arr.op === 'var') {
    const name = e.arr.name;
    const v = m.vars.find((x) => x.name === name);
    return v && !v.inBlock && v.type.kind === 'array' ? v.type.of : undefined;
  }
  return undefined;
}

/**
 * Whether every value `e` can take is of type `t`. `top`: the type is the written variable's own
 * (not an element of a set or array).
 */
export function provable(m: Model, pt: string, t: Type, e: Expr, top: boolean, choices: Map<string, Expr> = new Map()): boolean {
  const go = (t2: Type, e2: Expr, top2: boolean) => provable(m, pt, t2, e2, top2, choices);
  if (e.op === 'ite') return go(t, e.then, top) && go(t, e.else, top);
  if (e.op === 'bound' && choices.has(e.name)) {
    // A transition's choice: an element of the set it chooses from.
    return go({ kind: 'set', of: t }, choices.get(e.name)!, false);
  }
  const rt = readType(m, pt, e);
  // A variable's own top-level range may be unenforced (the state-constraint exception): its value
  // proves a top-level range, not a nested one.
  if (rt && sameType(rt, t) && (top || t.kind !== 'int' || boundConsts(t.lo).length + boundConsts(t.hi).length === 0)) return true;
  switch (t.kind) {
    case 'bool':
      return (e.op === 'lit' && typeof e.value === 'boolean') || e.op === 'not' || e.op === 'quant' || (e.op === 'bin' && BOOL_FNS.has(e.fn));
    case 'int':
      return e.op === 'lit' && typeof e.value === 'number' && typeof t.lo === 'number' && typeof t.hi === 'number' && e.value >= t.lo && e.value <= t.hi;
    case 'ptr':
      return e.op === 'lit' && (e.value === 0 || e.value === -1);
    case 'enum':
      return e.op === 'lit' && typeof e.value === 'string' && t.values.includes(e.value);
    case 'set':
      if (e.op === 'domain') {
        // 1..size holds blocks of that block set; lo..hi holds int(lo..hi).
        const d = e.domain;
        if (d.kind !== 'range') return false;
        if (t.of.kind === 'ptr') return d.lo === 1 && m.blockSets.find((b) => b.name === (t.of as { blocks: string }).blocks)?.size === d.hi;
        return t.of.kind === 'int' && JSON.stringify([d.lo, d.hi]) === JSON.stringify([t.of.lo, t.of.hi]);
      }
      if (e.op === 'setOf') return e.elems.every((x) => go(t.of, x, false));
      if (e.op === 'bin' && e.fn === 'union') return go(t, e.a, top) && go(t, e.b, top);
      if (e.op === 'bin' && (e.fn === 'minus' || e.fn === 'intersect')) return go(t, e.a, top);
      if (e.op === 'filter') return go(t, e.over, top);
      return false;
    case 'array':
      if (e.op === 'map') return go(t.of, e.body, false);
      if (e.op === 'except') return go(t, e.arr, top) && go(t.of, e.value, false);
      return false;
    default:
      return false;
  }
}

/** Counter for the names of the element variables of nested tests. */
let nested = 0;

/** The constants whose flags decide whether a written variable's own type `t` is enforced (the state-constraint exception). */
export function rangeFlags(t: Type): string[] {
  return t.kind === 'int' ? [...new Set([...boundConsts(t.lo), ...boundConsts(t.hi)])] : [];
}

/** A JavaScript test that value `v` is of type `t` (inType of src/engine/types.ts). */
export function typeTest(m: Model, t: Type, v: string, scope: Scope): string {
  const b = (x: Bound) => (typeof x === 'number' ? String(x) : typeof x === 'string' ? constId(x) : js(x, scope));
  switch (t.kind) {
    case 'bool':
      return `typeof ${v} === 'boolean'`;
    case 'int':
      return `${v} >= ${b(t.lo)} && ${v} <= ${b(t.hi)}`;
    case 'ptr': {
      const bs = m.blockSets.find((x) => x.name === t.blocks);
      const base = `${v} === NULL || ${v} === BUSY`;
      if (!bs) return base;
      const size = /^\d+$/.test(bs.size) ? bs.size : constId(bs.size);
      return `${base} || (${v} >= 1 && ${v} <= ${size})`;
    }
    case 'enum':
      return t.values.map((x) => `${v} === ${JSON.stringify(x)}`).join(' || ') || 'false';
    case 'proc': {
      // Process ids are numbered from 1 in the order of the process types.
      let lo = '1';
      for (const pt of m.procTypes) {
        const n = typeof pt.count === 'number' ? String(pt.count) : constId(pt.count);
        if (pt.name === t.procType) return `${v} >= ${lo} && ${v} < ${lo} + ${n}`;
        lo = `${lo} + ${n}`;
      }
      throw new Refusal(`a process type ${t.procType} that does not exist`);
    }
    case 'set': {
      const x = `e${(nested += 1)}`;
      return `typeof ${v} === 'object' && ${v} !== null && !Array.isArray(${v}) && ${v}.set.every((${x}: any) => ${typeTest(m, t.of, x, scope)})`;
    }
    case 'array': {
      if (t.index.kind !== 'range') throw new Refusal('an array over process ids written by a step');
      const x = `e${(nested += 1)}`;
      return `Array.isArray(${v}) && ${v}.length >= ${b(t.index.hi)} && ${v}.every((${x}: any) => ${typeTest(m, t.of, x, scope)})`;
    }
  }
}

/** Resets the element-variable counter (one module's text must not depend on what was emitted before). */
export function resetNames(): void {
  nested = 0;
}
