// The schema evolution gate: the current schema/schema.graphql against the last released schema
// (schema/releases/<version>.graphql), with @graphql-inspector/core. A breaking change passes only
// when it is declared: a pending changeset (.changeset/*.md) bumps the API package major and names
// the change's schema coordinate (e.g. `Offer.legacyField`) in its text, so the release notes tell
// partners exactly what broke. Dangerous changes are reported, and every operation the SDK
// registers (schema/operations) must still validate. Run by api/test/schema-evolution.test.ts and
// `pnpm schema:check`; docs/schema-evolution.md explains the rules.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import readChangesets from '@changesets/read';
import { CriticalityLevel, diff, validate, type Change } from '@graphql-inspector/core';
import { buildSchema, Source } from 'graphql';

export interface GateOptions {
  /** Folder of released schemas, one `<semver>.graphql` each. */
  releasesDir: string;
  /** The schema as it is now (SDL). */
  schemaFile: string;
  /** The SDK's registered operations (`*.graphql`). */
  operationsDir: string;
  /** The repository root, whose `.changeset/` holds the pending changesets. */
  repoDir: string;
  /** The package whose major version a breaking change bumps (the API, owner of the schema). */
  apiPackage: { name: string; version: string };
}

/** One change between the release and now. */
export interface GateChange {
  type: string;
  message: string;
  /** Schema coordinate, e.g. `Offer.title` or `Query.offers.filter`. */
  path: string;
  reason?: string | undefined;
}

export interface GateReport {
  /** The release compared against. */
  release: { version: string; file: string };
  /** Breaking changes a pending major changeset names (allowed). */
  declared: GateChange[];
  /** Breaking changes nothing declares (they fail the gate). */
  undeclared: GateChange[];
  dangerous: GateChange[];
  /** Count of safe changes (additions, deprecations, descriptions). */
  safe: number;
  /** Operations of schema/operations that no longer validate, with the errors. */
  invalidOperations: { file: string; errors: string[] }[];
  /** Operations that use deprecated fields or values (they still work; the SDK should move on). */
  deprecatedUsage: { file: string; messages: string[] }[];
  /** Problems with the release bookkeeping itself (a missing snapshot for the current version). */
  problems: string[];
  passed: boolean;
}

// ─── Private helpers ──────────────────────────────────────────────────────────────────────────────

const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;

function compareVersions(a: string, b: string): number {
  const [, ...x] = SEMVER.exec(a)!.map(Number);
  const [, ...y] = SEMVER.exec(b)!.map(Number);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

/** Released versions in `dir`, oldest first. */
export function releasedVersions(dir: string): string[] {
  return readdirSync(dir)
    .map((name) => /^(\d+\.\d+\.\d+)\.graphql$/.exec(name)?.[1])
    .filter((version): version is string => version !== undefined)
    .sort(compareVersions);
}

const toGateChange = (change: Change): GateChange => ({
  type: change.type,
  message: change.message,
  path: change.path ?? '',
  reason: change.criticality.reason,
});

/** Whether `text` names `path` as a whole coordinate (not as the prefix of a longer one). */
function names(text: string, path: string): boolean {
  if (!path) return false;
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w.])${escaped}(?![\\w])(?!\\.\\w)`).test(text);
}

// ─── Public API ───────────────────────────────────────────────────────────────────────────────────

export async function checkSchemaEvolution(options: GateOptions): Promise<GateReport> {
  const problems: string[] = [];
  const versions = releasedVersions(options.releasesDir);
  const latest = versions.at(-1);
  if (!latest) throw new Error(`No released schema in ${options.releasesDir} (expected <version>.graphql).`);
  if (!versions.includes(options.apiPackage.version)) {
    problems.push(
      `${options.apiPackage.name} is at ${options.apiPackage.version}, but ${options.releasesDir} has no ${options.apiPackage.version}.graphql: ` +
        'release with `pnpm release:version`, which snapshots the schema.',
    );
  }
  const releaseFile = join(options.releasesDir, `${latest}.graphql`);
  const released = buildSchema(readFileSync(releaseFile, 'utf8'));
  const current = buildSchema(readFileSync(options.schemaFile, 'utf8'));
  const changes = await diff(released, current);

  const majors = (await readChangesets(options.repoDir)).filter((changeset) =>
    changeset.releases.some((release) => release.name === options.apiPackage.name && release.type === 'major'),
  );
  const declared: GateChange[] = [];
  const undeclared: GateChange[] = [];
  const dangerous: GateChange[] = [];
  let safe = 0;
  for (const change of changes) {
    const level = change.criticality.level;
    if (level === CriticalityLevel.Breaking) {
      const gateChange = toGateChange(change);
      (majors.some((changeset) => names(changeset.summary, gateChange.path)) ? declared : undeclared).push(gateChange);
    } else if (level === CriticalityLevel.Dangerous) {
      dangerous.push(toGateChange(change));
    } else {
      safe++;
    }
  }

  const files = readdirSync(options.operationsDir)
    .filter((name) => name.endsWith('.graphql'))
    .sort();
  const sources = files.map((name) => new Source(readFileSync(join(options.operationsDir, name), 'utf8'), name));
  // Deprecated usage comes back apart from the errors: it is reported, not failed.
  const invalid = validate(current, sources, { strictDeprecated: true });
  const invalidOperations = invalid
    .filter((document) => document.errors.length > 0)
    .map((document) => ({ file: document.source.name, errors: document.errors.map((error) => error.message) }));
  const deprecatedUsage = invalid
    .filter((document) => document.deprecated.length > 0)
    .map((document) => ({ file: document.source.name, messages: document.deprecated.map((error) => error.message) }));

  return {
    release: { version: latest, file: releaseFile },
    declared,
    undeclared,
    dangerous,
    safe,
    invalidOperations,
    deprecatedUsage,
    problems,
    passed: undeclared.length === 0 && invalidOperations.length === 0 && problems.length === 0,
  };
}

/** The report as text for a terminal or a test log. */
export function formatGateReport(report: GateReport): string {
  const lines = [`Schema gate: schema/schema.graphql against release ${report.release.version}`];
  const section = (title: string, items: string[]) => {
    if (items.length === 0) return;
    lines.push('', `${title} (${items.length}):`, ...items.map((item) => `  - ${item}`));
  };
  section(
    'BREAKING, not declared (add a changeset that bumps the API major and names each coordinate)',
    report.undeclared.map((c) => `${c.path}: ${c.message}`),
  );
  section(
    'Breaking, declared by a major changeset',
    report.declared.map((c) => `${c.path}: ${c.message}`),
  );
  section(
    'Dangerous (may change what clients see; check them)',
    report.dangerous.map((c) => `${c.path}: ${c.message}`),
  );
  // Each reason once: inspector gives every added enum value the same one.
  const reasons = [...new Set(report.dangerous.map((c) => c.reason).filter((reason): reason is string => !!reason))];
  if (reasons.length > 0) lines.push(...reasons.map((reason) => `    (${reason})`));
  section(
    'Operations in schema/operations that no longer validate',
    report.invalidOperations.map((o) => `${o.file}: ${o.errors.join('; ')}`),
  );
  section(
    'Operations that use deprecated schema members',
    report.deprecatedUsage.map((o) => `${o.file}: ${o.messages.join('; ')}`),
  );
  section('Release bookkeeping', report.problems);
  lines.push('', `${report.safe} safe change(s). ${report.passed ? 'PASSED' : 'FAILED'}.`);
  return lines.join('\n');
}
