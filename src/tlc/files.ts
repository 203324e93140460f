/** Small file-system checks and output trimming shared by the tool runners. */
import { stat } from 'node:fs/promises';

const statIs = (p: string, test: (s: Awaited<ReturnType<typeof stat>>) => boolean): Promise<boolean> =>
  stat(p).then(test, () => false);

export const exists = (p: string) => statIs(p, () => true);
export const isFile = (p: string) => statIs(p, (s) => s.isFile());
export const isDirectory = (p: string) => statIs(p, (s) => s.isDirectory());

/** The last lines of a tool's output, for an error's detail. */
export function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
