// The schema evolution gate (api/scripts/schema-gate.ts): the committed schema against the last
// release passes, and on scratch copies a breaking change fails unless a major changeset of the API
// names it, dangerous changes are listed, deprecations are safe, and broken operations fail.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@pakt/db';
import readChangesets from '@changesets/read';
import { afterEach, describe, expect, it } from 'vitest';
import { checkSchemaEvolution, formatGateReport, releasedVersions, type GateOptions } from '../scripts/schema-gate.js';

const packageOf = (dir: string) => JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8')) as { name: string; version: string };
const api = packageOf('api');
/** The packages pakt releases (with a CHANGELOG.md): the API (its schema), the SDK and the CLI. */
const released = { api: packageOf('api'), sdk: packageOf('sdk'), 'packages/cli': packageOf('packages/cli') };

describe('the schema gate on this repository', () => {
  it('passes: schema/schema.graphql against the last release, with every registered operation valid', async () => {
    const report = await checkSchemaEvolution({
      releasesDir: join(repoRoot, 'schema', 'releases'),
      schemaFile: join(repoRoot, 'schema', 'schema.graphql'),
      operationsDir: join(repoRoot, 'schema', 'operations'),
      repoDir: repoRoot,
      apiPackage: api,
    });
    // The report is the test's output: dangerous changes are listed for the reviewer.
    console.log(formatGateReport(report));
    expect(report.undeclared, formatGateReport(report)).toEqual([]);
    expect(report.invalidOperations).toEqual([]);
    expect(report.problems).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.release.version).toBe(releasedVersions(join(repoRoot, 'schema', 'releases')).at(-1));
  });
});

describe('the schema gate on scratch copies', () => {
  const released = /* GraphQL */ `
    "An offer."
    type Offer {
      "Its id."
      id: ID!
      "Its title."
      title: String!
      "Its legacy code."
      legacyCode: String
      "Its kind."
      kind: Kind!
    }
    "Kinds."
    enum Kind {
      "A course."
      COURSE
      "Counselling."
      COUNSELLING
    }
    "Queries."
    type Query {
      "One offer."
      offer(id: ID!): Offer
    }
  `;
  const operation = 'query Offer($id: ID!) { offer(id: $id) { id title legacyCode kind } }';
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A scratch repository: releases/0.1.0.graphql, the current schema, one operation, and changesets. */
  function scratch(
    current: string,
    { changesets = {}, operations = { 'offer.graphql': operation } }: { changesets?: Record<string, string>; operations?: Record<string, string> } = {},
  ): GateOptions {
    const dir = mkdtempSync(join(tmpdir(), 'pakt-gate-'));
    dirs.push(dir);
    for (const sub of ['releases', 'operations', '.changeset']) mkdirSync(join(dir, sub));
    writeFileSync(join(dir, 'releases', '0.1.0.graphql'), released);
    writeFileSync(join(dir, 'schema.graphql'), current);
    for (const [name, text] of Object.entries(operations)) writeFileSync(join(dir, 'operations', name), text);
    writeFileSync(join(dir, '.changeset', 'config.json'), '{}');
    for (const [name, text] of Object.entries(changesets)) writeFileSync(join(dir, '.changeset', name), text);
    return {
      releasesDir: join(dir, 'releases'),
      schemaFile: join(dir, 'schema.graphql'),
      operationsDir: join(dir, 'operations'),
      repoDir: dir,
      apiPackage: { name: '@pakt/api', version: '0.1.0' },
    };
  }
  const withoutLegacyCode = released.replace(/"Its legacy code."\s+legacyCode: String/, '');

  it('fails on a removed field that nothing declares, and on the operation that still selects it', async () => {
    const report = await checkSchemaEvolution(scratch(withoutLegacyCode));
    expect(report.passed).toBe(false);
    expect(report.undeclared).toEqual([expect.objectContaining({ type: 'FIELD_REMOVED', path: 'Offer.legacyCode' })]);
    expect(report.invalidOperations).toEqual([{ file: 'offer.graphql', errors: [expect.stringMatching(/Cannot query field "legacyCode" on type "Offer"/)] }]);
    expect(formatGateReport(report)).toMatch(/BREAKING, not declared[\s\S]*Offer\.legacyCode[\s\S]*FAILED/);
  });

  it('passes a breaking change only with a changeset that bumps the API major and names the coordinate', async () => {
    const operations = { 'offer.graphql': 'query Offer($id: ID!) { offer(id: $id) { id title } }' };
    const major = '---\n"@pakt/api": major\n---\n\nRemoved `Offer.legacyCode` (deprecated since 0.1.0): use `Offer.id`.\n';
    const declared = await checkSchemaEvolution(scratch(withoutLegacyCode, { operations, changesets: { 'remove-legacy.md': major } }));
    expect(declared.undeclared).toEqual([]);
    expect(declared.declared.map((change) => change.path)).toEqual(['Offer.legacyCode']);
    expect(declared.passed).toBe(true);

    const minor = major.replace('major', 'minor');
    const notMajor = await checkSchemaEvolution(scratch(withoutLegacyCode, { operations, changesets: { 'remove-legacy.md': minor } }));
    expect(notMajor.undeclared.map((change) => change.path)).toEqual(['Offer.legacyCode']);

    const unnamed = '---\n"@pakt/api": major\n---\n\nSome fields went away.\n';
    const vague = await checkSchemaEvolution(scratch(withoutLegacyCode, { operations, changesets: { 'vague.md': unnamed } }));
    expect(vague.passed).toBe(false);

    // Naming a longer coordinate (`Offer.legacyCodes`) or another package does not count.
    const other = '---\n"@pakt-bw/sdk": major\n---\n\nRemoved `Offer.legacyCode`.\n';
    expect((await checkSchemaEvolution(scratch(withoutLegacyCode, { operations, changesets: { 'sdk.md': other } }))).passed).toBe(false);
    const longer = '---\n"@pakt/api": major\n---\n\nRemoved `Offer.legacyCodes`.\n';
    expect((await checkSchemaEvolution(scratch(withoutLegacyCode, { operations, changesets: { 'longer.md': longer } }))).passed).toBe(false);
  });

  it('treats additions and deprecations as safe, lists dangerous changes, and reports deprecated usage', async () => {
    const evolved = released
      .replace('legacyCode: String', 'legacyCode: String @deprecated(reason: "Use `id`.")')
      .replace('"Counselling."\n      COUNSELLING', '"Counselling."\n      COUNSELLING\n      "A workshop."\n      WORKSHOP')
      .replace('"Its kind."', '"Its summary."\n      summary: String\n      "Its kind."');
    const report = await checkSchemaEvolution(scratch(evolved));
    expect(report.passed).toBe(true);
    expect(report.undeclared).toEqual([]);
    expect(report.dangerous).toEqual([expect.objectContaining({ type: 'ENUM_VALUE_ADDED', path: 'Kind.WORKSHOP' })]);
    expect(report.safe).toBeGreaterThanOrEqual(2);
    expect(report.deprecatedUsage).toEqual([{ file: 'offer.graphql', messages: [expect.stringMatching(/legacyCode.*deprecated/)] }]);
    expect(formatGateReport(report)).toMatch(/Dangerous[\s\S]*Kind\.WORKSHOP[\s\S]*PASSED/);
  });

  it('fails on other breaking kinds too: a changed field type, a new required argument, a removed enum value', async () => {
    const cases = {
      'Offer.title': released.replace('title: String!', 'title: Int!'),
      'Query.offer.language': released.replace('offer(id: ID!)', 'offer(id: ID!, "Its language." language: String!)'),
      'Kind.COUNSELLING': released.replace(/"Counselling."\s+COUNSELLING/, ''),
    };
    for (const [path, schema] of Object.entries(cases)) {
      const report = await checkSchemaEvolution(scratch(schema, { operations: { 'none.graphql': 'query Ids { offer(id: "1") { id } }' } }));
      expect(
        report.undeclared.map((change) => change.path),
        path,
      ).toContain(path);
      expect(report.passed, path).toBe(false);
    }
  });

  it('fails when the API version has no released schema (a version bump without its snapshot)', async () => {
    const options = scratch(released);
    const report = await checkSchemaEvolution({ ...options, apiPackage: { name: '@pakt/api', version: '0.2.0' } });
    expect(report.problems).toEqual([expect.stringMatching(/no 0\.2\.0\.graphql/)]);
    expect(report.passed).toBe(false);
  });

  it('compares against the highest released version, not the last file name in order', async () => {
    const options = scratch(released);
    writeFileSync(join(options.releasesDir, '0.10.0.graphql'), released);
    writeFileSync(join(options.releasesDir, '0.9.0.graphql'), withoutLegacyCode);
    expect(releasedVersions(options.releasesDir)).toEqual(['0.1.0', '0.9.0', '0.10.0']);
    const report = await checkSchemaEvolution({ ...options, apiPackage: { name: '@pakt/api', version: '0.10.0' } });
    expect(report.release.version).toBe('0.10.0');
    expect(report.passed).toBe(true);
  });
});

describe('release bookkeeping', () => {
  it('keeps the versions the SDK and the CLI report equal to their package versions', () => {
    expect(readFileSync(join(repoRoot, 'sdk', 'src', 'defaults.ts'), 'utf8')).toContain(`export const SDK_VERSION = '${released.sdk.version}';`);
    expect(readFileSync(join(repoRoot, 'packages', 'cli', 'src', 'run.ts'), 'utf8')).toContain(`export const VERSION = '${released['packages/cli'].version}';`);
  });

  it('has a CHANGELOG.md per released package, and pending changesets name only those', async () => {
    for (const dir of Object.keys(released)) expect(readFileSync(join(repoRoot, dir, 'CHANGELOG.md'), 'utf8')).toMatch(/^# @pakt/);
    const names = new Set(Object.values(released).map((pkg) => pkg.name));
    for (const changeset of await readChangesets(repoRoot)) {
      for (const release of changeset.releases) expect(names.has(release.name), `${changeset.id}: ${release.name}`).toBe(true);
      expect(changeset.summary.trim().length, changeset.id).toBeGreaterThan(0);
    }
  });
});
