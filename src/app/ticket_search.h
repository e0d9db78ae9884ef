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
                       const std::string& description);

// The condition (on alias t) that a request contains `q` in its number, title or description,
// case-insensitively for ASCII, with its parameters appended to `params`. Uses the index for
// every run of two or more characters in `q`, then confirms the exact substring.
std::string search_condition(store::Dialect dialect, const std::string& q, std::vector<store::Value>* params);

// Indexes requests missing from the index (stored before it existed, or by an older
// version); returns how many. Runs in batches of its own transactions.
std::int64_t index_unindexed_tickets(store::Database& db);

}  // namespace aftersales::app
