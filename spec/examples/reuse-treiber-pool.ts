/**
 * A new single-list pool variant written by calling the library (spec/lib): HAProxy's DWCAS pop
 * (spec/lib/dwcas.ts), the CAS push (spec/lib/cas-push.ts) and a pool_flush that detaches the list
 * with one XCHG(head, NULL) (spec/lib/treiber.ts) instead of DwcasPool's locked DWCAS (so the
 * declared pool->lock stays free). Crowded frees are switched apart from flushes (`Crowded`).
 * Without the OS the DWCAS pop is safe; with crowded frees and flushes the GH #1275 use-after-free
 * is back.
 */
import { holds, protocol, violates } from '../../src/dsl/index.ts';
import { casPush } from '../lib/cas-push.ts';
import { dwcasDeclare, dwcasPop, type DwcasVars } from '../lib/dwcas.ts';
import { poolProtocol } from '../lib/pool.ts';
import { xchgFlush } from '../lib/treiber.ts';

export default protocol('ReuseDwcasPool', (p) => {
  const MaxSeq = p.constant('MaxSeq', 'int', 'bound on seq for model checking (a state constraint)');
  const { seq } = poolProtocol<DwcasVars>(p, {
    declare: dwcasDeclare(p, MaxSeq), pop: dwcasPop, push: casPush, flush: xchgFlush,
  }, { crowded: true });
  const base = { T: 2, N: 2, MaxSeq: 1, Flush: false, Warm: false };
  // seq, a handle poolProtocol returns, bounds the state space.
  const sizes = (c: Record<string, number | boolean>) => ({ constants: { ...base, ...c }, constraint: seq.le(MaxSeq), properties: [] });
  p.config('correct', { ...sizes({ OsFree: false, Crowded: false }), expect: holds(), doc: 'blocks stay mapped: the DWCAS pop is safe' });
  p.config('broken', { ...sizes({ OsFree: true, Crowded: true, Flush: true }), expect: violates('NoUseAfterFree'), doc: 'crowded frees and flushes: a stale head is dereferenced' });
}, 'DWCAS pop, CAS push, XCHG flush: a variant built from the library');
