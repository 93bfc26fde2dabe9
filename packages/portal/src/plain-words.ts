// Eligibility and cost in plain words, in the interface language, from the structured fields:
// "Open to: people with a Duldung, …", "from 16 years", "€2.29 per lesson", "Free on Bürgergeld".
import type { CostFieldsFragment, EligibilityFieldsFragment } from '@pakt-bw/sdk';
import { format } from './format.js';
import type { Messages, UiLanguage } from './i18n/index.js';

/**
 * The eligibility rules as sentences; empty when the provider states none. `brief` (the printed
 * handout) leaves out the residence situations and literacy: the person advised is there already.
 */
export function eligibilityLines(e: EligibilityFieldsFragment | null | undefined, language: UiLanguage, messages: Messages, brief = false): string[] {
  if (!e) return [];
  const f = format(language);
  const n = (value: number) => f.number.format(value);
  const lines: string[] = [];
  const statuses = e.residenceStatuses.includes('ANYONE') ? ['ANYONE' as const] : e.residenceStatuses;
  if (statuses.length > 0 && !brief) lines.push(messages.openTo(f.list.format(statuses.map((s) => messages.residence[s]))));
  if (e.minAge != null && e.maxAge != null) lines.push(messages.ageRange(n(e.minAge), n(e.maxAge)));
  else if (e.minAge != null) lines.push(messages.ageFrom(n(e.minAge)));
  else if (e.maxAge != null) lines.push(messages.ageUpTo(n(e.maxAge)));
  if (e.genderRestriction === 'WOMEN') lines.push(messages.onlyWomen);
  if (e.genderRestriction === 'MEN') lines.push(messages.onlyMen);
  if (e.bamfAdmissionRequired === true) lines.push(messages.bamfRequired);
  if (e.bamfAdmissionRequired === false) lines.push(messages.bamfNotRequired);
  if (e.minGermanLevel) lines.push(messages.germanLevel(e.minGermanLevel));
  if (e.literacy && !brief) lines.push(messages.literacy[e.literacy]);
  return lines;
}

/** The cost as sentences: free, the prices, who pays less or nothing; empty when nothing is stated. */
export function costLines(c: CostFieldsFragment, language: UiLanguage, messages: Messages): string[] {
  const f = format(language);
  const lines: string[] = [];
  if (c.isFree && c.costOptions.length === 0) lines.push(messages.free);
  for (const option of c.costOptions) {
    const price = messages.price[option.unit](f.money(option.price.amount, option.price.currency));
    lines.push(price);
  }
  const free = c.costExemptions.filter((e) => e.free).map((e) => messages.exemptions[e.kind]);
  const reduced = c.costExemptions.filter((e) => !e.free).map((e) => messages.exemptions[e.kind]);
  if (free.length > 0) lines.push(messages.exemptFree(f.list.format(free)));
  if (reduced.length > 0) lines.push(messages.exemptReduced(f.list.format(reduced)));
  return lines;
}
