/** zod schemas for the shapes a spec passes to the DSL, and a one-line rendering of their failures. */
import { z } from 'zod';

/** Words that TLA+/PlusCal reserve or that the emitters define themselves. */
export const RESERVED = new Set([
  'ASSUME', 'ASSUMPTION', 'AXIOM', 'CASE', 'CHOOSE', 'CONSTANT', 'CONSTANTS', 'DOMAIN', 'ELSE', 'ENABLED',
  'EXCEPT', 'EXTENDS', 'IF', 'IN', 'INSTANCE', 'LET', 'LOCAL', 'MODULE', 'OTHER', 'SF_', 'SUBSET', 'THEN',
  'THEOREM', 'UNCHANGED', 'UNION', 'VARIABLE', 'VARIABLES', 'WF_', 'WITH', 'TRUE', 'FALSE', 'BOOLEAN',
  'Init', 'Next', 'Spec', 'vars', 'pc', 'self', 'NULL', 'BUSY', 'Nat', 'Int', 'Seq', 'Len', 'Append',
  'Cardinality', 'IsFiniteSet', 'ProcSet', 'Termination', 'stack', 'procedure', 'process', 'either', 'or',
  'with', 'when', 'await', 'goto', 'skip', 'while', 'do', 'if', 'then', 'else', 'begin', 'end', 'assert',
  'print', 'call', 'return', 'macro', 'define', 'variable', 'variables', 'fair', 'algorithm', 'Done',
  'ListNodes', 'ListAcyclic', 'TypeOK', 'Constraint', 'Error', 'elsif', 'ListFrom', 'EndsWithin',
]);

export const identifier = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must start with a letter and contain only letters, digits and _')
  .refine((s) => !RESERVED.has(s), { message: 'is a reserved word in TLA+/PlusCal or the generated model' });

export function formatZodIssue(err: z.ZodError): string {
  return err.issues
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}
