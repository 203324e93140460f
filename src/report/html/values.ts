/**
 * State values as markup with the changes of the step marked: inside arrays element by element, inside
 * sets element by element (added marked, removed struck through), old values in the tooltip.
 */
import type { Model, Type } from '../../dsl/ir.ts';
import { equal, isSet, type State, type Value } from '../../engine/value.ts';
import { procName, renderValue, stateTypes } from '../render.ts';
import { threadClass } from './svg.ts';
import { html, type Html } from './template.ts';

function indexName(model: Model, type: Type, i: number): string {
  if (type.kind !== 'array') return String(i);
  const d = type.index;
  if (d.kind === 'procs') return procName(model, i);
  if (d.lo === 1 && model.blockSets.some((b) => b.size === d.hi)) return `b${i}`;
  return String(i);
}

/** `cur` with what changed since `prev` marked (prev undefined: the initial state, nothing marked). */
export function valueHtml(model: Model, type: Type | undefined, cur: Value, prev: Value | undefined): Html {
  const changed = prev !== undefined && !equal(cur, prev);
  if (isSet(cur) && (prev === undefined || isSet(prev))) {
    const of = type?.kind === 'set' ? type.of : undefined;
    const had = (x: Value) => prev === undefined || (prev as { set: Value[] }).set.some((y) => equal(x, y));
    const removed = prev === undefined ? [] : (prev as { set: Value[] }).set.filter((y) => !cur.set.some((x) => equal(x, y)));
    const items = [
      ...cur.set.map((x) => html`<span class="${had(x) ? 'el' : 'el add'}">${renderValue(model, of, x)}</span>`),
      ...removed.map((x) => html`<del class="el">${renderValue(model, of, x)}</del>`),
    ];
    return html`<span class="${changed ? 'set chg' : 'set'}">{${items}}</span>`;
  }
  if (Array.isArray(cur) && (prev === undefined || Array.isArray(prev))) {
    const of = type?.kind === 'array' ? type.of : undefined;
    const items = cur.map((x, i) => {
      const p = prev === undefined ? undefined : (prev as Value[])[i];
      const elChanged = p !== undefined && !equal(x, p);
      const label = type ? indexName(model, type, i + 1) : String(i + 1);
      return html`<span class="${elChanged ? 'el chg' : 'el'}"${elChanged ? html` title="was ${renderValue(model, of, p!)}"` : ''}><i>${label}</i>${valueHtml(model, of, x, p)}</span>`;
    });
    return html`<span class="arr">${items}</span>`;
  }
  const text = renderValue(model, type, cur);
  return changed ? html`<mark title="was ${renderValue(model, type, prev!)}">${text}</mark>` : html`<span>${text}</span>`;
}

/** Shared and ghost variables, one row each. */
export function sharedTable(model: Model, state: State, prev: State | undefined): Html {
  const rows = model.vars.map((v) => {
    const changed = prev !== undefined && !equal(state[v.name], prev[v.name]);
    return html`<tr class="${changed ? 'chg' : ''}"><th title="${v.doc ?? ''}">${v.name}${v.role === 'ghost' ? html`<small> ghost</small>` : ''}</th><td>${valueHtml(model, v.type, state[v.name], prev?.[v.name])}</td></tr>`;
  });
  return html`<table class="vars">${rows}</table>`;
}

/** pc and the locals: one row per local, one column per process. */
export function localsTable(model: Model, procs: number[], state: State, prev: State | undefined, actor: number | null): Html {
  const names = [...stateTypes(model)].filter(([, x]) => x.local);
  const head = procs.map((p) => html`<th class="${p === actor ? `${threadClass(p)} actor` : threadClass(p)}">${procName(model, p)}</th>`);
  const rows = names.map(([name, { type }]) => {
    const cells = procs.map((p) => {
      const cur = (state[name] as Value[])[p - 1];
      const old = prev ? (prev[name] as Value[])[p - 1] : undefined;
      const changed = old !== undefined && !equal(cur, old);
      return html`<td class="${changed ? 'chg' : ''}">${valueHtml(model, name === 'pc' ? undefined : type, cur, old)}</td>`;
    });
    return html`<tr><th>${name}</th>${cells}</tr>`;
  });
  return html`<table class="vars locals"><tr><th></th>${head}</tr>${rows}</table>`;
}
