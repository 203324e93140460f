/**
 * Values every backend can represent. TLC's integers and the runtime's shared words are 32-bit
 * signed; the engine's are not. A spec whose values could leave that range, or whose ranges are
 * empty, or whose initial values lie outside their own types, would make the three backends disagree
 * (one errors, one holds, one wraps around), so it is refused here, per configuration, at the line
 * that declares the value.
 */
import type { PoolspecError, SourcePos } from '../errors.ts';
import type { Bound, Config, Domain, Expr, Model, Type } from './ir.ts';
import { sourceKey } from './ir.ts';
import { showExpr } from './print.ts';
import { evaluate, procIds } from '../engine/eval.ts';
import { isSet, type Value } from '../engine/value.ts';

export const INT32_MIN = -(2 ** 31);
export const INT32_MAX = 2 ** 31 - 1;
const fits = (n: number) => Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX;

type Consts = Record<string, number | boolean>;
/** A bound as the spec wrote it: a literal, a constant, or a constant expression. */
const showBound = (b: Bound): string => (typeof b === 'object' ? showExpr(b) : String(b));

/** A bound's value in a configuration: a literal, a constant, or a constant expression (`K - 1`). */
const resolve = (b: Bound, consts: Consts): number | undefined => {
  if (typeof b === 'number') return b;
  if (typeof b === 'string') return typeof consts[b] === 'number' ? consts[b] as number : undefined;
  try {
    const v = evaluate(b, { model: EMPTY_MODEL, consts, state: {}, bound: new Map() });
    return typeof v === 'number' ? v : undefined;
  } catch {
    return undefined; // reported by the type checks of the bound expression itself
  }
};
const EMPTY_MODEL = { name: '', file: '', constants: [], blockSets: [], vars: [], pairs: [], procTypes: [], invariants: [], properties: [], configs: [], sources: {} } as Model;

export function validateValues(model: Model): PoolspecError[] {
  const errors: PoolspecError[] = [];
  const seen = new Set<string>();
  const err = (at: SourcePos | undefined, message: string) => {
    const key = `${at?.file}:${at?.line}:${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    errors.push({ code: 'SPEC_VALUE', message, at: at ?? model.sources[sourceKey.model()] ?? { file: model.file, line: 1 } });
  };

  for (const c of model.configs) {
    const cAt = model.sources[sourceKey.config(c.name)];
    const consts = c.constants;
    let constsOk = true;
    for (const k of model.constants) {
      const v = consts[k.name];
      if (typeof v === 'number' && !fits(v)) {
        constsOk = false;
        err(cAt, `configuration ${c.name}: constant ${k.name} = ${v} is not a 32-bit integer (TLC and the runtime's words hold ${INT32_MIN}..${INT32_MAX})`);
      }
    }
    if (!constsOk) continue;
    for (const pt of model.procTypes) {
      const n = resolve(pt.count, consts);
      if (n !== undefined && n < 0) { constsOk = false; err(model.sources[sourceKey.procType(pt.name)] ?? cAt, `configuration ${c.name}: process type ${pt.name} has ${n} processes; a count is at least 0`); }
    }
    for (const b of model.blockSets) {
      const n = resolve(b.size, consts);
      if (n !== undefined && (n < 0 || n > INT32_MAX - 1)) { constsOk = false; err(model.sources[`blocks:${b.name}`] ?? cAt, `configuration ${c.name}: block set ${b.name} has ${n} blocks; it needs 0..${INT32_MAX - 1} (block addresses are 32-bit words)`); }
    }
    if (!constsOk) continue;

    const typeErrors = (t: Type, what: string, at: SourcePos | undefined): boolean => {
      const before = errors.length;
      checkType(t, consts, c, (m) => err(at, `${what}: ${m}`));
      return errors.length === before;
    };
    for (const v of model.vars) {
      const at = model.sources[sourceKey.variable(v.name)];
      if (!typeErrors(v.type, `variable ${v.name}`, at)) continue;
      checkInit(model, c, v.init, v.type, undefined, (m) => err(at, `variable ${v.name}: ${m}`));
    }
    for (const pt of model.procTypes) {
      const self = procIds(model, consts, pt.name)[0];
      for (const l of pt.locals) {
        const at = model.sources[sourceKey.local(pt.name, l.name)];
        if (!typeErrors(l.type, `local ${l.name} of ${pt.name}`, at)) continue;
        if (self !== undefined) checkInit(model, c, l.init, l.type, self, (m) => err(at, `local ${l.name} of ${pt.name}: ${m}`));
      }
    }
    // Arithmetic that could leave 32 bits: TLC reports an overflow, the runtime wraps, the engine goes on.
    for (const pt of model.procTypes) {
      for (const t of pt.transitions) {
        const at = model.sources[sourceKey.transition(pt.name, t.name)];
        for (const a of t.effects) {
          const r = interval(a.value, model, consts, pt.name);
          if (r && (r[0] < INT32_MIN || r[1] > INT32_MAX)) {
            err(at, `configuration ${c.name}: transition ${t.name} assigns ${a.target.name} a value that can reach ${r[0] < INT32_MIN ? r[0] : r[1]}, beyond the 32-bit integers of TLC and the runtime`);
          }
        }
      }
    }
  }
  return errors;
}

function checkDomain(d: Domain, consts: Consts, c: Config, say: (m: string) => void): void {
  if (d.kind !== 'range') return;
  const lo = resolve(d.lo, consts);
  const hi = resolve(d.hi, consts);
  if (lo === undefined || hi === undefined) return;
  if (!fits(lo) || !fits(hi)) say(`in configuration ${c.name} the index range ${lo}..${hi} is not within 32-bit integers`);
}

function checkType(t: Type, consts: Consts, c: Config, say: (m: string) => void): void {
  if (t.kind === 'int') {
    const lo = resolve(t.lo, consts);
    const hi = resolve(t.hi, consts);
    if (lo === undefined || hi === undefined) return;
    if (!fits(lo) || !fits(hi)) say(`int(${showBound(t.lo)}, ${showBound(t.hi)}) is ${lo}..${hi} in configuration ${c.name}, beyond the 32-bit integers of TLC and the runtime (${INT32_MIN}..${INT32_MAX})`);
    else if (lo > hi) say(`int(${showBound(t.lo)}, ${showBound(t.hi)}) is the empty range ${lo}..${hi} in configuration ${c.name}`);
  } else if (t.kind === 'set') checkType(t.of, consts, c, say);
  else if (t.kind === 'array') {
    checkDomain(t.index, consts, c, say);
    checkType(t.of, consts, c, say);
  }
}

const show = (v: Value): string => (isSet(v) ? `{${v.set.map(show).join(', ')}}` : Array.isArray(v) ? `[${v.map(show).join(', ')}]` : JSON.stringify(v));

/** Why `v` is not a value of `t` (null when it is). */
function outside(model: Model, consts: Consts, t: Type, v: Value): string | null {
  switch (t.kind) {
    case 'bool': return typeof v === 'boolean' ? null : `${show(v)} is not a boolean`;
    case 'int': {
      const lo = resolve(t.lo, consts) ?? -Infinity;
      const hi = resolve(t.hi, consts) ?? Infinity;
      return typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi ? null : `${show(v)} is outside int(${showBound(t.lo)}, ${showBound(t.hi)}) = ${lo}..${hi}`;
    }
    case 'ptr': {
      const size = resolve(model.blockSets.find((b) => b.name === t.blocks)?.size ?? 0, consts) ?? 0;
      return typeof v === 'number' && Number.isInteger(v) && v >= -1 && v <= size ? null : `${show(v)} is not NULL, BUSY or a block of ${t.blocks} (1..${size})`;
    }
    case 'enum': return typeof v === 'string' && t.values.includes(v) ? null : `${show(v)} is not one of ${t.values.join(', ')}`;
    case 'proc': return typeof v === 'number' && procIds(model, consts, t.procType).includes(v) ? null : `${show(v)} is not a ${t.procType} id`;
    case 'set': {
      if (!isSet(v)) return `${show(v)} is not a set`;
      for (const x of v.set) { const w = outside(model, consts, t.of, x); if (w) return w; }
      return null;
    }
    case 'array': {
      if (!Array.isArray(v)) return `${show(v)} is not an array`;
      // An array over a later process type's ids has no entries below its first id (holes).
      for (const x of v) { if (x === undefined) continue; const w = outside(model, consts, t.of, x); if (w) return w; }
      return null;
    }
  }
}

function checkInit(model: Model, c: Config, init: Expr, t: Type, self: number | undefined, say: (m: string) => void): void {
  let v: Value;
  try {
    v = evaluate(init, { model, consts: c.constants, state: {}, self, bound: new Map() });
  } catch {
    return; // an initial value that does not evaluate is reported by the type checks and the backends
  }
  const why = outside(model, c.constants, t, v);
  if (why) say(`its initial value in configuration ${c.name} is outside its type: ${why}`);
}

type Interval = [number, number];

/** Bounds of an integer expression from literals, constants and declared types; null when unknown. */
function interval(e: Expr, model: Model, consts: Consts, procType: string): Interval | null {
  const ofType = (t: Type | undefined): Interval | null => {
    if (!t) return null;
    if (t.kind === 'array') return ofType(t.of);
    if (t.kind !== 'int') return null;
    const lo = resolve(t.lo, consts);
    const hi = resolve(t.hi, consts);
    return lo === undefined || hi === undefined ? null : [lo, hi];
  };
  switch (e.op) {
    case 'lit': return typeof e.value === 'number' ? [e.value, e.value] : null;
    case 'const': { const v = consts[e.name]; return typeof v === 'number' ? [v, v] : null; }
    case 'var': return ofType(model.vars.find((v) => v.name === e.name)?.type);
    case 'local': return ofType(model.procTypes.find((p) => p.name === procType)?.locals.find((l) => l.name === e.name)?.type
      ?? model.procTypes.flatMap((p) => p.locals).find((l) => l.name === e.name)?.type);
    case 'index': {
      const arr = e.arr;
      const base = arr.op === 'var' ? model.vars.find((v) => v.name === arr.name)?.type : undefined;
      return ofType(base);
    }
    case 'ite': {
      const a = interval(e.then, model, consts, procType);
      const b = interval(e.else, model, consts, procType);
      return a && b ? [Math.min(a[0], b[0]), Math.max(a[1], b[1])] : null;
    }
    case 'bin': {
      if (e.fn !== 'add' && e.fn !== 'sub' && e.fn !== 'mul' && e.fn !== 'div') return null;
      const a = interval(e.a, model, consts, procType);
      const b = interval(e.b, model, consts, procType);
      if (!a || !b) return null;
      if (e.fn === 'add') return [a[0] + b[0], a[1] + b[1]];
      if (e.fn === 'sub') return [a[0] - b[1], a[1] - b[0]];
      // A product or a quotient is extreme at the ends of its operands' ranges (and, dividing, at
      // the divisors ±1 when the range holds them: MIN \div -1 is the one quotient beyond 32 bits).
      const divisors = e.fn === 'mul' ? b : [b[0], b[1], -1, 1].filter((d) => d !== 0 && d >= b[0] && d <= b[1]);
      const values = a.flatMap((x) => divisors.map((d) => (e.fn === 'mul' ? x * d : Math.floor(x / d))));
      return values.length ? [Math.min(...values), Math.max(...values)] : null;
    }
    default: return null;
  }
}
