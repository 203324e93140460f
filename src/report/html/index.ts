/** The HTML report: `renderReport` builds the page; `writeReport` writes it, or says why it could not. */
import fs from 'node:fs';
import { fail, ok, type Result } from '../../errors.ts';
import { EvalError } from '../../engine/eval.ts';
import { renderReport, type ReportInput } from './page.ts';

export { renderReport, type ReportInput, type ReportResult } from './page.ts';
export { readTraceDoc, attach } from './read-trace.ts';

export function writeReport(file: string, input: ReportInput): Result<number> {
  let text: string;
  try {
    text = renderReport(input);
  } catch (err) {
    // A trace whose values do not fit the spec's declarations (another version, other constants).
    if (err instanceof EvalError) return fail({ code: 'USAGE', message: `the trace does not fit the spec: ${err.message}` });
    throw err;
  }
  try {
    fs.writeFileSync(file, text);
  } catch (err) {
    return fail({ code: 'USAGE', message: `cannot write ${file}: ${(err as Error).message}` });
  }
  return ok(text.length);
}
