/** Checks on terminal labels (`t.done()`): `Done` is only the terminal label, and nothing leaves it. */
import type { PoolspecError } from '../errors.ts';
import type { Model } from './ir.ts';
import { DONE_LABEL, sourceKey } from './ir.ts';

export function checkTerminalLabels(model: Model): PoolspecError[] {
  const errors: PoolspecError[] = [];
  for (const pt of model.procTypes) {
    for (const l of pt.labels) {
      const at = model.sources[sourceKey.label(pt.name, l.name)];
      if (l.name === DONE_LABEL && !l.terminal) {
        errors.push({ code: 'SPEC_SHAPE', at, message: `label ${DONE_LABEL} of ${pt.name} is the terminal label: declare it with t.done() (and go there with \`to: t.done()\`)` });
      }
    }
    for (const t of pt.transitions) {
      if (pt.labels.some((l) => l.terminal && l.name === t.from)) {
        errors.push({ code: 'SPEC_SHAPE', at: model.sources[sourceKey.transition(pt.name, t.name)], message: `transition ${pt.name}.${t.name} leaves the terminal label ${t.from}: a finished process takes no step` });
      }
    }
  }
  return errors;
}
