import fs from 'node:fs';
import { execaNode } from 'execa';
import { describe, expect, it } from 'vitest';
import { guideBlocks, normalise } from './guide-blocks.ts';

const md = fs.readFileSync('docs/writing-a-spec.md', 'utf8');
const blocks = guideBlocks(md);

describe('docs/writing-a-spec.md', () => {
  it('has files and commands to check', () => {
    expect(blocks.filter((b) => b.kind === 'file').length).toBeGreaterThanOrEqual(2);
    expect(blocks.filter((b) => b.kind === 'command').length).toBeGreaterThanOrEqual(3);
    // The steps the guide promises: a counterexample and its fix (check), proof obligations (prove),
    // and runs on real threads (run, stress).
    expect([...new Set(blocks.filter((b) => b.kind === 'command').map((b) => b.arg.split(' ')[0]))]).toEqual(['check', 'prove', 'run', 'stress']);
  });
  for (const b of blocks.filter((x) => x.kind === 'file')) {
    it(`shows ${b.arg} verbatim`, () => {
      expect(b.body).toBe(fs.readFileSync(b.arg, 'utf8'));
    });
  }
  for (const b of blocks.filter((x) => x.kind === 'command')) {
    it(`shows what poolspec ${b.arg} prints`, async () => {
      const r = await execaNode('bin/poolspec.js', b.arg.split(' '), { all: true, reject: false });
      expect(r.exitCode).toBe(0);
      expect(normalise(r.all ?? '')).toBe(normalise(b.body));
    }, 60_000);
  }
});
