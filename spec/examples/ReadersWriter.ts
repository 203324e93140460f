/**
 * A reader/writer lock on one word `rw`: -1 while a writer holds it, otherwise the number of readers
 * inside. Two process types: R readers, then W writers (their ids follow the readers': 1..R are
 * readers, R+1..R+W writers). `broken` (Eager) lets a writer in while readers are reading.
 */
import { TRUE, and, bool, exists, holds, idsOf, int, mapOver, not, or, protocol, self, violates, arrayOf } from '../../src/dsl/index.ts';

export default protocol('ReadersWriter', (p) => {
  const R = p.constant('R', 'int', 'readers');
  const W = p.constant('W', 'int', 'writers');
  const Eager = p.constant('Eager', 'bool', 'a writer enters without waiting for readers (the bug)');
  const rw = p.shared('rw', int(-1, R), 0, { doc: '-1: a writer holds the lock; k >= 0: k readers inside' });
  const data = p.shared('data', int(0, W), 0, { doc: 'the protected data: how many writes happened' });
  const wrote = p.ghost('wrote', arrayOf(idsOf('Writer'), bool), mapOver(idsOf('Writer'), () => false), { doc: 'which writers have written' });

  const Rd = p.process('Reader', R, { fairness: 'weak' }, (t) => {
    const val = t.local('val', int(0, W), 0, 'the value read');
    t.label('r_enter', 'if rw >= 0: rw = rw + 1 (CAS)');
    t.label('reading', 'val = data');
    t.label('r_exit', 'rw = rw - 1 (fetch_sub)');
    t.step('r_enter', { to: 'reading', when: rw.ge(0), do: [rw.set(rw.add(1))] });
    t.step('reading', { to: 'r_exit', do: [val.set(data)] });
    t.step('r_exit', { to: t.done(), do: [rw.set(rw.sub(1))] });
  });
  const Wr = p.process('Writer', W, { fairness: 'weak' }, (t) => {
    const mine = t.local('mine', bool, false, 'this writer has written');
    t.label('w_enter', 'CAS(&rw, 0, -1) (Eager: rw = -1)');
    t.label('writing', 'data = data + 1');
    t.label('w_exit', 'rw = 0');
    t.step('w_enter', { to: 'writing', when: or(rw.eq(0), Eager), do: [rw.set(-1)] });
    t.step('writing', { to: 'w_exit', do: [data.set(data.add(1)), mine.set(TRUE), wrote.at(self).set(true)] });
    t.step('w_exit', { to: t.done(), do: [rw.set(0)] });
  });

  const readingNow = (i: Parameters<typeof Rd.pc>[0]) => or(Rd.pc(i).eq('reading'), Rd.pc(i).eq('r_exit'));
  const writingNow = (j: Parameters<typeof Wr.pc>[0]) => or(Wr.pc(j).eq('writing'), Wr.pc(j).eq('w_exit'));
  p.invariant('Exclusion', not(and(exists(Rd.ids, readingNow, 'i'), exists(Wr.ids, writingNow, 'j'))),
    'no reader reads while a writer writes');
  p.invariant('OneWriter', not(exists(Wr.ids, (i) => exists(Wr.ids, (j) => and(i.ne(j), writingNow(i), writingNow(j)), 'j'), 'i')),
    'at most one writer writes');

  p.config('correct', { constants: { R: 2, W: 1, Eager: false }, expect: holds() });
  p.config('broken', { constants: { R: 2, W: 1, Eager: true }, expect: violates('Exclusion') });
});
