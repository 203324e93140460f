/** The public DSL: what a spec file imports. */
export {
  E, Ref, DomainRef, NULL, BUSY, TRUE, FALSE, self, e, not, and, or, ite, forall, exists, filter, mapOver,
  setOf, listNodes, listAcyclic, bool, int, enumOf, setType,
} from './expr.ts';
export type { Val } from './expr.ts';
export { protocol, holds, violates, LocalRef } from './protocol.ts';
export type { Protocol, ProtocolBuilder, ProcBuilder, ProcHandle, StepOpts, ConfigOpts } from './protocol.ts';
export type { Type, Model } from './ir.ts';
import type { Domain, Type } from './ir.ts';
import { DomainRef as DomainRefClass } from './expr.ts';
import type { DomainRef } from './expr.ts';

/** Pointer into block set `blocks`, or NULL, or BUSY. */
export const ptr = (blocks: DomainRef): Type => ({ kind: 'ptr', blocks: blocks.blockSet ?? '?' });
/** A process id of the given process type (by name, since process handles exist only after declaration). */
export const procId = (procType: string): Type => ({ kind: 'proc', procType });
/** The ids of a process type, by name: for arrays and quantifiers declared before the process type. */
export const idsOf = (procType: string): DomainRef => new DomainRefClass({ kind: 'procs', procType });
/** An array indexed by a domain (block set, integer range or process ids). */
export const arrayOf = (index: DomainRef | Domain, of: Type): Type => ({
  kind: 'array', index: 'domain' in index ? index.domain : index, of,
});
