/**
 * A shared counter incremented with a CAS loop: read, then CAS(count, old, old + 1), retrying when
 * another thread got there first. `broken` (Racy) stores old + 1 without the CAS, and loses updates.
 */
import { and, forall, holds, int, not, protocol, violates } from '../../src/dsl/index.ts';

export default protocol('CasCounter', (p) => {
  const N = p.constant('N', 'int', 'threads');
  const Rounds = p.constant('Rounds', 'int', 'increments per thread');
  const Racy = p.constant('Racy', 'bool', 'store instead of CAS (the bug)');
  const count = p.shared('count', int(0, N.mul(Rounds)), 0, { doc: 'the counter' });

  const T = p.process('Thread', N, { fairness: 'weak' }, (t) => {
    const old = t.local('old', int(0, N.mul(Rounds)), 0, 'the value read');
    const n = t.local('n', int(0, Rounds), 0, 'increments done');
    t.label('read', 'old = count');
    t.label('write', 'CAS(&count, old, old + 1), or (Racy) count = old + 1');
    t.step('read', { branch: 'more', to: 'write', when: n.lt(Rounds), do: [old.set(count)] });
    t.step('read', { branch: 'stop', to: t.done(), when: n.eq(Rounds) });
    t.step('write', { branch: 'ok', to: 'read', when: and(not(Racy), count.eq(old)), do: [count.set(old.add(1)), n.set(n.add(1))] });
    t.step('write', { branch: 'retry', to: 'read', when: and(not(Racy), count.ne(old)) });
    t.step('write', { branch: 'store', to: 'read', when: Racy, do: [count.set(old.add(1)), n.set(n.add(1))] });
  });

  p.invariant('NoLostUpdate', forall(T.ids, (i) => T.pc(i).eq('Done'), 'i').implies(count.eq(N.mul(Rounds))),
    'when every thread has finished, the counter holds every increment');

  p.config('correct', { constants: { N: 2, Rounds: 2, Racy: false }, expect: holds() });
  p.config('broken', { constants: { N: 2, Rounds: 2, Racy: true }, expect: violates('NoLostUpdate') });
});
