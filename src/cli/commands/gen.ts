/** `poolspec gen [--check]`: emit generated/ from spec/, or fail when generated/ is stale. */
import path from 'node:path';
import { formatError } from '../../errors.ts';
import { generateAll } from '../../codegen/generate.ts';
import { GENERATED_DIR, compareDir, writeDir } from '../../codegen/output-dir.ts';
import { EXIT, type Command } from '../command.ts';
import { loadModels } from '../load-models.ts';
import { parseCommand } from '../args.ts';
import { locateJar } from '../../tlc/index.ts';

const usage = 'usage: poolspec gen [SPEC...] [--check] [--out DIR]';

const command: Command = {
  name: 'gen',
  summary: 'emit the TLA+ and PlusCal models of the specs into generated/ (--check: fail when stale)',
  usage,
  async run(argv) {
    const args = parseCommand('gen', usage, argv, { check: { type: 'boolean' }, out: { type: 'string' } });
    if (typeof args === 'number') return args;
    const models = await loadModels(args.positionals, { warnings: !args.values.check });
    if (!models) return EXIT.ERROR;
    const jar = await locateJar();
    if (!jar.ok) {
      for (const e of jar.errors) console.error(`poolspec gen: ${formatError(e)}`);
      return EXIT.ERROR;
    }
    const files = new Map<string, string>();
    for (const m of models) {
      const r = await generateAll(m, jar.value.path);
      if (!r.ok) {
        for (const e of r.errors) console.error(formatError(e));
        return EXIT.ERROR;
      }
      for (const [k, v] of r.value) files.set(k, v);
    }
    const dir = args.values.out ? path.resolve(args.values.out) : GENERATED_DIR;
    const rel = path.relative(process.cwd(), dir) || '.';
    if (args.values.check) {
      const drift = compareDir(dir, files, { complete: args.positionals.length === 0 });
      if (drift.length === 0) {
        console.log(`${rel}/ is up to date (${files.size} files)`);
        return EXIT.OK;
      }
      for (const d of drift) console.error(`${rel}/${d.file}: ${d.problem === 'extra' ? 'not produced by any spec' : d.problem === 'missing' ? 'missing' : 'differs from what the spec generates'}`);
      console.error(`GEN_STALE: ${rel}/ is stale; run \`npm run gen\` and commit the result`);
      return EXIT.MISMATCH;
    }
    const written = writeDir(dir, files);
    console.log(`${rel}/: ${files.size} files, ${written.length} written${written.length ? `: ${written.join(', ')}` : ''}`);
    return EXIT.OK;
  },
};
export default command;
