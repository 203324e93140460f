/**
 * A test-and-set mutex: N threads each enter the critical section `Rounds` times, then finish.
 * `correct` acquires the lock in one atomic step (a CAS on `lock`); `broken` (Split) tests the lock
 * and sets it in two steps, so two threads can both see it free.
 */
import { and, bool, forall, holds, int, not, protocol, violates, type LocalRef } from '../../src/dsl/index.ts';

export default protocol('Mutex', (p) => {
  const N = p.constant('N', 'int', 'threads');
  const Rounds = p.constant('Rounds', 'int', 'critical sections per thread');
  const Split = p.constant('Split', 'bool', 'test the lock, then set it, in two steps (the bug)');
  const lock = p.shared('lock', bool, false, { doc: 'TRUE while a thread holds the mutex' });

  let n!: LocalRef; // declared inside the process, read by a property below with n.of(i)
  const T = p.process('Thread', N, { fairness: 'weak' }, (t) => {
    n = t.local('n', int(0, Rounds), 0, 'critical sections done');
    t.label('idle', 'between critical sections');
    t.label('acquire', 'while !CAS(&lock, 0, 1): spin');
    t.label('set', 'lock = 1 (Split: after seeing it free)');
    t.label('cs', 'the critical section');
    t.label('release', 'lock = 0');
    t.step('idle', { branch: 'go', to: 'acquire', when: n.lt(Rounds) });
    t.step('idle', { branch: 'stop', to: t.done(), when: n.eq(Rounds) });
    t.step('acquire', { branch: 'cas', to: 'cs', when: and(not(Split), lock.eq(false)), do: [lock.set(true)] });
    t.step('acquire', { branch: 'test', to: 'set', when: and(Split, lock.eq(false)) });
    t.step('set', { to: 'cs', do: [lock.set(true)] });
    t.step('cs', { to: 'release', do: [n.set(n.add(1))] });
    t.step('release', { to: 'idle', do: [lock.set(false)] });
  });

  p.invariant('MutualExclusion', forall(T.ids, (i) => forall(T.ids, (j) =>
    and(T.pc(i).eq('cs'), T.pc(j).eq('cs')).implies(i.eq(j)), 'j'), 'i'), 'at most one thread in the critical section');
  p.invariant('FinishedAll', forall(T.ids, (i) => T.pc(i).eq('Done').implies(n.of(i).eq(Rounds)), 'i'),
    'a thread finishes only after all its rounds');
  p.leadsTo('Entry', T, (i) => T.pc(i).eq('acquire'), (i) => T.pc(i).eq('cs'), 'a thread that tries to enter eventually does');

  p.config('correct', { constants: { N: 2, Rounds: 2, Split: false }, properties: [], expect: holds() });
  p.config('broken', { constants: { N: 2, Rounds: 2, Split: true }, properties: [], expect: violates('MutualExclusion') });
});
