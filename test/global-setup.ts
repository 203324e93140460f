/** The tests run the real TLC: make sure the pinned jar is there (fetching it once if needed). */
import { fetchJar } from '../src/tlc/index.ts';
import { formatError } from '../src/errors.ts';

export default async function setup(): Promise<void> {
  const r = await fetchJar({ quiet: true });
  if (!r.ok) throw new Error(`the tests need the TLC jar: ${r.errors.map(formatError).join('; ')}`);
}
