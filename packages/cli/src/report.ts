// What `pakt sync` prints when a run is done: counts, then the diff a person can check (offers
// created, updated field by field, deleted) and every failure with its line and column.
import type { OfferSyncReport, OfferSyncResult, SyncStatus } from '@pakt-bw/sdk';
import type { Messages } from './i18n/messages.js';
import { formatBerlin } from './offers/dates.js';
import type { OffersFile } from './offers/read-offers.js';

/** Entries shown per section of the diff; the rest is counted. */
const SECTION_LIMIT = 200;

export interface ReportInput {
  file: string;
  provider: string;
  report: OfferSyncReport;
  read: OffersFile;
  /** The FULL guard's share, to warn in a dry run that a real run would be refused. */
  maxDeleteRatio: number;
}

export function formatReport(m: Messages, { file, provider, report, read, maxDeleteRatio }: ReportInput): string {
  const indexOf = new Map<string, number>();
  read.offers.forEach((offer, i) => {
    const id = (offer as { externalId?: unknown }).externalId;
    if (typeof id === 'string') indexOf.set(id, i);
  });
  const table = read.format !== 'json';
  const out = [report.dryRun ? m.dryRunHeading(report.total, file, provider, report.mode) : m.runHeading(report.total, file, provider, report.mode)];
  const statuses: SyncStatus[] = ['CREATED', 'UPDATED', 'UNCHANGED', 'DELETED', 'FAILED'];
  const width = Math.max(...statuses.map((s) => m.status(s).length));
  for (const status of statuses) out.push(`  ${m.status(status).padEnd(width)} ${String(report.counts[status]).padStart(7)}`);

  const section = (title: string, items: readonly OfferSyncResult[], line: (item: OfferSyncResult) => string[]) => {
    if (items.length === 0) return;
    out.push('', title);
    for (const item of items.slice(0, SECTION_LIMIT)) out.push(...line(item));
    if (items.length > SECTION_LIMIT) out.push(`  ${m.andMore(items.length - SECTION_LIMIT)}`);
  };
  const name = (item: OfferSyncResult) => `${item.externalId}${item.title ? `  ${item.title}` : ''}`;
  const byStatus = (status: string) => report.results.filter((r) => r.status === status);
  section(report.dryRun ? m.wouldCreate() : m.created(), byStatus('CREATED'), (item) => [`  + ${name(item)}`]);
  section(report.dryRun ? m.wouldUpdate() : m.updated(), byStatus('UPDATED'), (item) => [
    `  ~ ${name(item)}`,
    ...(item.changes ?? []).map((change) => `      ${fieldName(m, change.field, table)}: ${value(m, change.before)} → ${value(m, change.after)}`),
  ]);
  section(report.dryRun ? m.wouldDeleteSection() : m.deleted(), byStatus('DELETED'), (item) => [`  - ${name(item)}`]);

  if (report.replayed > 0) out.push('', m.replayedNote(report.replayed, report.batches.length));
  if (report.deletionsSkipped) out.push('', m.deletionsSkipped());
  if (report.dryRun && report.mode === 'FULL' && report.liveOffers !== null && report.counts.DELETED > maxDeleteRatio * report.liveOffers) {
    out.push('', m.dryRunWouldBeRefused(report.counts.DELETED, report.liveOffers, maxDeleteRatio));
  }
  if (report.failed.length > 0) {
    out.push('', m.failedOffers());
    for (const item of report.failed) {
      const index = item.externalId === null ? undefined : indexOf.get(item.externalId);
      const errors = item.userErrors?.length ? item.userErrors : [{ field: null, code: 'FAILED', message: 'Failed.' }];
      for (const e of errors) {
        const path = fieldPath(e.field);
        const shown = table ? columnOfPath(path) : path;
        const where =
          index === undefined
            ? undefined
            : (read.locate(index, path) ?? (read.offerLines[index] === undefined ? undefined : { line: read.offerLines[index]!, field: shown }));
        const at = where ? `${file}:${where.line}` : file;
        const field = where?.field || shown;
        out.push(`  ${at}: ${item.externalId ?? m.noExternalId()}: ${field ? `${field}: ` : ''}${m.serverError(e.code, e.message)}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}

/**
 * The field of a user error within its offer: the server's path (`["input", "offers", "3",
 * "slots", "0", "seatsAvailable"]`, or `offers[3].slots[0].seatsAvailable`) starts at the offer's
 * place in its batch, which the line already says, so `slots[0].seatsAvailable` is left.
 */
export function fieldPath(field: readonly string[] | string | null | undefined): string {
  if (field == null) return '';
  const parts = typeof field === 'string' ? field.split(/\.(?![^[]*\])/) : [...field];
  if (parts[0] === 'input') parts.shift();
  if (parts[0] === 'offers' && /^\d+$/.test(parts[1] ?? '')) parts.splice(0, 2);
  else if (/^offers\[\d+\]$/.test(parts[0] ?? '')) parts.shift();
  else if (parts[0] === 'offer') parts.shift();
  return parts.map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : `${i > 0 ? '.' : ''}${part}`)).join('');
}

// ───────────────────────────── Private helpers ─────────────────────────────

const COLUMN_OF: Record<string, string> = {
  externalId: 'external_id',
  category: 'category',
  status: 'status',
  modality: 'modality',
  programmeSlug: 'programme',
  municipalityAgs: 'municipality_ags',
  languages: 'languages',
  targetGroups: 'target_groups',
  eligibility: 'eligibility',
  cost: 'cost',
  isFree: 'is_free',
  contactEmail: 'contact_email',
  contactPhone: 'contact_phone',
  website: 'website',
  'courseDetails.courseType': 'course_type',
  'courseDetails.cefrFrom': 'cefr_from',
  'courseDetails.cefrTo': 'cefr_to',
  'courseDetails.teachingUnits': 'teaching_units',
  'courseDetails.childcareAvailable': 'childcare',
  locations: 'location_id',
  name: 'location_name',
  street: 'street',
  postalCode: 'postal_code',
  city: 'city',
  latitude: 'latitude',
  longitude: 'longitude',
  accessibilityNotes: 'accessibility',
  startsAt: 'starts_at',
  endsAt: 'ends_at',
  schedule: 'schedule',
  rollingEntry: 'rolling_entry',
  capacity: 'capacity',
  seatsAvailable: 'seats_available',
  waitingList: 'waiting_list',
  registrationDeadline: 'registration_deadline',
  location: 'location_id',
};

/** A changed field as the file names it: the column for spreadsheets, the path for JSON. */
function fieldName(m: Messages, field: string, table: boolean): string {
  if (field === 'deleted') return m.revived();
  if (!table) return field;
  const translation = /^translations\[([^\]]+)\]\.(title|description|status)$/.exec(field);
  if (translation) return `${translation[2] === 'status' ? 'translation_status' : translation[2]}_${translation[1]!.replace('-', '_')}`;
  const slot = /^slots\[(.+?)\](?:\.(\w+))?$/.exec(field);
  if (slot) return slot[2] ? `${COLUMN_OF[slot[2]] ?? slot[2]} (${m.slotWord()} ${slot[1]})` : `${m.slotWord()} ${slot[1]}`;
  const place = /^locations\[(.+?)\]\.(\w+)$/.exec(field);
  if (place) return place[2] === 'municipalityAgs' ? `location_ags (${place[1]})` : `${COLUMN_OF[place[2]!] ?? place[2]} (${place[1]})`;
  return COLUMN_OF[field] ?? field;
}

/** The column of a path the file has no cell for (`slots[0].capacity` → `capacity`). */
function columnOfPath(path: string): string {
  if (path === '') return '';
  if (/^slots\[\d+\]\.externalId$/.test(path)) return 'slot_id';
  if (/^locations\[\d+\]\.(externalId)?$/.test(path) || /^locations\[\d+\]$/.test(path)) return 'location_id';
  if (/^locations\[\d+\]\.municipalityAgs$/.test(path)) return 'location_ags';
  if (/^translations/.test(path)) return 'title_de';
  const field = path.replace(/^(slots|locations)\[\d+\]\./, '').replace(/\[\d+\]$/, '');
  return COLUMN_OF[field] ?? path;
}

/** A value of the diff for people: instants in German time, nothing as "—", long text cut. */
function value(m: Messages, text: string | null): string {
  if (text === null) return m.none();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return formatBerlin(text);
  if (/^(-?\d+(\.\d+)?|true|false)$/.test(text)) return text;
  const oneLine = text.replace(/\s*\n\s*/g, ' ⏎ ');
  return JSON.stringify(oneLine.length > 80 ? `${oneLine.slice(0, 79)}…` : oneLine);
}
