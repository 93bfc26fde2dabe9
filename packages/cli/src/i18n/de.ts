// pakts Meldungen auf Deutsch (die Vorgabe, wenn LANG/LC_ALL deutsch ist). Spaltennamen, Codes
// und Dateipfade bleiben wie sie sind.
import { type SyncStatus, syncLimits } from '@pakt-bw/sdk';
import type { Messages } from './messages.js';

const number = (n: number): string => n.toLocaleString('de-DE');
const plural = (n: number, one: string, many: string): string => `${number(n)} ${n === 1 ? one : many}`;
const percent = (ratio: number): string => `${(Math.round(ratio * 1000) / 10).toLocaleString('de-DE')} %`;
const quote = (value: string): string => `„${value}“`;

export const de: Messages = {
  // ── Befehlszeile ──
  usage: (version: string, endpoint: string) => `pakt ${version}: Integrationsangebote nach pakt übertragen

Aufruf:
  pakt sync <angebote.xlsx|angebote.csv|angebote.json> [Optionen]
  pakt validate <angebote.xlsx|angebote.csv|angebote.json> [--sheet NAME]
  pakt template <angebote.xlsx|angebote.csv>

Befehle:
  sync       Datei prüfen, dann Angebote auf dem Server anlegen, ändern (mit --mode full auch löschen)
  validate   Datei nur prüfen (nichts wird gesendet)
  template   leere Angebotsdatei schreiben: alle Spalten, eine Beispielzeile, was jede Spalte bedeutet

Optionen:
  --dry-run                Probelauf: zeigen, was sich ändern würde, nichts ändern
  --mode <upsert|full>     full: auch Ihre Angebote löschen, die nicht in der Datei stehen
                           (Vorgabe: upsert)
  --provider <slug>        der Träger der Angebote (Vorgabe: der Träger Ihres API-Schlüssels;
                           nötig, wenn der Schlüssel für mehrere handelt, z. B. ein Dachverband)
  --sheet <name>           das Tabellenblatt einer .xlsx-Datei (Vorgabe: das erste)
  --yes, -y                full: ohne Rückfrage löschen (nötig, wenn niemand am Terminal sitzt)
  --max-delete <prozent>   full: nicht mehr als diesen Anteil Ihrer Angebote löschen (Vorgabe: 20)
  --allow-mass-delete      full: jeden Anteil löschen erlauben (z. B. bewusst alle alten Kurse)
  --endpoint <url>         GraphQL-Endpunkt (Vorgabe: $PAKT_ENDPOINT, sonst ${endpoint})
  --batch-size <n>         Angebote je Anfrage, 1 bis ${syncLimits.maxBatchSize} (Vorgabe: 500)
  --idempotency-key <key>  einen abgebrochenen Lauf genau fortsetzen: den Laufschlüssel angeben,
                           den er ausgegeben hat
  --lang <de|en>           Sprache der Meldungen (Vorgabe: Deutsch, wenn LANG deutsch ist)
  -h, --help               diese Hilfe
  -v, --version            die Version

Umgebung:
  PAKT_API_KEY    Ihr API-Schlüssel (pakt_…); für sync nötig
  PAKT_ENDPOINT   GraphQL-Endpunkt, wenn --endpoint fehlt

Spalten: siehe README von @pakt-bw/cli, oder "pakt template angebote.xlsx".

Rückgabewerte: 0 fertig, 1 Fehler in der Datei oder fehlgeschlagene Angebote, 2 falscher Aufruf,
3 Anfrage fehlgeschlagen, 4 Löschen abgelehnt (nicht bestätigt oder mehr als --max-delete).
`,
  seeHelp: () => '„pakt --help“ zeigt den Aufruf.',
  badArguments: (detail: string) => detail,
  badLanguage: (value: string) => `--lang muss de oder en sein, nicht ${quote(value)}.`,
  unknownCommand: (command: string) => `Unbekannter Befehl ${quote(command)}: sync, validate oder template.`,
  whichCommand: () => 'Welcher Befehl? sync, validate oder template.',
  whichFile: (command: string) =>
    `Welche Datei? pakt ${command} <${command === 'template' ? 'angebote.xlsx|angebote.csv' : 'angebote.xlsx|angebote.csv|angebote.json'}>`,
  unexpectedArgument: (value: string) => `Unerwartetes Argument ${quote(value)}.`,
  badMode: (value: string) => `--mode muss upsert oder full sein, nicht ${quote(value)}.`,
  badBatchSize: (value: string) => `--batch-size muss eine ganze Zahl von 1 bis ${syncLimits.maxBatchSize} sein, nicht ${quote(value)}.`,
  badIdempotencyKey: (max: number) => `--idempotency-key braucht 1 bis ${max} druckbare ASCII-Zeichen (z. B. den Laufschlüssel, den ein Lauf ausgegeben hat).`,
  badMaxDelete: (value: string) => `--max-delete muss ein Prozentwert von 0 bis 100 sein, nicht ${quote(value)}.`,
  noApiKey: () => 'Setzen Sie Ihren API-Schlüssel in die Umgebungsvariable PAKT_API_KEY.',
  badEndpoint: (value: string) => `--endpoint muss eine http(s)-Adresse sein, nicht ${quote(value)}.`,
  whichProvider: (slugs: readonly string[]) =>
    `Ihr API-Schlüssel handelt für mehrere Träger (${slugs.join(', ')}): geben Sie mit --provider <slug> an, für welchen.`,
  cannotRead: (file: string, detail: string) => `kann ${file} nicht lesen: ${detail}`,
  cannotWrite: (file: string, detail: string) => `kann ${file} nicht schreiben: ${detail}`,
  fileExists: (file: string) => `${file} gibt es schon; wählen Sie einen anderen Namen (pakt überschreibt keine Dateien).`,
  templateFormat: () => 'Eine Vorlage ist eine .xlsx- oder .csv-Datei: pakt template angebote.xlsx',
  templateWritten: (file: string) =>
    `${file} geschrieben: je Kurstermin eine Zeile ausfüllen (oder je Angebot ohne Termine eine), dann „pakt validate ${file}“.`,

  // ── Dateien lesen ──
  fileField: () => '(Datei)',
  readAsWindows1252: (file: string) => `${file} ist kein UTF-8; als Windows-1252 gelesen (so speichert ein deutsches Excel „CSV (Trennzeichen-getrennt)“).`,
  utf16: () => 'Die Datei ist UTF-16 („Unicode-Text“). Speichern Sie sie in Excel als „CSV UTF-8“ oder als .xlsx.',
  notText: (offset: number, byte: number) =>
    `Keine Textdatei in UTF-8 oder Windows-1252: Byte 0x${byte.toString(16).padStart(2, '0')} an Stelle ${offset}. Speichern Sie sie als „CSV UTF-8“ oder als .xlsx.`,
  oldExcel: () => 'Das ist eine alte Excel-Datei (.xls). Speichern Sie sie als .xlsx („Excel-Arbeitsmappe“) oder als CSV.',
  zipNotXlsx: () => 'Diese Datei ist ein ZIP-Archiv (vielleicht eine umbenannte .xlsx?). Eine Excel-Datei braucht die Endung .xlsx.',
  notXlsx: (detail: string) => `Diese Excel-Datei lässt sich nicht lesen: ${detail}`,
  noSuchSheet: (sheet: string | undefined, sheets: readonly string[]) =>
    sheet === undefined
      ? 'Die Arbeitsmappe hat kein Tabellenblatt.'
      : `Die Arbeitsmappe hat kein Blatt ${quote(sheet)}, sondern ${sheets.map(quote).join(', ')}.`,
  cellError: (error: string) => `Die Zelle zeigt den Excel-Fehler ${error}; tragen Sie dort den Wert selbst ein.`,
  csvSyntax: (code: string) =>
    code === 'CSV_QUOTE_NOT_CLOSED'
      ? 'Ein Feld in Anführungszeichen wird nicht geschlossen (ein " fehlt).'
      : code === 'INVALID_OPENING_QUOTE'
        ? 'Ein Anführungszeichen mitten im Feld: das ganze Feld in Anführungszeichen setzen und das Zeichen verdoppeln ("").'
        : code === 'CSV_INVALID_CLOSING_QUOTE'
          ? 'Text nach einem schließenden Anführungszeichen: das ganze Feld in Anführungszeichen setzen.'
          : `Keine gültige CSV-Datei (${code}).`,
  emptyFile: () => 'Die Datei ist leer: die erste Zeile muss die Spalten benennen.',
  tooManyFields: (fields: number, columns: number) =>
    `${fields} Felder, aber die Kopfzeile hat ${columns} Spalten (ein Trennzeichen in einem Feld ohne Anführungszeichen?).`,
  invalidJson: (detail: string) => `Kein gültiges JSON: ${detail}`,
  expectedOfferArray: () => 'Erwartet wird eine Liste von Angeboten oder { "offers": [ … ] }.',
  duplicateColumn: () => 'Diese Spalte steht zweimal in der Kopfzeile.',
  unknownColumn: (suggestion: string | undefined) =>
    `Unbekannte Spalte${suggestion ? `; meinten Sie ${quote(suggestion)}?` : '.'} Siehe „Spalten“ in der README von @pakt-bw/cli oder „pakt template“.`,
  missingColumn: () => 'Diese Pflichtspalte fehlt.',
  offerColumnDiffers: (line: number, before: string, externalId: string) =>
    `Anders als in Zeile ${line} (${quote(before)}) für das Angebot ${quote(externalId)}; die Spalten eines Angebots müssen in jeder seiner Zeilen gleich sein.`,
  placeDiffers: (place: string, line: number, before: string, after: string) =>
    `Der Ort ${quote(place)} ist in Zeile ${line} als ${quote(before)} beschrieben und hier als ${quote(after)}. Ein Ort ist ein Eintrag für alle Ihre Angebote: beschreiben Sie ihn einmal (andere Zeilen brauchen nur seine location_id) oder in jeder Zeile gleich.`,
  conflictingPlace: (place: string, line: number, before: string, after: string) =>
    `Der Ort ${quote(place)} ist beim Angebot in Zeile ${line} anders beschrieben (dort ${quote(before)}, hier ${quote(after)}); beschreiben Sie einen Ort überall gleich.`,
  agsZeroRestored: (column: string, count: number, line: number) =>
    `${column}: ${plural(count, 'Schlüssel', 'Schlüssel')} mit 7 Ziffern (zuerst in Zeile ${line}) mit führender 0 gelesen (z. B. 8111000 → 08111000): Excels Zahlenformat lässt sie weg. Formatieren Sie die Spalte als Text, dann bleibt sie erhalten.`,
  badAgs: (value: string, column: string) =>
    `${quote(value)} ist kein 8-stelliger Amtlicher Gemeindeschlüssel (z. B. „08111000“). Zeigt Ihre Tabelle den Schlüssel richtig an, formatieren Sie die Spalte „${column}“ als Text, damit Excel alle Ziffern behält.`,
  invalidAgs: (value: string) => `${quote(value)} ist kein 8-stelliger Amtlicher Gemeindeschlüssel, z. B. „08111000“.`,
  expectedDate: (value: string) =>
    `Erwartet wird ein Datum wie 02.03.2026, 02.03.2026 09:00, 2026-03-02 09:00 (deutsche Zeit) oder 2026-03-02T09:00:00+01:00, nicht ${quote(value)}.`,
  expectedInteger: (value: string) => `Erwartet wird eine ganze Zahl, nicht ${quote(value)}.`,
  expectedNumber: (value: string) => `Erwartet wird eine Zahl, nicht ${quote(value)}.`,
  expectedYesNo: (value: string) => `Erwartet wird ja oder nein, nicht ${quote(value)}.`,
  expectedSchedule: (value?: string) =>
    `Erwartet werden Wochenzeiten wie „Mo 09:00-12:15; Mi 09:00-12:15“${value === undefined ? '' : `, nicht ${quote(value)}`}.`,

  // ── Angebote prüfen ──
  required: () => 'Pflichtangabe.',
  requiredOneOf: (allowed: readonly string[]) => `Pflichtangabe: eins von ${allowed.join(', ')}.`,
  notOneOf: (value: string, allowed: readonly string[]) => `${quote(value)} ist keins von ${allowed.join(', ')}.`,
  expectedOffer: () => 'Erwartet wird ein Objekt (ein Angebot).',
  expectedObject: () => 'Erwartet wird ein Objekt.',
  expectedList: () => 'Erwartet wird eine Liste.',
  expectedText: (type: string) => `Erwartet wird Text, nicht ${type}.`,
  tooLong: (max: number, length: number) => `Höchstens ${number(max)} Zeichen (hier ${number(length)}).`,
  expectedBoolean: (value: string) => `Erwartet wird true oder false, nicht ${quote(value)}.`,
  negative: () => 'Darf nicht negativ sein.',
  outOfRange: (min: number, max: number) => `Erwartet wird eine Zahl von ${number(min)} bis ${number(max)}.`,
  expectedIsoDateTime: () => 'Erwartet wird Datum und Uhrzeit nach ISO 8601 mit Zeitzone, z. B. 2026-03-02T09:00:00+01:00.',
  expectedCodes: () => 'Erwartet wird eine Liste von Codes, z. B. ["de", "ar"].',
  germanRequired: () => 'Ein deutscher Titel (title_de) ist Pflicht.',
  expectedTranslation: () => 'Erwartet wird { language, title, description? }.',
  secondTranslation: (language: string) => `Zweite Übersetzung für ${quote(language)}.`,
  cefrRange: (from: string, to: string) => `cefr_to (${to}) liegt unter cefr_from (${from}).`,
  duplicateOffer: (externalId: string, line: number) => `${quote(externalId)} kommt zweimal vor (zuerst in Zeile ${line}).`,
  duplicateLocation: (id: string) => `Der Ort ${quote(id)} kommt in diesem Angebot zweimal vor.`,
  duplicateSlot: (id: string) => `Der Termin ${quote(id)} kommt in diesem Angebot zweimal vor.`,
  municipalityRequired: () => 'Pflichtangabe: die Gemeinde (AGS) oder mindestens ein Ort (location_id mit location_ags).',
  expectedEmail: (value: string) => `Erwartet wird eine E-Mail-Adresse, nicht ${quote(value)}.`,
  expectedUrl: (value: string) => `Erwartet wird eine http(s)-Adresse, nicht ${quote(value)}.`,
  tooManySlots: (max: number) => `Höchstens ${number(max)} Termine je Angebot.`,
  endBeforeStart: () => 'ends_at liegt vor starts_at.',
  seatsAboveCapacity: (seats: number, capacity: number) => `seats_available (${seats}) ist größer als capacity (${capacity}).`,
  problemsFound: (count: number, file: string) => `${plural(count, 'Problem', 'Probleme')} in ${file}; nichts wurde gesendet.`,
  andMore: (count: number) => `… und ${number(count)} weitere.`,
  validated: (file: string, offers: number) => `${file}: ${plural(offers, 'Angebot', 'Angebote')}, keine Probleme gefunden.`,

  // ── Übertragen ──
  runKey: (key: string) => `Laufschlüssel ${key} (bricht dieser Lauf ab, setzen Sie ihn mit --idempotency-key ${key} fort)`,
  resuming: (key: string) => `Lauf ${key} wird fortgesetzt: was er schon gesendet hatte, beantwortet der Server aus seinen Aufzeichnungen`,
  checking: (processed: number, total: number, batches: number) => `Prüfe ${processed}/${total} Angebote, ${plural(batches, 'Paket', 'Pakete')}`,
  syncing: (processed: number, total: number, batches: number) => `Übertrage ${processed}/${total} Angebote, ${plural(batches, 'Paket', 'Pakete')}`,
  wouldDelete: (count: number, live: number, provider: string) =>
    `Diese FULL-Synchronisierung löscht ${plural(count, 'Angebot', 'Angebote')} von ${provider} (von ${number(live)}, ${percent(live === 0 ? 0 : count / live)}), ${count === 1 ? 'das' : 'die'} nicht in der Datei ${count === 1 ? 'steht' : 'stehen'}:`,
  confirmedByYes: () => 'Sie werden gelöscht (--yes).',
  needsYes: () => 'Nichts wurde geschrieben: Löschen braucht eine Bestätigung. Prüfen Sie die Liste oben (oder mit --dry-run), dann erneut mit --yes aufrufen.',
  confirmQuestion: (count: number) => `${plural(count, 'Angebot', 'Angebote')} löschen und die Datei übertragen? [j/N] `,
  isYes: (answer: string) => /^(j|ja|y|yes)$/i.test(answer),
  notConfirmed: () => 'Nichts wurde geschrieben: das Löschen wurde nicht bestätigt.',
  tooManyDeletions: (count: number, live: number, ratio: number, allowMassDelete: boolean) =>
    `Nichts wurde geschrieben: diese FULL-Synchronisierung würde ${plural(count, 'Angebot', 'Angebote')} von ${number(live)} löschen (${percent(live === 0 ? 0 : count / live)}), mehr als die erlaubten ${percent(ratio)}. ` +
    (allowMassDelete
      ? 'Prüfen Sie die Datei.'
      : `Ist die Datei vollständig (alle Blätter, alle Zeilen)? Enden diese Angebote wirklich, rufen Sie mit --max-delete ${Math.ceil((count / Math.max(live, 1)) * 100)} oder --allow-mass-delete auf.`),
  catalogueChanged: (count: number, confirmed: number) =>
    `Nichts weiter wurde geschrieben: das letzte Paket würde jetzt ${number(count)} Angebote löschen, nicht die bestätigten ${number(confirmed)} (Ihre Angebote haben sich inzwischen geändert). Bitte erneut aufrufen.`,
  partialBeforeRefusal: () => 'Die früheren Pakete waren schon geschrieben (nur Anlegen und Ändern; gelöscht wurde nichts).',
  syncFailed: (message: string, requestId: string | undefined) => `Übertragung fehlgeschlagen: ${message}${requestId ? ` (Anfrage-ID ${requestId})` : ''}`,
  keyReused: () => 'dieser Laufschlüssel wurde mit anderen Angeboten benutzt (die Datei hat sich seitdem geändert); erneut ohne --idempotency-key aufrufen.',
  howToResume: (key: string) =>
    `um diesen Lauf genau fortzusetzen (was er schon geschrieben hat, wird nicht noch einmal geschrieben), denselben Befehl mit --idempotency-key ${key} aufrufen`,
  forbidden: (provider: string) =>
    `der API-Schlüssel darf für ${quote(provider)} keine Angebote schreiben; prüfen Sie --provider und die Rechte des Schlüssels.`,
  checkApiKey: () => 'prüfen Sie PAKT_API_KEY.',

  // ── der Bericht ──
  dryRunHeading: (total: number, file: string, provider: string, mode: string) =>
    `Probelauf (nichts geändert): ${plural(total, 'Angebot', 'Angebote')} aus ${file} für ${provider}, Modus ${mode}`,
  runHeading: (total: number, file: string, provider: string, mode: string) =>
    `${plural(total, 'Angebot', 'Angebote')} aus ${file} für ${provider}, Modus ${mode}`,
  status: (status: SyncStatus) => ({ CREATED: 'neu', UPDATED: 'geändert', UNCHANGED: 'unverändert', DELETED: 'gelöscht', FAILED: 'fehlgeschlagen' })[status],
  wouldCreate: () => 'Würde angelegt:',
  wouldUpdate: () => 'Würde geändert:',
  wouldDeleteSection: () => 'Würde gelöscht:',
  created: () => 'Angelegt:',
  updated: () => 'Geändert:',
  deleted: () => 'Gelöscht:',
  revived: () => 'gelöschtes Angebot wiederhergestellt',
  slotWord: () => 'Termin',
  none: () => '—',
  replayedNote: (replayed: number, batches: number) =>
    `Hinweis: ${replayed} von ${plural(batches, 'Paket', 'Paketen')} hatte ein Lauf mit diesem Laufschlüssel schon gesendet; der Server hat aus seinen Aufzeichnungen geantwortet und nichts noch einmal geschrieben (als unverändert gezählt).`,
  deletionsSkipped: () =>
    'Nichts wurde gelöscht: im Modus FULL löscht der Server nur, wenn kein Angebot fehlgeschlagen ist. Beheben Sie die fehlgeschlagenen Angebote und rufen Sie erneut auf.',
  dryRunWouldBeRefused: (count: number, live: number, ratio: number) =>
    `Achtung: ein echter Lauf würde es ablehnen, ${number(count)} von ${number(live)} Angeboten zu löschen (${percent(count / live)}, mehr als ${percent(ratio)}); siehe --max-delete.`,
  failedOffers: () => 'Fehlgeschlagene Angebote:',
  noExternalId: () => '(ohne external_id)',
  serverError: (code: string, message: string) => `${SERVER_CODES_DE[code] ? `${SERVER_CODES_DE[code]} – ` : ''}${message} (${code})`,

  // ── die Vorlage ──
  csvSeparator: ';',
  offersSheet: () => 'Angebote',
  helpSheet: () => 'Erläuterungen',
  columnWord: () => 'Spalte',
  requiredWord: () => 'Pflicht',
  meaningWord: () => 'Bedeutung',
  yesWord: () => 'ja',
  templateIntro: () =>
    'Eine Zeile je Kurstermin (slot); die Spalten des Angebots wiederholen sich in jeder seiner Zeilen. Einen Ort einmal beschreiben (andere Zeilen brauchen nur seine location_id). Zeiten sind deutsche Zeit; ein Datum ohne Uhrzeit in ends_at oder registration_deadline meint das Ende dieses Tages.',
  columnHelp: (column: string) => COLUMN_HELP_DE[column] ?? translationHelp(column),
};

/** What the server's codes mean, for the German report (the server's message follows in English). */
const SERVER_CODES_DE: Record<string, string> = {
  UNKNOWN_MUNICIPALITY: 'Unbekannter Gemeindeschlüssel',
  UNKNOWN_LANGUAGE: 'Unbekannter Sprachcode',
  UNKNOWN_TARGET_GROUP: 'Unbekannte Zielgruppe',
  UNKNOWN_PROGRAMME: 'Unbekanntes Förderprogramm',
  UNKNOWN_LOCATION: 'Unbekannter Ort',
  CONFLICTING_LOCATION: 'Ort anders beschrieben als bei einem anderen Angebot',
  DUPLICATE_EXTERNAL_ID: 'Kennung doppelt',
  MUNICIPALITY_REQUIRED: 'Gemeinde oder Ort fehlt',
  GERMAN_TITLE_REQUIRED: 'Deutscher Titel fehlt',
  INVALID_CHARACTERS: 'Unzulässige Zeichen',
  REQUIRED: 'Pflichtangabe',
  TOO_LONG: 'Zu lang',
  OUT_OF_RANGE: 'Außerhalb des erlaubten Bereichs',
  END_BEFORE_START: 'Ende vor Beginn',
  SEATS_ABOVE_CAPACITY: 'Mehr freie Plätze als Plätze',
  CEFR_RANGE: 'Niveaustufen vertauscht',
};

function translationHelp(column: string): string {
  const match = /^(title|description|translation_status)_(.+)$/.exec(column);
  if (!match) return '';
  const language = match[2];
  if (match[1] === 'title') return `Titel auf ${language} (title_de ist Pflicht; title_ar, title_uk, … nach Bedarf).`;
  if (match[1] === 'description') return `Beschreibung auf ${language}; Zeilenumbrüche erlaubt.`;
  return `Wie der Text auf ${language} entstand: ORIGINAL, HUMAN_TRANSLATED (von Menschen übersetzt), MACHINE_TRANSLATED (maschinell), OUTDATED (veraltet).`;
}

const COLUMN_HELP_DE: Record<string, string> = {
  external_id: 'Ihre eigene Kennung des Angebots; in jeder Zeile des Angebots gleich. Nie für ein anderes Angebot wiederverwenden.',
  category:
    'LANGUAGE_COURSE (Sprachkurs), INTEGRATION_MANAGEMENT (Integrationsmanagement), MIGRATION_COUNSELLING (Migrationsberatung), CIVIC_ENGAGEMENT (Ehrenamt), SCHOOL_TO_WORK (Übergang Schule–Beruf), CHILDCARE_FAMILY (Kinder und Familie) oder OTHER.',
  status: 'PUBLISHED (Vorgabe: Portale zeigen es), DRAFT (Entwurf) oder ARCHIVED.',
  modality: 'IN_PERSON (Vorgabe: vor Ort), ONLINE oder HYBRID.',
  programme: 'Kürzel des Förderprogramms, z. B. pakt-spracherwerb (freiwillig).',
  municipality_ags:
    'Amtlicher Gemeindeschlüssel (8 Ziffern, z. B. 08116019), wo das Angebot stattfindet; Vorgabe: der des ersten Orts. Spalte als Text formatieren.',
  languages: 'Sprachen, in denen das Angebot stattfindet, z. B. de;ar;fa.',
  target_groups: 'Zielgruppen, z. B. REFUGEES;WOMEN;PARENTS.',
  eligibility: 'Wer teilnehmen kann (freier Text).',
  cost: 'Was es kostet (freier Text); leer heißt kostenlos.',
  is_free: 'ja/nein; Vorgabe: kostenlos, wenn cost leer ist.',
  contact_email: 'E-Mail-Adresse für Fragen zum Angebot.',
  contact_phone: 'Telefonnummer für Fragen zum Angebot.',
  website: 'Internetseite des Angebots (http oder https).',
  course_type:
    'Bei Sprachkursen: INTEGRATIONSKURS, JUGENDINTEGRATIONSKURS, ELTERN_FRAUENINTEGRATIONSKURS, ALPHABETISIERUNGSKURS, BERUFSSPRACHKURS, ERSTORIENTIERUNGSKURS oder OTHER.',
  cefr_from: 'Niveau am Anfang: A1 … C2.',
  cefr_to: 'Niveau am Ende: A1 … C2.',
  teaching_units: 'Unterrichtseinheiten, ganze Zahl.',
  childcare: 'ja/nein: Kinderbetreuung während des Kurses.',
  location_id: 'Ihre Kennung des Orts dieses Termins. Den Ort einmal beschreiben; andere Zeilen (auch anderer Angebote) brauchen nur diese Kennung.',
  location_name: 'Name des Orts, z. B. Bürgerhaus (Vorgabe: Straße und Ort).',
  street: 'Straße und Hausnummer.',
  postal_code: 'Postleitzahl; Spalte als Text formatieren.',
  city: 'Ort.',
  location_ags: 'Amtlicher Gemeindeschlüssel des Orts (Vorgabe: municipality_ags des Angebots).',
  latitude: 'Breitengrad, z. B. 48,7413 (Vorgabe: Mitte der Gemeinde).',
  longitude: 'Längengrad, z. B. 9,3071.',
  accessibility: 'Barrierefreiheit des Orts (freier Text).',
  slot_id: 'Ihre Kennung dieses Termins (Kursbeginn); Pflicht in Zeilen mit Termin.',
  starts_at: 'Beginn: 02.03.2026 09:00 (deutsche Zeit) oder eine Excel-Datumszelle.',
  ends_at: 'Ende; ein Datum ohne Uhrzeit meint das Ende dieses Tages.',
  schedule: 'Wochenzeiten, z. B. Mo 09:00-12:15; Mi 09:00-12:15.',
  rolling_entry: 'ja/nein: Einstieg jederzeit möglich.',
  capacity: 'Plätze insgesamt (ganze Zahl).',
  seats_available: 'Noch freie Plätze; 0 meldet den Termin als ausgebucht.',
  waiting_list: 'ja/nein: es gibt eine Warteliste.',
  registration_deadline: 'Anmeldeschluss; 31.12.2026 heißt: bis Ende dieses Tages.',
  slot_status: 'SCHEDULED (Vorgabe: geplant), FULL (ausgebucht) oder CANCELLED (abgesagt).',
};
