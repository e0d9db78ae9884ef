// The SQL side of request search: writing a request's terms to the index, the WHERE clause of
// a search, and indexing requests that were stored before the index existed.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "store/sql.h"

namespace aftersales::app {

// Adds request `id` to the search index, in the caller's (creating) transaction.
void index_ticket_text(store::Connection& c, std::int64_t id, const std::string& number, const std::string& title,
                       const std::string& description, std::int64_t reported_at);
// The same with the terms of its title and description (text_terms) found beforehand: an intake
// finds them before its write, so that SQLite's single writer thread, which every write waits
// for, does not. A term never spans a space, so the number's terms are simply added.
// `text_terms` as text_terms() returns them: sorted, without repeats.
std::vector<std::string> text_terms(const std::string& title, const std::string& description);
void index_ticket_terms(store::Connection& c, std::int64_t id, const std::string& number,
                        std::vector<std::string> text_terms, std::int64_t reported_at);
// PostgreSQL: the terms stored with a request (tickets.search_terms), as a text[] literal: those
// of its number, title and description, and the month it was reported in (month_term).
std::string pg_row_terms(const std::string& number, const std::string& title, const std::string& description,
                         std::int64_t reported_at);
// Whether the pair index takes part in a search for `q` (not for an acceptance number's start,
// nor for a text of single characters, which only the substring check answers).
bool uses_pair_index(const std::string& q);

// The condition (on alias t) that a request contains `q` in its number, title or description,
// case-insensitively for ASCII, with its parameters appended to `params`. Uses the index for
// every run of two or more characters in `q`, then confirms the exact substring.
//
// On SQLite the plan depends on how many requests hold the query's terms: for a few, the index
// lists them and they are sorted; for many (a common word in a million requests), reading the
// requests in the list's order and keeping those in the index's answer finds the first page
// sooner. `count_candidates` tells which (call it in the same read transaction).
std::string search_condition(store::Dialect dialect, const std::string& q, std::vector<store::Value>* params,
                             bool many_candidates = false);
// Whether more than `bound` requests hold every term of `q` (SQLite; false on PostgreSQL).
bool many_search_candidates(store::Connection& c, const std::string& q, std::int64_t bound = 5000);

// Indexes requests missing from the index (stored before it existed, or by an older
// version); returns how many. Runs in batches of its own transactions.
std::int64_t index_unindexed_tickets(store::Database& db);

}  // namespace aftersales::app
