/**
 * Generated modules carry `\* spec/File.ts:N` comments above each definition; a line of the generated
 * file maps to the spec line of the nearest such comment above it.
 */
const MARK = /^\s*\\\* ((?:spec|test)\/[^\s:]+\.ts:\d+)/;

export function specLineFor(moduleText: string, line: number): string | null {
  const lines = moduleText.split('\n');
  for (let i = Math.min(line, lines.length) - 1; i >= 0; i -= 1) {
    const m = MARK.exec(lines[i]);
    if (m) return m[1];
    if (i < line - 1 && /^\S.*==/.test(lines[i]) && !/^\s/.test(lines[i + 1] ?? 'x')) break;
  }
  return null;
}
