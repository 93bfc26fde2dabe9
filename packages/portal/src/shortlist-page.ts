// The shortlist of a consultation as a one-page handout, bilingual: the client's language beside
// German (the client reads it, the course office understands it), with addresses, dates, phone
// numbers and a QR code back to each offer's page. The list lives in this browser only
// (shortlist.ts); the offers are fetched by id, nothing about the client is sent.
import { PortalShortlistDocument, type PortalShortlistQuery } from '@pakt-bw/sdk';
import { byId, h } from './dom.js';
import { format, offerPath, telHref } from './format.js';
import { isRtl, isUiLanguage, loadMessages, MESSAGES, UI_LANGUAGES, type UiLanguage } from './i18n/index.js';
import { slotItem } from './offer-card.js';
import { applyDocumentLanguage, connect, initialLanguage, languagePicker, params } from './page.js';
import { costLines, eligibilityLines } from './plain-words.js';
import { qrCode } from './qr.js';
import { clearShortlist, shortlistIds, toggleShortlist, watchShortlist } from './shortlist.js';
import './style.css';

type Node = NonNullable<PortalShortlistQuery['nodes'][number]>;
type Offer = Extract<Node, { __typename: 'Offer' }>;

let language: UiLanguage = initialLanguage();
const fromUrl = params.get('client');
/** The client's language: ?client=, else the interface language, else English beside German. */
let client: UiLanguage = isUiLanguage(fromUrl) && fromUrl !== 'de' ? fromUrl : language !== 'de' ? language : 'en';
let api = connect(language);
let offers: Offer[] = [];

const main = byId<HTMLElement>('handout');
const tools = byId<HTMLElement>('handout-tools');
const sheet = byId<HTMLElement>('handout-sheet');

/** The offer's title in `lang`, or its German one (marked as German) when it has none. */
function titleIn(offer: Offer, lang: UiLanguage): { text: string; lang: string } {
  const found = offer.translations.find((t) => t.language.code === lang) ?? offer.translations.find((t) => t.language.code === 'de');
  return { text: found?.title ?? offer.title.value, lang: found?.language.code ?? 'de' };
}

/** One language's column of an offer: title, kind, dates, who may join, what it costs. */
function column(offer: Offer, lang: UiLanguage): HTMLElement {
  const m = MESSAGES[lang];
  const title = titleIn(offer, lang);
  const context = { language: lang, messages: m };
  const details = [...eligibilityLines(offer.eligibilityDetails, lang, m, true), ...costLines(offer, lang, m)];
  // Two dates are enough on paper; the QR code leads to all of them.
  const slots = offer.nextSlots.slice(0, 2);
  return h(
    'div',
    { class: 'handout-column', lang, dir: isRtl(lang) ? 'rtl' : 'ltr', 'data-lang': lang },
    h('p', { class: 'handout-kind' }, m.categories[offer.category], ' · ', m.modality[offer.modality]),
    h('h3', { class: 'handout-offer-title', lang: title.lang, dir: isRtl(title.lang as UiLanguage) ? 'rtl' : 'ltr' }, title.text),
    slots.length > 0
      ? h(
          'ul',
          { class: 'slots handout-slots' },
          slots.map((slot) => slotItem(slot, context)),
        )
      : h('p', { class: 'slots-none' }, m.noDates),
    details.length > 0
      ? h(
          'ul',
          { class: 'plain-list' },
          details.map((line) => h('li', {}, line)),
        )
      : null,
  );
}

function offerBlock(offer: Offer): HTMLElement {
  const url = new URL(offerPath(offer.id), location.origin);
  url.searchParams.set('lang', client);
  const phone = offer.contactPhone ?? offer.provider.phone;
  const email = offer.contactEmail ?? offer.provider.email;
  const place = offer.locations[0];
  const address = place
    ? [place.name, place.street, [place.postalCode, place.city].filter(Boolean).join(' ')].filter(Boolean).join(', ')
    : offer.municipality.name;
  const remove = h('button', { type: 'button', class: 'button small no-print' }, MESSAGES[language].remove);
  remove.addEventListener('click', () => toggleShortlist(offer.id));
  return h(
    'article',
    { class: 'handout-offer', 'data-offer-id': offer.id },
    h(
      'div',
      { class: 'handout-qr' },
      qrCode(url.toString(), `${MESSAGES[client].scanToOpen} / ${MESSAGES.de.scanToOpen}`),
      h('p', { class: 'handout-url', dir: 'ltr' }, url.host + url.pathname),
    ),
    h('div', { class: 'handout-columns' }, column(offer, client), column(offer, 'de')),
    h(
      'p',
      { class: 'handout-contact', dir: 'ltr' },
      h('bdi', { class: 'provider' }, offer.provider.name),
      ' · ',
      h('bdi', {}, address),
      phone ? [' · ☎ ', h('a', { href: telHref(phone) }, phone)] : null,
      email ? [' · ', h('bdi', {}, email)] : null,
    ),
    remove,
  );
}

function renderSheet() {
  const cm = MESSAGES[client];
  const de = MESSAGES.de;
  const f = format(client);
  const today = new Date().toISOString();
  sheet.replaceChildren(
    h(
      'header',
      { class: 'handout-header' },
      h(
        'div',
        { class: 'handout-column', lang: client, dir: isRtl(client) ? 'rtl' : 'ltr' },
        h('h1', {}, cm.handoutTitle),
        h('p', {}, cm.handoutIntro),
        h('p', { class: 'handout-date' }, f.day(today)),
      ),
      h(
        'div',
        { class: 'handout-column', lang: 'de', dir: 'ltr' },
        h('p', { class: 'handout-h1-de', role: 'heading', 'aria-level': '2' }, de.handoutTitle),
        h('p', {}, de.handoutIntro),
        h('p', { class: 'handout-date' }, format('de').day(today)),
      ),
    ),
    offers.length > 0 ? h('div', { class: 'handout-offers' }, offers.map(offerBlock)) : h('p', { class: 'summary' }, MESSAGES[language].shortlistEmpty),
  );
}

function renderTools() {
  const m = MESSAGES[language];
  const select = h('select', { id: 'client-language', name: 'client' });
  select.replaceChildren(
    ...UI_LANGUAGES.filter((ui) => ui.code !== 'de').map((ui) => {
      const option = h('option', { value: ui.code, lang: ui.code }, ui.name);
      option.selected = ui.code === client;
      return option;
    }),
  );
  select.addEventListener('change', async () => {
    if (!isUiLanguage(select.value)) return;
    await loadMessages(select.value);
    client = select.value;
    const next = new URLSearchParams(location.search);
    next.set('client', client);
    history.replaceState(null, '', `${location.pathname}?${next.toString()}`);
    renderSheet();
  });
  const print = h('button', { type: 'button', class: 'button primary', id: 'print' }, m.print);
  print.addEventListener('click', () => window.print());
  const clear = h('button', { type: 'button', class: 'button' }, m.clearList);
  clear.addEventListener('click', () => clearShortlist());
  tools.replaceChildren(
    h('h1', { class: 'tools-title' }, m.shortlist(format(language).number.format(offers.length))),
    h('p', { class: 'hint' }, m.keptInBrowser),
    h('div', { class: 'field field-inline' }, h('label', { for: 'client-language' }, m.clientLanguage), select),
    h('p', { class: 'offer-actions' }, print, clear, h('a', { class: 'button', href: `/?lang=${language}` }, m.backToSearch)),
  );
}

async function load(): Promise<void> {
  await loadMessages(language, client, 'de');
  const messages = applyDocumentLanguage(language, (m) => m.shortlist(''));
  byId<HTMLAnchorElement>('back-link').href = `/?lang=${language}`;
  main.setAttribute('aria-busy', 'true');
  main.dataset.state = 'loading';
  const ids = shortlistIds();
  try {
    const { nodes } = ids.length > 0 ? await api.request(PortalShortlistDocument, { ids }) : { nodes: [] };
    // Offers no longer published come back as null: they drop out of the handout.
    offers = nodes.filter((node): node is Offer => node?.__typename === 'Offer');
    renderTools();
    renderSheet();
    main.dataset.state = 'ready';
  } catch (error) {
    console.error(error);
    const retry = h('button', { type: 'button', class: 'button small' }, messages.retry);
    retry.addEventListener('click', () => void load());
    sheet.replaceChildren(h('p', { class: 'error', role: 'alert' }, messages.apiDown, ' ', retry));
    main.dataset.state = 'error';
  } finally {
    main.setAttribute('aria-busy', 'false');
    document.body.dataset.ready = 'true';
  }
}

languagePicker(byId<HTMLSelectElement>('ui-language'), language, (next) => {
  language = next;
  api = connect(language);
  const url = new URLSearchParams(location.search);
  url.set('lang', language);
  history.replaceState(null, '', `${location.pathname}?${url.toString()}`);
  void load();
});
watchShortlist(() => void load());
void load();
