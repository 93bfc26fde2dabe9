// The shortlist of a consultation: offer ids kept in this browser's localStorage only, so nothing
// about the person being advised reaches the server. One printed page holds MAX_SHORTLIST offers.
const KEY = 'pakt.shortlist';
export const MAX_SHORTLIST = 4;

export function shortlistIds(): string[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string').slice(0, MAX_SHORTLIST) : [];
  } catch {
    return [];
  }
}

function save(ids: readonly string[]): void {
  localStorage.setItem(KEY, JSON.stringify(ids));
  window.dispatchEvent(new Event('pakt-shortlist'));
}

export function onShortlist(id: string): boolean {
  return shortlistIds().includes(id);
}

/** Adds or removes an offer; false when the list is full and it was not on it. */
export function toggleShortlist(id: string): boolean {
  const ids = shortlistIds();
  if (ids.includes(id)) {
    save(ids.filter((other) => other !== id));
    return true;
  }
  if (ids.length >= MAX_SHORTLIST) return false;
  save([...ids, id]);
  return true;
}

export function clearShortlist(): void {
  save([]);
}

/** Calls `listener` whenever the list changes (in this tab or another). */
export function watchShortlist(listener: () => void): void {
  window.addEventListener('pakt-shortlist', listener);
  window.addEventListener('storage', (event) => {
    if (event.key === KEY) listener();
  });
}
