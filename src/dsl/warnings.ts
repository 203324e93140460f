/**
 * Validation warnings: things a valid model may contain but that are almost always a slip in the spec.
 * Printed (on stderr, `file:line: WARN_CODE: message`), never fatal.
 * - WARN_UNREACHABLE_LABEL: no path of transitions leads from the initial label to this label
 *   (guards ignored, so a warning means the label is dead in every configuration).
 * - WARN_DEAD_TRANSITION: the transition's guard has a conjunct over constants only that is false in
 *   every configuration of the model.
 */
import { formatPos, type SourcePos } from '../errors.ts';
import { sourceKey, type Expr, type Model } from './ir.ts';

export type WarningCode = 'WARN_UNREACHABLE_LABEL' | 'WARN_DEAD_TRANSITION';

export interface PoolspecWarning {
  code: WarningCode;
  message: string;
  at?: SourcePos;
}

export function formatWarning(w: PoolspecWarning): string {
  return `${w.at ? `${formatPos(w.at)}: ` : ''}${w.code}: ${w.message}`;
}

export function warningsOf(model: Model): PoolspecWarning[] {
  const out: PoolspecWarning[] = [];
  for (const pt of model.procTypes) {
    const seen = new Set<string>([pt.initial]);
    const todo = [pt.initial];
    while (todo.length) {
      const l = todo.pop()!;
      for (const t of pt.transitions) {
        if (t.from === l && !seen.has(t.to)) {
          seen.add(t.to);
          todo.push(t.to);
        }
      }
    }
    for (const l of pt.labels) {
      if (seen.has(l.name)) continue;
      out.push({
        code: 'WARN_UNREACHABLE_LABEL', at: model.sources[sourceKey.label(pt.name, l.name)],
        message: `label ${l.name} of ${pt.name} is not reached by any transition from ${pt.initial}`,
      });
    }
    if (model.configs.length === 0) continue;
    for (const t of pt.transitions) {
      const dead = conjuncts(t.guard).find((g) => model.configs.every((c) => evalConst(g, c.constants) === false));
      if (!dead) continue;
      out.push({
        code: 'WARN_DEAD_TRANSITION', at: model.sources[sourceKey.transition(pt.name, t.name)],
        message: `transition ${pt.name}.${t.name} can never be taken: its guard is false in every configuration (${model.configs.map((c) => c.name).join(', ')})`,
      });
    }
  }
  return out;
}

function conjuncts(e: Expr): Expr[] {
  return e.op === 'bin' && e.fn === 'and' ? [...conjuncts(e.a), ...conjuncts(e.b)] : [e];
}

/** The value of an expression over literals and constants only; undefined when it reads anything else. */
function evalConst(e: Expr, k: Record<string, number | boolean>): number | boolean | undefined {
  switch (e.op) {
    case 'lit': return typeof e.value === 'string' ? undefined : e.value;
    case 'const': return k[e.name];
    case 'not': {
      const a = evalConst(e.arg, k);
      return typeof a === 'boolean' ? !a : undefined;
    }
    case 'ite': {
      const c = evalConst(e.cond, k);
      return c === undefined ? undefined : evalConst(c ? e.then : e.else, k);
    }
    case 'bin': {
      const a = evalConst(e.a, k);
      const b = evalConst(e.b, k);
      // A short-circuit decides without the other side.
      if (e.fn === 'and' && (a === false || b === false)) return false;
      if (e.fn === 'or' && (a === true || b === true)) return true;
      if (a === undefined || b === undefined) return undefined;
      switch (e.fn) {
        case 'and': return Boolean(a) && Boolean(b);
        case 'or': return Boolean(a) || Boolean(b);
        case 'implies': return !a || Boolean(b);
        case 'eq': return a === b;
        case 'ne': return a !== b;
        case 'lt': return a < b;
        case 'le': return a <= b;
        case 'gt': return a > b;
        case 'ge': return a >= b;
        case 'add': return Number(a) + Number(b);
        case 'sub': return Number(a) - Number(b);
        default: return undefined;
      }
    }
    default: return undefined;
  }
}
