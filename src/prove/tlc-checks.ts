/**
 * The TLC side of the proofs: IndInv checked as an invariant on the reachable states (an invariant
 * that fails on a reachable state cannot be inductive, and one that holds there is at least not
 * too strong), and the `Refines` configurations.
 */
import type { Config, Model } from '../dsl/ir.ts';
import { generateTla } from '../codegen/generate.ts';
import { checkWithTlc } from '../check/check.ts';
import type { CheckResult } from '../check/result.ts';

/** The configurations IndInv is checked in by TLC: small and standard where claimed, else the first claimed. */
export function reachabilityConfigs(model: Model): string[] {
  const ind = model.inductive?.[0];
  if (!ind) return [];
  const std = ['small', 'standard'].filter((c) => ind.configs.includes(c));
  return std.length ? std : ind.configs.slice(0, 1);
}

export async function indInvReachable(model: Model, configName: string, jar: string, timeoutSeconds = 900): Promise<CheckResult> {
  const ind = model.inductive![0];
  const base = model.configs.find((c) => c.name === configName)!;
  const cfg: Config = {
    ...base, name: `indinv_${configName}`, invariants: [ind.name], properties: [], checkDeadlock: false, refines: false,
    expect: ind.expect === 'fails' ? { verdict: 'violated', oneOf: [ind.name] } : { verdict: 'holds' },
  };
  // The configuration joins the model, so a counterexample can be labelled against it; IndInv is
  // defined in the module by the inductive emitter.
  const withCfg: Model = { ...model, configs: [...model.configs, cfg] };
  return checkWithTlc(withCfg, cfg, { jar, workers: 1, timeoutSeconds, files: generateTla(withCfg) });
}

export async function refinementChecks(model: Model, jar: string, timeoutSeconds = 900): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const c of model.configs.filter((x) => x.refines)) out.push(await checkWithTlc(model, c, { jar, workers: 1, timeoutSeconds }));
  return out;
}
