/** Printing IR expressions as TLA+. Shared by the TLA+ and PlusCal emitters. */
import type { Bound, Domain, Expr, Model } from '../dsl/ir.ts';

/** How locals are addressed: inside an action of process `self`, or as `x[p]` in a property. */
export interface PrintCtx {
  model: Model;
  /** The TLA+ expression for "the acting process" (`self`), absent in properties. */
  self?: string;
}

const BIN: Record<string, string> = {
  and: '/\\', or: '\\/', implies: '=>', eq: '=', ne: '#', lt: '<', le: '<=', gt: '>', ge: '>=',
  add: '+', sub: '-', mul: '*', div: '\\div', mod: '%', in: '\\in', notin: '\\notin', union: '\\cup', minus: '\\', intersect: '\\cap',
  subseteq: '\\subseteq',
};

/** The set of process ids of a process type, as named in the generated module. */
export function idsName(procType: string): string {
  return procType.endsWith('s') ? `${procType}Set` : `${procType}s`;
}

export function tlaDomain(model: Model, d: Domain): string {
  if (d.kind === 'procs') return idsName(d.procType);
  const bs = model.blockSets.find((b) => d.lo === 1 && b.size === d.hi);
  return bs ? bs.name : `${tlaBound(model, d.lo)}..${tlaBound(model, d.hi)}`;
}

/** A range bound: a literal or constant as is, a constant expression parenthesised. */
export function tlaBound(model: Model, b: Bound): string {
  return typeof b === 'object' ? tlaExpr(b, { model }) : String(b);
}

export function tlaLiteral(value: number | boolean | string, kind?: string): string {
  if (kind === 'ptr') return value === 0 ? 'NULL' : value === -1 ? 'BUSY' : String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'string') return JSON.stringify(value);
  return value < 0 ? `(${value})` : String(value);
}

export function tlaExpr(e: Expr, ctx: PrintCtx): string {
  const p = (x: Expr) => tlaExpr(x, ctx);
  switch (e.op) {
    case 'lit': return tlaLiteral(e.value, e.type.kind);
    case 'const': case 'var': case 'bound': return e.name;
    case 'local': return `${e.name}[${e.proc ? p(e.proc) : ctx.self ?? 'self'}]`;
    case 'pc': return `pc[${p(e.proc)}]`;
    case 'self': return ctx.self ?? 'self';
    case 'not': return `~${wrap(e.arg, ctx)}`;
    case 'bin': return `(${p(e.a)} ${BIN[e.fn]} ${p(e.b)})`;
    case 'ite': return `(IF ${p(e.cond)} THEN ${p(e.then)} ELSE ${p(e.else)})`;
    case 'index': return `${wrap(e.arr, ctx)}[${p(e.idx)}]`;
    case 'except': return `[${p(e.arr)} EXCEPT ![${p(e.idx)}] = ${p(e.value)}]`;
    case 'setOf': return `{${e.elems.map(p).join(', ')}}`;
    case 'card': return `Cardinality(${p(e.arg)})`;
    case 'domain': return tlaDomain(ctx.model, e.domain);
    case 'quant': return `(${e.q === 'forall' ? '\\A' : '\\E'} ${e.v} \\in ${p(e.over)} : ${p(e.body)})`;
    case 'filter': return `{${e.v} \\in ${p(e.over)} : ${p(e.cond)}}`;
    case 'map': return `[${e.v} \\in ${tlaDomain(ctx.model, e.domain)} |-> ${p(e.body)}]`;
    case 'listNodes': return `ListNodes(${p(e.start)}, ${p(e.link)}, ${e.blocks})`;
    case 'listAcyclic': return `ListAcyclic(${p(e.start)}, ${p(e.link)}, ${e.blocks})`;
  }
}

/** Parenthesise compound operands of prefix/postfix operators. */
function wrap(e: Expr, ctx: PrintCtx): string {
  const s = tlaExpr(e, ctx);
  const atomic = ['lit', 'const', 'var', 'bound', 'local', 'pc', 'self', 'index', 'bin', 'quant', 'ite'].includes(e.op);
  return atomic ? s : `(${s})`;
}

/** Split a top-level conjunction into its conjuncts, for readable `/\` lists. */
export function conjuncts(e: Expr): Expr[] {
  if (e.op === 'bin' && e.fn === 'and') return [...conjuncts(e.a), ...conjuncts(e.b)];
  if (e.op === 'lit' && e.value === true) return [];
  return [e];
}
