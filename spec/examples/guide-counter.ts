// A shared counter that T threads each increment once: read, then write (not atomic together).
import { int, protocol, violates } from '../../src/dsl/index.ts';

export default protocol('GuideCounter', (p) => {
  const T = p.constant('T', 'int', 'number of threads');
  const x = p.shared('x', int(0, T), 0, { doc: 'the counter' });
  const threads = p.process('Inc', T, { fairness: 'weak' }, (t) => {
    const r = t.local('r', int(0, T), 0, 'the value read');
    t.label('read', 'r := x');
    t.label('write', 'x := r + 1');
    t.label('done', 'the increment is over');
    t.step('read', { to: 'write', do: [r.set(x)] });
    t.step('write', { to: 'done', do: [x.set(r.add(1))] });
  });
  p.invariant('NoLostUpdate', threads.every((th) => threads.pc(th).eq('done')).implies(x.eq(T)),
    'once every thread is done, the counter counts every increment');
  p.config('two', { constants: { T: 2 }, checkDeadlock: false, expect: violates('NoLostUpdate') });
});
