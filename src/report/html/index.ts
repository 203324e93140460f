/** The HTML report: `renderReport` builds the page; `writeReport` writes it, or says why it could not. */
import fs from 'node:fs';
import { fail, ok, type Result } from '../../errors.ts';
import { renderReport, type ReportInput } from './page.ts';

export { renderReport, type ReportInput, type ReportResult } from './page.ts';
export { readTraceDoc, attach } from './read-trace.ts';

export function writeReport(file: string, input: ReportInput): Result<number> {
  const text = renderReport(input);
  try {
    fs.writeFileSync(file, text);
  } catch (err) {
    return fail({ code: 'USAGE', message: `cannot write ${file}: ${(err as Error).message}` });
  }
  return ok(text.length);
}
