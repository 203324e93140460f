/** What a user sees when something goes wrong: a missing jar, a TLC timeout, a TLC error in a model. */
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { checkWithTlc } from '../../src/check/check.ts';
import { config, fixtureSpec, jar, spec } from '../helpers.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const cli = (args: string[], env: Record<string, string> = {}) =>
  execa('node', [path.join(ROOT, 'bin', 'poolspec.js'), ...args], { cwd: ROOT, reject: false, env });

describe('failure modes', () => {
  it('a TLC jar path that does not exist: one line, exit 2, no stack trace', async () => {
    const r = await cli(['check', 'BusyPool', '--config', 'small'], { TLA2TOOLS_JAR: '/nonexistent/tla2tools.jar' });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('JAR_MISSING');
    expect(r.stderr).toContain('/nonexistent/tla2tools.jar');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const doctor = await cli(['doctor'], { TLA2TOOLS_JAR: '/nonexistent/tla2tools.jar' });
    expect(doctor.exitCode).toBe(2);
    expect(doctor.stdout).toContain('TLA2TOOLS_JAR=/nonexistent/tla2tools.jar does not exist');
  });

  it('a TLC run past its timeout is killed and reported with the progress reached', async () => {
    const m = await spec('BusyPool');
    const r = await checkWithTlc(m, config(m, 'standard'), { jar: await jar(), workers: 1, timeoutSeconds: 2 });
    expect(r.verdict).toBe('error');
    expect(r.matchesExpected).toBe(false);
    expect(r.errors[0].code).toBe('TLC_TIMEOUT');
    expect(r.errors[0].message).toContain('timed out after 2 s');
  });

  it('a TLC evaluation error is shown against the generated file and the spec line', async () => {
    const m = await fixtureSpec('models/out-of-domain.ts');
    const r = await checkWithTlc(m, config(m, 'small'), { jar: await jar(), workers: 1, timeoutSeconds: 60 });
    expect(r.verdict).toBe('error');
    const e = r.errors.find((x) => x.code === 'TLC_ERROR');
    expect(e, JSON.stringify(r.errors)).toBeDefined();
    expect(e!.message).toMatch(/domain|apply/i);
    expect(e!.at?.file).toBe('OutOfDomain.tla');
    expect(e!.message).toContain('generated from test/fixtures/models/out-of-domain.ts:12');
  });

  it('usage errors exit 2 with the usage line', async () => {
    const r = await cli(['check', '--workers', 'zero']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--workers must be a positive integer');
    const u = await cli(['check', 'NoSuchSpec']);
    expect(u.exitCode).toBe(2);
    expect(u.stderr).toContain('unknown spec NoSuchSpec');
  });
});
