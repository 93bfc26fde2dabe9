// pakt's messages in English. Every message is a function of what it reports, so the German
// catalogue (de.ts) can order the words its own way. Column names, codes and file paths stay as
// they are in both languages.
import { type SyncStatus, syncLimits } from '@pakt-bw/sdk';

const plural = (n: number, one: string, many: string): string => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
const percent = (ratio: number): string => `${Math.round(ratio * 1000) / 10} %`;
const quote = (value: string): string => JSON.stringify(value);

export const en = {
  // ── command line ──
  usage: (version: string, endpoint: string) => `pakt ${version}: sync integration offers into pakt

Usage:
  pakt sync <offers.xlsx|offers.csv|offers.json> [options]
  pakt validate <offers.xlsx|offers.csv|offers.json> [--sheet NAME]
  pakt template <offers.xlsx|offers.csv>

Commands:
  sync       check the file, then create, update (and with --mode full delete) offers on the server
  validate   only check the file (nothing is sent)
  template   write an empty offers file with every column, an example row and what each column means

Options:
  --dry-run                ask the server what would change and show it, change nothing
  --mode <upsert|full>     full: also delete your offers that are missing from the file
                           (default: upsert)
  --provider <slug>        the provider the offers belong to (default: your API key's provider;
                           needed when the key acts for several, e.g. an umbrella's key)
  --sheet <name>           the sheet of an .xlsx file (default: the first)
  --yes, -y                full mode: delete without asking (needed when no one is at a terminal)
  --max-delete <percent>   full mode: refuse to delete more than this share of your offers
                           (default: 20)
  --allow-mass-delete      full mode: allow deleting any share (e.g. on purpose, all old courses)
  --endpoint <url>         GraphQL endpoint (default: $PAKT_ENDPOINT, else ${endpoint})
  --batch-size <n>         offers per request, 1 to ${syncLimits.maxBatchSize} (default: 500)
  --idempotency-key <key>  resume an interrupted run exactly: pass the run key it printed
  --lang <de|en>           language of the messages (default: German when LANG is German)
  -h, --help               show this help
  -v, --version            show the version

Environment:
  PAKT_API_KEY    your API key (pakt_…); required for sync
  PAKT_ENDPOINT   GraphQL endpoint, if --endpoint is not given

Columns: see the README of @pakt-bw/cli, or run "pakt template offers.xlsx".

Exit codes: 0 done, 1 errors in the file or offers that failed, 2 wrong usage, 3 request failed,
4 deletions refused (not confirmed, or more than --max-delete).
`,
  seeHelp: () => 'Run "pakt --help" for usage.',
  badArguments: (detail: string) => detail,
  badLanguage: (value: string) => `--lang must be de or en, not ${quote(value)}.`,
  unknownCommand: (command: string) => `Unknown command ${quote(command)}: sync, validate or template.`,
  whichCommand: () => 'Which command? sync, validate or template.',
  whichFile: (command: string) => `Which file? pakt ${command} <${command === 'template' ? 'offers.xlsx|offers.csv' : 'offers.xlsx|offers.csv|offers.json'}>`,
  unexpectedArgument: (value: string) => `Unexpected argument ${quote(value)}.`,
  badMode: (value: string) => `--mode must be upsert or full, not ${quote(value)}.`,
  badBatchSize: (value: string) => `--batch-size must be a whole number from 1 to ${syncLimits.maxBatchSize}, not ${quote(value)}.`,
  badIdempotencyKey: (max: number) => `--idempotency-key must have 1 to ${max} printable ASCII characters (e.g. the run key a run printed).`,
  badMaxDelete: (value: string) => `--max-delete must be a percentage from 0 to 100, not ${quote(value)}.`,
  noApiKey: () => 'Set your API key in the environment variable PAKT_API_KEY.',
  badEndpoint: (value: string) => `--endpoint must be an http(s) URL, not ${quote(value)}.`,
  whichProvider: (slugs: readonly string[]) => `Your API key acts for several providers (${slugs.join(', ')}): say which with --provider <slug>.`,
  cannotRead: (file: string, detail: string) => `cannot read ${file}: ${detail}`,
  cannotWrite: (file: string, detail: string) => `cannot write ${file}: ${detail}`,
  fileExists: (file: string) => `${file} exists already; choose another name (pakt does not overwrite files).`,
  templateFormat: () => 'A template is an .xlsx or a .csv file: pakt template offers.xlsx',
  templateWritten: (file: string) => `Wrote ${file}: fill in one row per course date (or one row per offer without dates), then run "pakt validate ${file}".`,

  // ── reading files ──
  fileField: () => '(file)',
  readAsWindows1252: (file: string) => `${file} is not UTF-8; read it as Windows-1252 (what German Excel saves as "CSV (Trennzeichen-getrennt)").`,
  utf16: () => 'The file is UTF-16 ("Unicode text"). Save it from Excel as "CSV UTF-8" or as .xlsx.',
  notText: (offset: number, byte: number) =>
    `Not a text file in UTF-8 or Windows-1252: byte 0x${byte.toString(16).padStart(2, '0')} at offset ${offset}. Save it as "CSV UTF-8" or as .xlsx.`,
  oldExcel: () => 'This is an old Excel file (.xls). Save it as .xlsx ("Excel-Arbeitsmappe") or as CSV.',
  zipNotXlsx: () => 'This file is a ZIP archive (perhaps an .xlsx renamed?). Give an Excel file the name ending .xlsx.',
  notXlsx: (detail: string) => `Cannot read this Excel file: ${detail}`,
  noSuchSheet: (sheet: string | undefined, sheets: readonly string[]) =>
    sheet === undefined ? 'The workbook has no sheet.' : `The workbook has no sheet ${quote(sheet)}; it has ${sheets.map(quote).join(', ')}.`,
  cellError: (error: string) => `The cell shows the Excel error ${error}; put the value itself there.`,
  csvSyntax: (code: string) =>
    code === 'CSV_QUOTE_NOT_CLOSED'
      ? 'A quoted field is not closed (a " is missing).'
      : code === 'INVALID_OPENING_QUOTE'
        ? 'A quote inside an unquoted field: quote the whole field and double the quote ("").'
        : code === 'CSV_INVALID_CLOSING_QUOTE'
          ? 'Text after a closing quote: quote the whole field.'
          : `Not valid CSV (${code}).`,
  emptyFile: () => 'The file is empty: the first row must name the columns.',
  tooManyFields: (fields: number, columns: number) => `${fields} fields, but the header has ${columns} columns (a separator inside an unquoted field?).`,
  invalidJson: (detail: string) => `Not valid JSON: ${detail}`,
  expectedOfferArray: () => 'Expected an array of offers, or { "offers": [ … ] }.',
  duplicateColumn: () => 'This column appears twice in the header.',
  unknownColumn: (suggestion: string | undefined) =>
    `Unknown column${suggestion ? `; did you mean ${quote(suggestion)}?` : '.'} See "Columns" in the README of @pakt-bw/cli, or "pakt template".`,
  missingColumn: () => 'Required column is missing.',
  offerColumnDiffers: (line: number, before: string, externalId: string) =>
    `Differs from line ${line} (${quote(before)}) for offer ${quote(externalId)}; an offer's columns must be the same on each of its rows.`,
  placeDiffers: (place: string, line: number, before: string, after: string) =>
    `The place ${quote(place)} is described as ${quote(before)} on line ${line} and as ${quote(after)} here. A place is one record for all your offers: describe it once (other rows need only its location_id) or the same way on every row.`,
  conflictingPlace: (place: string, line: number, before: string, after: string) =>
    `The place ${quote(place)} is described differently by the offer at line ${line} (${quote(before)} there, ${quote(after)} here); describe a place the same way everywhere.`,
  agsZeroRestored: (column: string, count: number, line: number) =>
    `${column}: ${plural(count, 'key', 'keys')} with 7 digits (first on line ${line}) read with a leading 0 (e.g. 8111000 → 08111000): Excel's number format drops it. Format the column as text to keep it.`,
  badAgs: (value: string, column: string) =>
    `${quote(value)} is not an 8-digit Amtlicher Gemeindeschlüssel (e.g. "08111000"). If your spreadsheet shows the key right, format the column "${column}" as text, so that Excel keeps every digit.`,
  invalidAgs: (value: string) => `${quote(value)} is not an 8-digit Amtlicher Gemeindeschlüssel, e.g. "08111000".`,
  expectedDate: (value: string) =>
    `Expected a date like 02.03.2026, 02.03.2026 09:00, 2026-03-02 09:00 (German time) or 2026-03-02T09:00:00+01:00; got ${quote(value)}.`,
  expectedInteger: (value: string) => `Expected a whole number, got ${quote(value)}.`,
  expectedNumber: (value: string) => `Expected a number, got ${quote(value)}.`,
  expectedYesNo: (value: string) => `Expected yes or no (ja/nein), got ${quote(value)}.`,
  expectedSchedule: (value?: string) => `Expected weekly times like "Mo 09:00-12:15; Mi 09:00-12:15"${value === undefined ? '' : `, got ${quote(value)}`}.`,

  // ── checking offers ──
  required: () => 'Required.',
  requiredOneOf: (allowed: readonly string[]) => `Required: one of ${allowed.join(', ')}.`,
  notOneOf: (value: string, allowed: readonly string[]) => `${quote(value)} is not one of ${allowed.join(', ')}.`,
  expectedOffer: () => 'Expected an object (one offer).',
  expectedObject: () => 'Expected an object.',
  expectedList: () => 'Expected a list.',
  expectedText: (type: string) => `Expected text, got ${type}.`,
  tooLong: (max: number, length: number) => `At most ${max} characters (got ${length}).`,
  expectedBoolean: (value: string) => `Expected true or false, got ${quote(value)}.`,
  negative: () => 'Must not be negative.',
  outOfRange: (min: number, max: number) => `Expected a number from ${min} to ${max}.`,
  expectedIsoDateTime: () => 'Expected an ISO 8601 date-time with time zone, e.g. 2026-03-02T09:00:00+01:00.',
  expectedCodes: () => 'Expected a list of codes, e.g. ["de", "ar"].',
  germanRequired: () => 'A German title (title_de) is required.',
  expectedTranslation: () => 'Expected { language, title, description? }.',
  secondTranslation: (language: string) => `Second translation for ${quote(language)}.`,
  cefrRange: (from: string, to: string) => `cefr_to (${to}) is below cefr_from (${from}).`,
  duplicateOffer: (externalId: string, line: number) => `${quote(externalId)} appears twice (first on line ${line}).`,
  duplicateLocation: (id: string) => `Place ${quote(id)} appears twice in this offer.`,
  duplicateSlot: (id: string) => `Slot ${quote(id)} appears twice in this offer.`,
  municipalityRequired: () => 'Required: give the municipality (AGS) or at least one place (location_id with location_ags).',
  expectedEmail: (value: string) => `Expected an e-mail address, got ${quote(value)}.`,
  expectedUrl: (value: string) => `Expected an http(s) address, got ${quote(value)}.`,
  tooManySlots: (max: number) => `At most ${max} slots per offer.`,
  endBeforeStart: () => 'ends_at is before starts_at.',
  seatsAboveCapacity: (seats: number, capacity: number) => `seats_available (${seats}) exceeds capacity (${capacity}).`,
  problemsFound: (count: number, file: string) => `${plural(count, 'problem', 'problems')} in ${file}; nothing was sent.`,
  andMore: (count: number) => `… and ${count.toLocaleString('en')} more.`,
  validated: (file: string, offers: number) => `${file}: ${plural(offers, 'offer', 'offers')}, no problems found.`,

  // ── syncing ──
  runKey: (key: string) => `Run key ${key} (if this run is interrupted, resume it with --idempotency-key ${key})`,
  resuming: (key: string) => `Resuming run ${key}: batches it had sent are answered from the server's record`,
  checking: (processed: number, total: number, batches: number) => `Checking ${processed}/${total} offers, ${plural(batches, 'batch', 'batches')}`,
  syncing: (processed: number, total: number, batches: number) => `Syncing ${processed}/${total} offers, ${plural(batches, 'batch', 'batches')}`,
  wouldDelete: (count: number, live: number, provider: string) =>
    `This FULL sync deletes ${plural(count, 'offer', 'offers')} of ${provider} (of ${live.toLocaleString('en')}, ${percent(live === 0 ? 0 : count / live)}) that ${count === 1 ? 'is' : 'are'} not in the file:`,
  confirmedByYes: () => 'Deleting them (--yes).',
  needsYes: () => 'Nothing was written: deleting offers needs a confirmation. Check the list above (or run with --dry-run), then run again with --yes.',
  confirmQuestion: (count: number) => `Delete ${plural(count, 'offer', 'offers')} and sync the file? [y/N] `,
  isYes: (answer: string) => /^(y|yes|j|ja)$/i.test(answer),
  notConfirmed: () => 'Nothing was written: the deletions were not confirmed.',
  tooManyDeletions: (count: number, live: number, ratio: number, allowMassDelete: boolean) =>
    `Nothing was written: this FULL sync would delete ${plural(count, 'offer', 'offers')} of ${live.toLocaleString('en')} (${percent(live === 0 ? 0 : count / live)}), more than the ${percent(ratio)} allowed. ` +
    (allowMassDelete
      ? 'Check the file.'
      : `Is the file complete (all sheets, all rows)? If these offers really end, run with --max-delete ${Math.ceil((count / Math.max(live, 1)) * 100)} or --allow-mass-delete.`),
  catalogueChanged: (count: number, confirmed: number) =>
    `Nothing more was written: the last batch would now delete ${count} offers, not the ${confirmed} confirmed (your offers changed meanwhile). Run again.`,
  partialBeforeRefusal: () => 'The earlier batches had been written (creates and updates only; nothing was deleted).',
  syncFailed: (message: string, requestId: string | undefined) => `sync failed: ${message}${requestId ? ` (request id ${requestId})` : ''}`,
  keyReused: () => 'this run key was used with other offers (the file changed since); run again without --idempotency-key.',
  howToResume: (key: string) => `to resume this run exactly (what it applied is not applied again), run the same command with --idempotency-key ${key}`,
  forbidden: (provider: string) => `the API key may not write offers for ${quote(provider)}; check --provider and the key's scopes.`,
  checkApiKey: () => 'check PAKT_API_KEY.',

  // ── the report ──
  dryRunHeading: (total: number, file: string, provider: string, mode: string) =>
    `Dry run (nothing changed): ${plural(total, 'offer', 'offers')} of ${file} for ${provider}, mode ${mode}`,
  runHeading: (total: number, file: string, provider: string, mode: string) => `${plural(total, 'offer', 'offers')} of ${file} for ${provider}, mode ${mode}`,
  status: (status: SyncStatus) => ({ CREATED: 'created', UPDATED: 'updated', UNCHANGED: 'unchanged', DELETED: 'deleted', FAILED: 'failed' })[status],
  wouldCreate: () => 'Would be created:',
  wouldUpdate: () => 'Would be updated:',
  wouldDeleteSection: () => 'Would be deleted:',
  created: () => 'Created:',
  updated: () => 'Updated:',
  deleted: () => 'Deleted:',
  revived: () => 'deleted offer restored',
  slotWord: () => 'slot',
  none: () => '—',
  replayedNote: (replayed: number, batches: number) =>
    `Note: ${replayed} of ${plural(batches, 'batch', 'batches')} had been sent before by a run with this idempotency key; the server answered from its record and wrote nothing again (counted as unchanged).`,
  deletionsSkipped: () => 'Nothing was deleted: in FULL mode the server deletes only when no offer failed. Fix the failed offers and run again.',
  dryRunWouldBeRefused: (count: number, live: number, ratio: number) =>
    `Careful: a real run would refuse to delete ${count} of ${live.toLocaleString('en')} offers (${percent(count / live)}, more than ${percent(ratio)}); see --max-delete.`,
  failedOffers: () => 'Failed offers:',
  noExternalId: () => '(no external_id)',
  serverError: (code: string, message: string) => `${message} (${code})`,

  // ── the template ──
  csvSeparator: ',',
  offersSheet: () => 'Offers',
  helpSheet: () => 'Columns',
  columnWord: () => 'Column',
  requiredWord: () => 'required',
  meaningWord: () => 'Meaning',
  yesWord: () => 'yes',
  templateIntro: () =>
    'One row per course date (slot); the offer columns repeat on each of its rows. Describe a place once (other rows need only its location_id). Dates are German time; a date without a time in ends_at or registration_deadline means the end of that day.',
  columnHelp: (column: string) => COLUMN_HELP_EN[column] ?? TRANSLATION_HELP_EN(column),
};

const TRANSLATION_HELP_EN = (column: string): string => {
  const match = /^(title|description|translation_status)_(.+)$/.exec(column);
  if (!match) return '';
  const language = match[2];
  if (match[1] === 'title') return `Title in ${language} (title_de is required; add title_ar, title_uk, … as you have them).`;
  if (match[1] === 'description') return `Description in ${language}; line breaks allowed.`;
  return `How the ${language} text came about: ORIGINAL, HUMAN_TRANSLATED, MACHINE_TRANSLATED, OUTDATED.`;
};

const COLUMN_HELP_EN: Record<string, string> = {
  external_id: 'Your own key of the offer; the same on every row of the offer. Never reuse it for another offer.',
  category: 'LANGUAGE_COURSE, INTEGRATION_MANAGEMENT, MIGRATION_COUNSELLING, CIVIC_ENGAGEMENT, SCHOOL_TO_WORK, CHILDCARE_FAMILY or OTHER.',
  status: 'PUBLISHED (default: portals show it), DRAFT or ARCHIVED.',
  modality: 'IN_PERSON (default), ONLINE or HYBRID.',
  programme: 'Slug of the funding programme, e.g. pakt-spracherwerb (optional).',
  municipality_ags: "Amtlicher Gemeindeschlüssel (8 digits, e.g. 08116019) where the offer takes place; default: the first place's. Format the column as text.",
  languages: 'Languages the offer is given in, e.g. de;ar;fa.',
  target_groups: 'e.g. REFUGEES;WOMEN;PARENTS.',
  eligibility: 'Who may take part (free text).',
  cost: 'What it costs (free text); empty means free.',
  is_free: 'ja/nein (yes/no); default: free when cost is empty.',
  contact_email: 'E-mail address for questions about the offer.',
  contact_phone: 'Phone number for questions about the offer.',
  website: 'Web page of the offer (http or https).',
  course_type:
    'Language courses: INTEGRATIONSKURS, JUGENDINTEGRATIONSKURS, ELTERN_FRAUENINTEGRATIONSKURS, ALPHABETISIERUNGSKURS, BERUFSSPRACHKURS, ERSTORIENTIERUNGSKURS or OTHER.',
  cefr_from: 'Level at the start: A1 … C2.',
  cefr_to: 'Level at the end: A1 … C2.',
  teaching_units: 'Teaching units (Unterrichtseinheiten), a whole number.',
  childcare: 'ja/nein: childcare during the course.',
  location_id: "Your key of the place of this row's date. Describe the place once; other rows (also of other offers) need only this key.",
  location_name: 'Name of the place, e.g. Bürgerhaus (default: street and city).',
  street: 'Street and number.',
  postal_code: 'Postal code (Postleitzahl); format the column as text.',
  city: 'Town or city.',
  location_ags: 'Amtlicher Gemeindeschlüssel of the place (default: municipality_ags of the offer).',
  latitude: "Latitude, e.g. 48.7413 (default: the municipality's centre).",
  longitude: 'Longitude, e.g. 9.3071.',
  accessibility: 'Accessibility of the place (free text).',
  slot_id: 'Your key of this date (course start); required on rows with a date.',
  starts_at: 'Start: 02.03.2026 09:00 (German time), or an Excel date.',
  ends_at: 'End; a date without a time means the end of that day.',
  schedule: 'Weekly times, e.g. Mo 09:00-12:15; Mi 09:00-12:15.',
  rolling_entry: 'ja/nein: people can join any time.',
  capacity: 'Seats in all (whole number).',
  seats_available: 'Seats still free; 0 marks the date FULL.',
  waiting_list: 'ja/nein: there is a waiting list.',
  registration_deadline: 'Last day to register; 31.12.2026 means until the end of that day.',
  slot_status: 'SCHEDULED (default), FULL or CANCELLED.',
};
