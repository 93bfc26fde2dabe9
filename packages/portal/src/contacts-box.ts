// "Who helps me here": the contacts responsible for a municipality (integration management and
// counselling first), each with its office, a tap-to-call number, e-mail, languages and opening
// hours with "open now".
import type { ContactFieldsFragment } from '@pakt-bw/sdk';
import { h } from './dom.js';
import { telHref } from './format.js';
import { openingStatus, weekTable } from './hours.js';
import type { Messages, UiLanguage } from './i18n/index.js';

export interface ContactsContext {
  language: UiLanguage;
  messages: Messages;
  /** Heading level of each contact's name (the box's own heading is one above). */
  level: 'h3' | 'h4';
}

export function contactItem(contact: ContactFieldsFragment, { language, messages, level }: ContactsContext): HTMLLIElement {
  const address = [contact.street, [contact.postalCode, contact.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return h(
    'li',
    { class: 'contact', 'data-role': contact.role, 'data-contact-id': contact.id },
    h('p', { class: 'contact-role' }, messages.roles[contact.role]),
    h(level, { class: 'contact-office', lang: 'de', dir: 'ltr' }, contact.officeName),
    address ? h('p', { class: 'contact-address' }, h('bdi', {}, address)) : null,
    h(
      'p',
      { class: 'contact-ways' },
      contact.phone
        ? h('a', { class: 'button small tel', href: telHref(contact.phone) }, `${messages.phone}: `, h('bdi', { dir: 'ltr' }, contact.phone))
        : null,
      contact.email ? h('a', { class: 'contact-mail', href: `mailto:${contact.email}` }, h('bdi', { dir: 'ltr' }, contact.email)) : null,
    ),
    contact.languages.length > 1
      ? h(
          'p',
          { class: 'contact-languages' },
          `${messages.languages}: `,
          contact.languages.flatMap((l, i) => [i > 0 ? ', ' : '', h('span', { lang: l.code, dir: l.rtl ? 'rtl' : 'ltr' }, l.nativeName)]),
        )
      : null,
    contact.openingHours ? openingStatus(contact.openingHours, { language, messages }) : null,
    contact.openingHours
      ? h('details', { class: 'contact-hours' }, h('summary', {}, messages.openingHours), weekTable(contact.openingHours, { language, messages }))
      : null,
    contact.isSample ? h('p', { class: 'tags' }, h('span', { class: 'badge badge-sample' }, messages.sample)) : null,
  );
}

/** The list of contacts, or a sentence saying there are none. */
export function contactList(contacts: readonly ContactFieldsFragment[], context: ContactsContext): HTMLElement {
  if (contacts.length === 0) return h('p', { class: 'contacts-none' }, context.messages.helpersNone);
  return h(
    'ul',
    { class: 'contacts' },
    contacts.map((contact) => contactItem(contact, context)),
  );
}
