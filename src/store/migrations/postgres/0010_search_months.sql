-- Each request's search terms also carry the month it was reported in, '#2026-12' (UTC; see
-- month_term in src/app/search_terms.h): no query term can equal it, since query terms are
-- letters and digits. A search for a text that is common among older requests but absent
-- from the newest ones then asks the pair index for it within the last months first, so that
-- only that stretch's candidates are read and sorted, not every candidate of five years
-- (0.25–0.7 s at a million requests before; docs/PERFORMANCE.md).
UPDATE tickets
   SET search_terms = search_terms || ('#' || to_char(to_timestamp(reported_at / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM'))
 WHERE search_terms IS NOT NULL;
