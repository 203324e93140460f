/** `poolspec gen [--check]`: emit generated/ from spec/, or fail when generated/ is stale. */
import path from 'node:path';
import { generateAll } from '../../codegen/generate.ts';
import { GENERATED_DIR, compareDir, writeDir, writesGenerated } from '../../codegen/output-dir.ts';
import { EXIT, type Command } from '../command.ts';
import { loadModels } from '../load-models.ts';
import { parseCommand, seconds } from '../args.ts';
import fs from 'node:fs';
import { report, reportUsage } from '../report.ts';
import { setLoadTimeout } from '../load-models.ts';
import { setToolTimeout } from '../../tlc/java.ts';
import { locateJar } from '../../tlc/index.ts';

const usage = 'usage: poolspec gen [SPEC...] [--check] [--out DIR] [--timeout SECONDS]';

const command: Command = {
  name: 'gen',
  summary: 'emit the TLA+ and PlusCal models of the specs into generated/ (--check: fail when stale)',
  usage,
  async run(argv) {
    const args = parseCommand('gen', usage, argv, { check: { type: 'boolean' }, out: { type: 'string' }, timeout: { type: 'string' } });
    if (typeof args === 'number') return args;
    const timeout = seconds(args.values.timeout, 1800, '--timeout');
    if (typeof timeout === 'string') return reportUsage(timeout);
    if (args.values.out === '') return reportUsage('--out needs a folder');
    const dir = args.values.out ? path.resolve(args.values.out) : GENERATED_DIR;
    if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) return report({ code: 'OUTPUT_ERROR', message: `${args.values.out ?? dir} is not a folder` });
    setLoadTimeout(timeout);
    setToolTimeout(timeout);
    const models = await loadModels(args.positionals, { againstProject: !args.values.out, warnings: !args.values.check });
    if (!models) return EXIT.ERROR;
    const jar = await locateJar();
    if (!jar.ok) return report(...jar.errors);
    const files = new Map<string, string>();
    // generated/ mirrors spec/*.ts only: other specs are written only where --out says.
    const outside = args.values.out ? [] : models.filter((m) => !writesGenerated(m));
    if (outside.length) {
      console.error(`poolspec gen: ${outside.map((m) => m.file).join(', ')} ${outside.length === 1 ? 'is' : 'are'} not in spec/: generated/ holds only spec/*.ts; give --out DIR`);
      return EXIT.ERROR;
    }
    for (const m of models) {
      const r = await generateAll(m, jar.value.path);
      if (!r.ok) return report(...r.errors);
      for (const [k, v] of r.value) files.set(k, v);
    }
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
    let written: string[];
    try {
      written = writeDir(dir, files);
    } catch (err) {
      return report({ code: 'OUTPUT_ERROR', message: `cannot write ${rel}/: ${(err as Error).message.split('\n')[0]}` });
    }
    console.log(`${rel}/: ${files.size} files, ${written.length} written${written.length ? `: ${written.join(', ')}` : ''}`);
    return EXIT.OK;
  },
};
export default command;
