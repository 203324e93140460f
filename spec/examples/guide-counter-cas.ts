// The fix: write with a compare-and-swap, and read again when another thread got there first.
import { filter, holds, int, protocol } from '../../src/dsl/index.ts';

export default protocol('GuideCounterCas', (p) => {
  const T = p.constant('T', 'int', 'number of threads');
  const x = p.shared('x', int(0, T), 0, { doc: 'the counter' });
  const threads = p.process('Inc', T, { fairness: 'weak' }, (t) => {
    const r = t.local('r', int(0, T), 0, 'the value read');
    t.label('read', 'r := x');
    t.label('cas', 'CAS(x, r, r + 1); on failure r := x and retry');
    t.label('done', 'the increment is over');
    t.step('read', { to: 'cas', do: [r.set(x)] });
    t.step('cas', { branch: 'ok', to: 'done', when: x.eq(r), do: [x.set(r.add(1))] });
    t.step('cas', { branch: 'fail', to: 'cas', when: x.ne(r), do: [r.set(x)] });
  });
  p.invariant('NoLostUpdate', threads.every((th) => threads.pc(th).eq('done')).implies(x.eq(T)),
    'once every thread is done, the counter counts every increment');
  p.config('two', { constants: { T: 2 }, checkDeadlock: false, expect: holds() });
  // Why it holds, for every interleaving: x always counts the threads that are done.
  p.inductive('IndInv', { Counts: x.eq(filter(threads.ids, (th) => threads.pc(th).eq('done'), 'th').size()) });
});
