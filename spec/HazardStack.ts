/**
 * A Treiber stack with hazard pointers (Michael 2004, "Hazard pointers: safe memory reclamation for
 * lock-free objects"). Pop publishes the head it read in its hazard pointer, then re-reads the head and
 * retries if it changed: only then is the head known to have been in the stack after the hazard
 * pointer became visible, so no scan that started later can free it. A popped node is retired (kept
 * in the thread's retired list); a scan reads every hazard pointer, one word per step, and gives back
 * to the OS only the retired nodes no hazard pointer names.
 *
 * The switch `Revalidate` turns the re-read off: then a pop can publish a node that another thread has
 * already popped, scanned and freed, and dereference it (NoUseAfterFree fails).
 *
 * Modelling as in spec/lib/pool.ts: nodes are addresses 1..N, the OS holds the unmapped ones and may
 * return any of them (reuse), freeing poisons the link word, and a read or write of the link word of
 * an unmapped node sets the ghost `fault`. A popped node is retired at once (its use is not modelled).
 */
import {
  BUSY, NULL, and, arrayOf, bool, enumOf, filter, forall, holds, int, ite, listAcyclic, listNodes, mapOver,
  not, or, ptr, protocol, self, setOf, setType, violates, type E, type LocalRef,
} from '../src/dsl/index.ts';

export default protocol('HazardStack', (p) => {
  const T = p.constant('T', 'int', 'number of threads');
  const N = p.constant('N', 'int', 'number of nodes (addresses)');
  const Revalidate = p.constant('Revalidate', 'bool', 'whether pop re-reads the head after publishing its hazard pointer');
  const Nodes = p.blocks('Nodes', N);
  const Ids = p.range(1, T); // the thread ids (a range, so that the runtime can lay hp out)
  const head = p.shared('head', ptr(Nodes), NULL, { doc: 'the top of the stack' });
  const next = p.shared('next', arrayOf(Nodes, ptr(Nodes)), mapOver(Nodes, () => NULL, 'b'), { inBlock: true, doc: 'the link word inside each node' });
  const hp = p.shared('hp', arrayOf(Ids, ptr(Nodes)), mapOver(Ids, () => NULL, 'th'), { doc: 'each thread\'s hazard pointer (single-writer, read by every scan)' });
  const where = p.ghost('where', arrayOf(Nodes, enumOf('os', 'stack', 'thread', 'retired')), mapOver(Nodes, () => 'os', 'b'), {
    doc: 'where each node is: at the OS (unmapped), in the stack, being pushed by a thread, or retired',
  });
  const mapped = p.ghost('mapped', arrayOf(Nodes, bool), mapOver(Nodes, () => false, 'b'), { doc: 'the node belongs to the process' });
  const fault = p.ghost('fault', bool, false, { doc: 'some thread read or wrote the link word of an unmapped node' });
  p.blockMemory(Nodes, (b) => mapped.at(b));

  const isNode = (x: E) => and(x.ne(NULL), x.ne(BUSY));
  const deref = (x: E) => fault.set(fault.or(not(mapped.at(x))));

  let ndRef!: LocalRef;
  let rlRef!: LocalRef;
  const threads = p.process('Thread', T, { fairness: 'weak' }, (t) => {
    const nd = ndRef = t.local('nd', ptr(Nodes), NULL, 'push: the new node');
    const h = t.local('h', ptr(Nodes), NULL, 'push and pop: the head read');
    const n = t.local('n', ptr(Nodes), NULL, 'pop: the successor of h');
    const rl = rlRef = t.local('rl', setType(ptr(Nodes)), setOf([], ptr(Nodes)), 'the retired list: popped, not yet freed');
    const j = t.local('j', int(0, T), 0, 'scan: the next hazard pointer to read');
    const plist = t.local('plist', setType(ptr(Nodes)), setOf([], ptr(Nodes)), 'scan: the hazard pointers read');

    t.label('idle', 'between operations');
    t.label('U1', 'push: h := head');
    t.label('U2', 'push: nd->next := h');
    t.label('U3', 'push: CAS(head, h, nd)');
    t.label('O1', 'pop: h := head');
    t.label('O2', 'pop: if h = NULL: return NULL; hp[self] := h (publish)');
    t.label('O4', 'pop: if Revalidate and head # h: goto O1 (the re-validation)');
    t.label('O5', 'pop: n := h->next (the dereference the hazard pointer protects)');
    t.label('O6', 'pop: CAS(head, h, n); fail: goto O1');
    t.label('O7', 'pop: hp[self] := NULL; retire(h)');
    t.label('S2', 'scan: plist := every non-NULL hp[j], one at a time');
    t.label('S3', 'scan: free every retired node not in plist');

    const atOs = filter(Nodes, (b) => not(mapped.at(b)), 'b');
    t.choose('idle', atOs, (b) => ({
      branch: 'push', to: 'U1', op: 'push', do: [mapped.at(b).set(true), where.at(b).set('thread'), nd.set(b)],
      doc: 'malloc() a node: any address the OS holds, including one freed before',
    }), 'b');
    t.step('idle', { branch: 'pop', to: 'O1', op: 'pop' });
    t.step('idle', { branch: 'scan', to: 'S2', when: rl.size().gt(0), op: 'scan', do: [j.set(1)] });

    t.step('U1', { to: 'U2', do: [h.set(head)] });
    t.step('U2', { to: 'U3', do: [next.at(nd).set(h), deref(nd)] });
    t.step('U3', { branch: 'ok', to: 'idle', when: head.eq(h), do: [head.set(nd), where.at(nd).set('stack'), nd.set(NULL), h.set(NULL)] });
    t.step('U3', { branch: 'fail', to: 'U2', when: head.ne(h), do: [h.set(head)], doc: 'h := head; goto U2' });

    t.step('O1', { to: 'O2', do: [h.set(head)] });
    t.step('O2', { branch: 'empty', to: 'O7', when: h.eq(NULL) });
    t.step('O2', { branch: 'publish', to: 'O4', when: isNode(h), do: [hp.at(self).set(h)] });
    t.step('O4', { branch: 'changed', to: 'O1', when: and(Revalidate, head.ne(h)), do: [h.set(NULL)], doc: 'the head moved since it was read: it may already be retired' });
    t.step('O4', { branch: 'valid', to: 'O5', when: or(not(Revalidate), head.eq(h)) });
    t.step('O5', { to: 'O6', do: [n.set(next.at(h)), deref(h)] });
    t.step('O6', {
      branch: 'ok', to: 'O7', when: head.eq(h),
      do: [head.set(n), where.at(h).set('retired'), rl.set(rl.plus(h)), h.set(NULL), n.set(NULL)],
      doc: 'the node is popped and retired at once',
    });
    t.step('O6', { branch: 'fail', to: 'O1', when: head.ne(h), do: [h.set(NULL), n.set(NULL)] });
    t.step('O7', { to: 'idle', do: [hp.at(self).set(NULL)] });

    t.step('S2', {
      branch: 'read', to: 'S2', when: j.ge(1),
      do: [plist.set(ite(isNode(hp.at(j)), plist.plus(hp.at(j)), plist)), j.set(ite(j.lt(T), j.add(1), 0))],
    });
    t.step('S2', { branch: 'done', to: 'S3', when: j.eq(0) });
    t.choose('S3', rl.minus(plist), (b) => ({
      branch: 'free', to: 'S3',
      do: [rl.set(rl.without(b)), next.at(b).set(NULL), where.at(b).set('os'), mapped.at(b).set(false)],
      doc: 'free(node) to the OS: unmapped, link word poisoned',
    }), 'b');
    t.step('S3', { branch: 'done', to: 'idle', when: rl.minus(plist).isEmpty(), do: [plist.set(setOf([], ptr(Nodes)))] });
  });

  const Threads = threads.ids;
  const ndOf = (th: E) => ndRef.of(th);
  const rlOf = (th: E) => rlRef.of(th);
  p.invariant('NoUseAfterFree', not(fault), 'no thread reads or writes the link word of a node given back to the OS');
  p.invariant('FreeListIntact', and(
    listAcyclic(head, next, Nodes),
    listNodes(head, next, Nodes).eq(filter(Nodes, (b) => where.at(b).eq('stack'), 'b')),
    forall(Nodes, (b) => where.at(b).eq('thread').implies(filter(Threads, (th) => ndOf(th).eq(b), 'th').size().eq(1)), 'b'),
    forall(Nodes, (b) => where.at(b).eq('retired').implies(filter(Threads, (th) => b.in(rlOf(th)), 'th').size().eq(1)), 'b'),
    forall(Nodes, (b) => mapped.at(b).eq(where.at(b).ne('os')), 'b'),
  ), 'the stack from the head is acyclic and holds exactly the nodes in the stack; every other mapped node is being pushed by one thread or retired by one thread: none lost, none duplicated');

  // Places, for the runtime's accounting (stress, replay): the stack, the nodes being pushed, the retired ones.
  p.place('inStack', 'list', listNodes(head, next, Nodes), { acyclic: listAcyclic(head, next, Nodes) });
  p.place('pushing', 'hands', mapOver(Threads, (th) => filter(setOf([ndOf(th)]), isNode, 'b'), 'th'));
  p.place('retired', 'transit', mapOver(Threads, rlOf, 'th'));

  const both = { T: 2, N: 2 };
  p.config('revalidate', { constants: { ...both, Revalidate: true }, expect: holds(), doc: 'with the re-read of the head after publishing (Michael 2004)' });
  p.config('noRevalidate', {
    constants: { ...both, Revalidate: false }, expect: violates('NoUseAfterFree'),
    doc: 'without it: the published node may already have been popped, scanned and freed',
  });
}, 'A Treiber stack with hazard pointers: publish, re-validate, retire, scan');
