/** Text of a rejected trace: the event, why no order explains it, the states reached and what the spec allowed there. */
import type { Value } from '../../engine/value.ts';
import { isSet } from '../../engine/value.ts';
import type { Rejection } from './engine.ts';

const show = (v: Value): string => (isSet(v) ? `{${v.set.map(show).join(', ')}}` : Array.isArray(v) ? `<<${v.map(show).join(', ')}>>` : JSON.stringify(v));

export function renderRejection(r: Rejection): string {
  const args = Object.keys(r.args).length ? `(${Object.entries(r.args).map(([k, v]) => `${k}=${show(v)}`).join(', ')})` : '';
  const lines = [`  rejected at event ${r.event} (line ${r.line}): thread${r.thread} ${r.transition}${args} (${r.explained} events explained before it)`];
  for (const why of r.reasons) lines.push(`    ${why}`);
  r.states.forEach((s, i) => {
    lines.push(`    state ${i + 1} reached before it: ${Object.entries(s.state).map(([k, v]) => `${k} = ${show(v)}`).join(', ')}`);
    lines.push(`      the spec allowed thread${r.thread}: ${s.allowed.length ? s.allowed.join(', ') : 'nothing (blocked)'}`);
  });
  return lines.join('\n');
}
