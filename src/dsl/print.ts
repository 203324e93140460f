/** A compact, TypeScript-like rendering of expressions and types for error messages and traces. */
import type { Bound, Domain, Expr, Type } from './ir.ts';

const BIN: Record<string, string> = {
  and: '&&', or: '||', implies: '=>', eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=',
  add: '+', sub: '-', mul: '*', div: 'div', mod: '%', in: 'in', notin: 'notin', union: '∪', minus: '\\', intersect: '∩', subseteq: '⊆',
};

export function showBound(b: Bound): string {
  return typeof b === 'object' ? showExpr(b) : String(b);
}

export function showDomain(d: Domain): string {
  return d.kind === 'procs' ? d.procType : `${showBound(d.lo)}..${showBound(d.hi)}`;
}

export function showType(t: Type): string {
  switch (t.kind) {
    case 'bool': return 'bool';
    case 'int': return `int(${showBound(t.lo)}..${showBound(t.hi)})`;
    case 'ptr': return `ptr(${t.blocks || 'blocks'})`;
    case 'enum': return t.values.map((v) => JSON.stringify(v)).join('|');
    case 'proc': return `proc(${t.procType})`;
    case 'set': return `set<${showType(t.of)}>`;
    case 'array': return `array<${showDomain(t.index)}, ${showType(t.of)}>`;
  }
}

export function showExpr(e: Expr): string {
  switch (e.op) {
    case 'lit':
      if (e.type.kind === 'ptr') return e.value === 0 ? 'NULL' : 'BUSY';
      return typeof e.value === 'string' ? JSON.stringify(e.value) : String(e.value);
    case 'const': case 'var': return e.name;
    case 'local': return e.proc ? `${e.name}.of(${showExpr(e.proc)})` : e.name;
    case 'pc': return `pc(${showExpr(e.proc)})`;
    case 'self': return 'self';
    case 'bound': return e.name;
    case 'not': return `!${showExpr(e.arg)}`;
    case 'bin': return `(${showExpr(e.a)} ${BIN[e.fn]} ${showExpr(e.b)})`;
    case 'ite': return `(${showExpr(e.cond)} ? ${showExpr(e.then)} : ${showExpr(e.else)})`;
    case 'index': return `${showExpr(e.arr)}[${showExpr(e.idx)}]`;
    case 'except': return `${showExpr(e.arr)}.with(${showExpr(e.idx)}, ${showExpr(e.value)})`;
    case 'setOf': return `{${e.elems.map(showExpr).join(', ')}}`;
    case 'card': return `|${showExpr(e.arg)}|`;
    case 'domain': return showDomain(e.domain);
    case 'quant': return `${e.q} ${e.v} in ${showExpr(e.over)}: ${showExpr(e.body)}`;
    case 'filter': return `{${e.v} in ${showExpr(e.over)} : ${showExpr(e.cond)}}`;
    case 'map': return `[${e.v} in ${showDomain(e.domain)} -> ${showExpr(e.body)}]`;
    case 'listNodes': return `listNodes(${showExpr(e.start)}, ${showExpr(e.link)})`;
    case 'listAcyclic': return `listAcyclic(${showExpr(e.start)}, ${showExpr(e.link)})`;
  }
}

/** Calls `f` on every sub-expression, parents first. */
export function walkExpr(e: Expr, f: (x: Expr, parent?: Expr) => void, parent?: Expr): void {
  f(e, parent);
  const kids: Expr[] = [];
  switch (e.op) {
    case 'local': if (e.proc) kids.push(e.proc); break;
    case 'pc': kids.push(e.proc); break;
    case 'not': kids.push(e.arg); break;
    case 'bin': kids.push(e.a, e.b); break;
    case 'ite': kids.push(e.cond, e.then, e.else); break;
    case 'index': kids.push(e.arr, e.idx); break;
    case 'except': kids.push(e.arr, e.idx, e.value); break;
    case 'setOf': kids.push(...e.elems); break;
    case 'card': kids.push(e.arg); break;
    case 'quant': kids.push(e.over, e.body); break;
    case 'filter': kids.push(e.over, e.cond); break;
    case 'map': kids.push(e.body); break;
    case 'listNodes': case 'listAcyclic': kids.push(e.start, e.link); break;
    default: break;
  }
  for (const k of kids) walkExpr(k, f, e);
}

/** Whether some sub-expression of `e` satisfies `pred`. */
export function someExpr(e: Expr, pred: (x: Expr) => boolean): boolean {
  let found = false;
  walkExpr(e, (x) => { if (!found && pred(x)) found = true; });
  return found;
}

/** The state variables (shared, ghost, locals, and `pc`) the expressions read. */
export function readsOf(...es: (Expr | undefined)[]): Set<string> {
  const out = new Set<string>();
  for (const e of es) {
    if (!e) continue;
    walkExpr(e, (x) => {
      if (x.op === 'var' || x.op === 'local') out.add(x.name);
      else if (x.op === 'pc') out.add('pc');
    });
  }
  return out;
}
