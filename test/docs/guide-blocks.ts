/**
 * The guide's checkable blocks: `<!-- file: PATH -->` before a code block (the block is that file,
 * verbatim) and `<!-- command: ARGS -->` before a text block (what `poolspec ARGS` prints, stdout and
 * stderr together, with timings normalised).
 */
export interface GuideBlock { kind: 'file' | 'command'; arg: string; body: string }

export function guideBlocks(md: string): GuideBlock[] {
  const out: GuideBlock[] = [];
  const re = /<!-- (file|command): (.+?) -->\n```[a-z]*\n([\s\S]*?)```/g;
  for (let m = re.exec(md); m; m = re.exec(md)) out.push({ kind: m[1] as 'file' | 'command', arg: m[2], body: m[3] });
  return out;
}

/** Seconds and rates vary from run to run; the table's padding follows them. */
export const normalise = (s: string) => s.replace(/\d+\.\d+/g, '#').replace(/\d+ ops\/s/g, '# ops/s').replace(/[ -]{2,}/g, ' ').trim();
