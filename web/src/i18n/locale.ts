// Locale selection: pure helpers (unit-tested) — no React here. Chinese messages ship with the first
// page; English ones are a separate chunk, fetched only when English is chosen.
import zhCN from '../locales/zh-CN.json';

export const LOCALES = ['zh-CN', 'en-US'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
export const LOCALE_STORAGE_KEY = 'aftersales.locale';

export type Messages = Record<string, string>;

const loaded: Partial<Record<Locale, Messages>> = { 'zh-CN': zhCN };

/** The messages of `locale` if they are here already (always for zh-CN). */
export function messagesIfLoaded(locale: Locale): Messages | undefined {
  return loaded[locale];
}

/** The messages of `locale`, fetching their chunk the first time. */
export async function loadMessages(locale: Locale): Promise<Messages> {
  const have = loaded[locale];
  if (have) return have;
  const m = (await import('../locales/en-US.json')).default as Messages;
  loaded[locale] = m;
  return m;
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Stored choice first; otherwise zh-CN (Chinese first), English only if the stored value says so. */
export function pickLocale(stored: string | null | undefined): Locale {
  return isLocale(stored) ? stored : DEFAULT_LOCALE;
}

export function loadLocale(): Locale {
  try {
    return pickLocale(globalThis.localStorage?.getItem(LOCALE_STORAGE_KEY));
  } catch {
    return DEFAULT_LOCALE;
  }
}

export function saveLocale(locale: Locale): void {
  try {
    globalThis.localStorage?.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    /* private mode etc.: the choice just does not persist */
  }
}
