// Pinyin-insensitive matching for the intake pickers: "hx", "huaxin" or "hua xin" find "华鑫…".
// The pinyin dictionary (npm pinyin-pro) is loaded on first use, in its own chunk, so it never weighs
// on the first page; until it is there, matching is by plain substring.

export type MatchFn = (text: string, query: string) => boolean;
type PinyinMatch = (text: string, pinyin: string, options?: { continuous?: boolean }) => number[] | null;

const HAN = /[\u3400-\u9fff]/;
const LATIN_QUERY = /^[a-z\s']+$/i;

/** Case-insensitive substring match, the fallback and the first test. */
export function substringMatch(text: string, query: string): boolean {
  const q = query.trim().toLowerCase();
  return q === '' || text.toLowerCase().includes(q);
}

/**
 * A matcher over pinyin-pro's `match`: a query of Latin letters also matches Chinese text by its
 * pinyin — full syllables, initials or a mix ("hxkj", "huaxkj") — on consecutive characters.
 */
export function makeMatcher(pinyinMatch: PinyinMatch): MatchFn {
  return (text, query) => {
    if (substringMatch(text, query)) return true;
    if (!LATIN_QUERY.test(query) || !HAN.test(text)) return false;
    const q = query.toLowerCase().replace(/[\s']+/g, '');
    if (!q) return true;
    try {
      return pinyinMatch(text, q, { continuous: true }) !== null;
    } catch {
      return false;
    }
  };
}

let loading: Promise<MatchFn> | null = null;

/** The pinyin matcher, loading the dictionary chunk once (a failed load is retried next time). */
export function loadPinyinMatcher(): Promise<MatchFn> {
  if (!loading) {
    loading = import('pinyin-pro').then(
      (m) => makeMatcher(m.match as PinyinMatch),
      (e: unknown) => {
        loading = null;
        throw e;
      },
    );
  }
  return loading;
}

/** Options found by the server for the query, then those of the preloaded list that match it locally. */
export function mergeOptions<T extends { value: number | string; label: string }>(server: readonly T[], local: readonly T[], query: string, match: MatchFn): T[] {
  const seen = new Set(server.map((o) => o.value));
  return [...server, ...local.filter((o) => !seen.has(o.value) && match(o.label, query))];
}
