/**
 * TLC prints the elements of a symmetric set as model values (`b2`, `t1`): turn them back into the
 * engine's numbers before a trace is read, so functions over them become arrays again.
 */
import type { TlaValue } from '../tlc/index.ts';

export function numberModelValues(v: TlaValue, numbers: Map<string, number>): TlaValue {
  if (numbers.size === 0 || typeof v !== 'object') return v;
  const go = (x: TlaValue) => numberModelValues(x, numbers);
  if ('modelValue' in v) return numbers.get(v.modelValue) ?? v;
  if ('seq' in v) return { seq: v.seq.map(go) };
  if ('set' in v) return { set: v.set.map(go) };
  if ('fn' in v) return { fn: v.fn.map(([k, x]) => [go(k), go(x)] as [TlaValue, TlaValue]) };
  if ('record' in v) return { record: Object.fromEntries(Object.entries(v.record).map(([k, x]) => [k, go(x)])) };
  return v;
}
