/**
 * A ticket lock: a thread takes a ticket with fetch-and-add on `nextTicket` and waits until
 * `serving` shows it. Tickets wrap modulo K (`mod`), so K must be at least the number of threads:
 * `broken` has three threads and two tickets, and two threads end up holding the same ticket.
 */
import { and, forall, holds, int, protocol, violates } from '../../src/dsl/index.ts';

export default protocol('TicketLock', (p) => {
  const N = p.constant('N', 'int', 'threads');
  const K = p.constant('K', 'int', 'distinct tickets (they wrap modulo K)');
  const nextTicket = p.shared('nextTicket', int(0, K.sub(1)), 0, { doc: 'the next ticket to hand out' });
  const serving = p.shared('serving', int(0, K.sub(1)), 0, { doc: 'the ticket allowed in' });

  const T = p.process('Thread', N, { fairness: 'weak' }, (t) => {
    const my = t.local('my', int(0, K.sub(1)), 0, 'my ticket');
    t.label('take', 'my = fetch_add(&nextTicket, 1) % K');
    t.label('wait', 'while serving != my: spin');
    t.label('cs', 'the critical section');
    t.label('leave', 'serving = (serving + 1) % K');
    t.step('take', { to: 'wait', do: [my.set(nextTicket), nextTicket.set(nextTicket.add(1).mod(K))] });
    t.step('wait', { to: 'cs', when: serving.eq(my) });
    t.step('cs', { to: 'leave' });
    t.step('leave', { to: t.done(), do: [serving.set(serving.add(1).mod(K))] });
  });

  p.invariant('MutualExclusion', forall(T.ids, (i) => forall(T.ids, (j) =>
    and(T.pc(i).eq('cs'), T.pc(j).eq('cs')).implies(i.eq(j)), 'j'), 'i'), 'at most one thread in the critical section');

  p.config('correct', { constants: { N: 2, K: 2 }, expect: holds() });
  p.config('broken', { constants: { N: 3, K: 2 }, expect: violates('MutualExclusion') });
});
