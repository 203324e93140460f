/**
 * `poolspec prove SPEC`: discharges the spec's inductive invariant with Z3 for fixed constants
 * (init, every step, each safety property), prints each obligation and a counterexample to
 * induction for a failed step; `--write` also records the evidence in proofs/.
 * Exit codes: 0 every obligation proved, 1 some failed or unknown, 2 usage or tool error.
 */
import { formatError } from '../../errors.ts';
import { count, oneSpec, parseCommand, usageError as usageErr } from '../args.ts';
import { loadModels } from '../load-models.ts';
import type { Model } from '../../dsl/ir.ts';
import { EXIT, type Command } from '../command.ts';
import { parseSizes, prove, proveConfig } from '../../prove/prove.ts';
import { formatProve, obligationLine } from '../../prove/format.ts';
import { z3Version } from '../../prove/z3.ts';
import { proveJson } from '../../prove/json.ts';

const usage = `usage: poolspec prove SPEC [--config NAME] [--sizes T=..,N=..] [--timeout SECONDS] [--parallel N] [--json] [--write]
       poolspec prove --write               every spec's record in proofs/ (Z3 and the TLC checks)
       poolspec prove --check [SPEC...]     the records in proofs/ are up to date and still hold (npm run proofs:check)`;
const usageError = (message: string) => usageErr('prove', usage, message);

const command: Command = {
  name: 'prove',
  summary: 'discharge the inductive invariant with Z3 for fixed constants (init, every step, each property)',
  usage,
  async run(argv) {
    const args = parseCommand('prove', usage, argv, {
      config: { type: 'string' }, sizes: { type: 'string' }, timeout: { type: 'string' }, parallel: { type: 'string' },
      json: { type: 'boolean' }, write: { type: 'boolean' }, check: { type: 'boolean' },
    });
    if (typeof args === 'number') return args;
    const { values, positionals } = args;
    const timeout = count(values.timeout, 60, '--timeout');
    const parallel = count(values.parallel, 2, '--parallel');
    if (typeof timeout === 'string') return usageError(timeout);
    if (typeof parallel === 'string') return usageError(parallel);
    if (values.check) return checkMode(positionals, timeout, parallel);
    if (values.write && positionals.length === 0) {
      // Every spec that declares an inductive invariant: the records the lead regenerates after a change.
      const models = await loadModels([]);
      if (!models) return EXIT.ERROR;
      let worst: number = EXIT.OK;
      for (const m of models.filter((x) => x.inductive?.length)) {
        const code = await proveOne(m, values, timeout, parallel);
        const expectFail = m.inductive![0].expect === 'fails';
        const bad = code === EXIT.ERROR ? EXIT.ERROR : (code === EXIT.OK) === expectFail ? EXIT.MISMATCH : EXIT.OK;
        worst = Math.max(worst, bad);
      }
      return worst;
    }
    if (positionals.length !== 1) return usageError(positionals.length ? `one spec at a time, got ${positionals.join(' ')}` : 'name a spec');
    const spec = await oneSpec('prove', usage, positionals, undefined);
    if (typeof spec === 'number') return spec;
    return proveOne(spec.model, values, timeout, parallel);
  },
};

type Values = { config?: string; sizes?: string; json?: boolean; write?: boolean };

async function proveOne(model: Model, values: Values, timeout: number, parallel: number): Promise<number> {
  const pick = proveConfig(model, values.config);
  if (!pick.ok) {
    console.error(`poolspec prove: ${formatError(pick.errors[0])}`);
    return EXIT.ERROR;
  }
  const sizes = parseSizes(values.sizes, model);
  if (!sizes.ok) return usageError(sizes.errors[0].message);
  const z3 = await z3Version();
  if (!z3.ok) {
    console.error(`poolspec prove: ${formatError(z3.errors[0])}`);
    return EXIT.ERROR;
  }
  if (!values.json) process.stderr.write(`proving ${model.name} ${pick.value.config.name} with ${z3.value}...\n`);
  const r = await prove(model, pick.value.config, pick.value.inductive, sizes.value, {
    timeoutSeconds: timeout, parallel,
    onDone: values.json ? undefined : (o) => process.stderr.write(`${obligationLine(o)}\n`),
  });
  if (!r.ok) {
    console.error(`poolspec prove: ${formatError(r.errors[0])}`);
    return EXIT.ERROR;
  }
  if (values.write) {
    const { writeRecord } = await import('../../prove/record.ts');
    const w = await writeRecord(model, r.value, z3.value, { log: values.json ? undefined : (s) => process.stderr.write(`${s}\n`) });
    if (!w.ok) {
      console.error(`poolspec prove: ${formatError(w.errors[0])}`);
      return EXIT.ERROR;
    }
    if (!values.json) process.stderr.write(`wrote ${w.value.join(', ')}\n`);
  }
  if (values.json) console.log(JSON.stringify({ tool: { z3: z3.value }, ...proveJson(model, r.value) }, null, 2));
  else console.log(formatProve(model, r.value, z3.value));
  if (r.value.obligations.some((o) => o.result === 'error')) return EXIT.ERROR;
  return r.value.proved ? EXIT.OK : EXIT.MISMATCH;
}

async function checkMode(names: string[], timeout: number, parallel: number): Promise<number> {
  const z3 = await z3Version();
  if (!z3.ok) {
    console.error(`poolspec prove: ${formatError(z3.errors[0])}`);
    return EXIT.ERROR;
  }
  const { checkRecords } = await import('../../prove/check-records.ts');
  const results = await checkRecords(names, { timeoutSeconds: timeout, parallel, log: (s) => process.stderr.write(`${s}\n`) });
  for (const r of results) console.log(`${r.file}: ${r.ok ? 'ok' : 'FAIL'}: ${r.message}`);
  const bad = results.filter((r) => !r.ok).length;
  console.log(bad ? `${bad} of ${results.length} proof records fail` : `all ${results.length} proof records are up to date and hold (${z3.value})`);
  return bad ? EXIT.MISMATCH : EXIT.OK;
}

export default command;
