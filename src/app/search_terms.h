// Full-text search of request texts in Chinese (and mixed) without a word segmenter: a text is
// indexed by the overlapping character pairs of each run of letters and digits, the way CJK
// search engines commonly index (the "bigram" approach), so that any substring of two or more
// characters can be found through the index. A search then confirms the exact substring with
// LIKE on the few rows the index returns, so the answer is exact and the index only makes it
// fast. Pure functions; the SQL lives with the ticket queries.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace aftersales::app {

// The distinct index terms of `text`: lower-cased character bigrams of each run of letters and
// digits (whitespace and punctuation, ASCII or CJK, end a run); a run of a single character
// is a term of its own. Sorted, no duplicates.
std::vector<std::string> search_terms(std::string_view text);

// The terms a query must all match: the bigrams of its runs. Single-character runs give none
// (the index cannot answer them; the exact LIKE check still applies).
std::vector<std::string> query_terms(std::string_view query);

// PostgreSQL: the term of the (UTC) month a request was reported in, "#2026-12". Stored with
// the request's text terms; no query term can equal it (query terms are letters and digits).
// A search can then ask the pair index for a text within the last few months alone.
std::string month_term(std::int64_t reported_at_ms);
// The month terms of the `months` months up to and including the one of `newest_ms`, newest first.
std::vector<std::string> recent_month_terms(std::int64_t newest_ms, int months);

// SQLite FTS5 document: the terms separated by spaces.
std::string fts_document(const std::vector<std::string>& terms);
// SQLite FTS5 MATCH expression requiring every term: "ab" AND "bc" ...
std::string fts_match(const std::vector<std::string>& terms);
// PostgreSQL text[] literal: {ab,bc,...}
std::string pg_array_literal(const std::vector<std::string>& terms);

}  // namespace aftersales::app
