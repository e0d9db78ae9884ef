#include "app/ticket_search.h"

#include "app/search_terms.h"

#include <algorithm>
#include <cctype>

namespace aftersales::app {

using store::Dialect;
using store::Value;

namespace {

std::vector<std::string> terms_of(const std::string& number, const std::string& title, const std::string& description) {
  return search_terms(number + " " + title + " " + description);
}

std::string like_pattern(const std::string& q) {
  std::string like = "%";
  for (char ch : q) {
    if (ch == '%' || ch == '_' || ch == '\\') like += '\\';
    like += ch;
  }
  return like + "%";
}

}  // namespace

std::vector<std::string> text_terms(const std::string& title, const std::string& description) {
  return search_terms(title + " " + description);
}

void index_ticket_terms(store::Connection& c, std::int64_t id, const std::string& number,
                        std::vector<std::string> terms, std::int64_t reported_at) {
  // Both lists come sorted from search_terms: merged, not sorted again (a sort of the whole
  // list was 2 % of the writer's time per intake).
  const auto own = search_terms(number);
  const auto text_end = static_cast<std::ptrdiff_t>(terms.size());
  terms.insert(terms.end(), own.begin(), own.end());
  std::inplace_merge(terms.begin(), terms.begin() + text_end, terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  if (c.dialect() == Dialect::kSqlite) {
    // At the end of the write transaction: see Connection::before_commit.
    c.before_commit([id, document = fts_document(terms)](store::Connection& tx) {
      tx.query("INSERT INTO ticket_search (rowid, terms) VALUES (?, ?)", {id, document});
    });
  } else {
    terms.push_back(month_term(reported_at));
    c.query("UPDATE tickets SET search_terms = ?::text[] WHERE id = ?", {pg_array_literal(terms), id});
  }
}

void index_ticket_text(store::Connection& c, std::int64_t id, const std::string& number, const std::string& title,
                       const std::string& description, std::int64_t reported_at) {
  index_ticket_terms(c, id, number, text_terms(title, description), reported_at);
}

std::string pg_row_terms(const std::string& number, const std::string& title, const std::string& description,
                         std::int64_t reported_at) {
  auto terms = terms_of(number, title, description);
  terms.push_back(month_term(reported_at));
  return pg_array_literal(terms);
}

bool is_number_prefix(const std::string& q);

bool uses_pair_index(const std::string& q) { return !is_number_prefix(q) && !query_terms(q).empty(); }

bool many_search_candidates(store::Connection& c, const std::string& q, std::int64_t bound) {
  const auto terms = query_terms(q);
  if (is_number_prefix(q)) return false;
  if (c.dialect() != Dialect::kSqlite || terms.empty()) return false;
  return c.query("SELECT count(*) AS n FROM (SELECT rowid FROM ticket_search WHERE ticket_search MATCH ? LIMIT ?) AS m",
                 {fts_match(terms), bound + 1})
             .rows[0]
             .i64("n") > bound;
}

// "FW2026", "fw20261123-00": the start of an acceptance number, answered by the unique index on
// numbers as a range (every request of a day or a year shares the number's first characters).
bool is_number_prefix(const std::string& q) {
  if (q.size() < 2 || q.size() > 20 || std::toupper(static_cast<unsigned char>(q[0])) != 'F' ||
      std::toupper(static_cast<unsigned char>(q[1])) != 'W')
    return false;
  return std::all_of(q.begin() + 2, q.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)) || ch == '-'; });
}

std::string search_condition(Dialect dialect, const std::string& q, std::vector<Value>* params, bool many_candidates) {
  if (is_number_prefix(q)) {
    const std::string prefix = "FW" + q.substr(2);
    params->insert(params->end(), {prefix, prefix + "~"});  // '~' sorts after every digit and '-'
    return "(t.number >= ? AND t.number < ?)";
  }
  std::string sql = "(";
  const auto terms = query_terms(q);
  if (!terms.empty()) {
    if (dialect == Dialect::kSqlite) {
      // The unary + keeps SQLite from looking requests up by id from the index's answer, so
      // that it reads them in the list's order instead.
      sql += std::string(many_candidates ? "+t.id" : "t.id") + " IN (SELECT rowid FROM ticket_search WHERE ticket_search MATCH ?) AND ";
      params->push_back(fts_match(terms));
    } else {
      sql += "t.search_terms @> ?::text[] AND ";
      params->push_back(pg_array_literal(terms));
    }
  }
  const std::string like = like_pattern(q);
  sql += "(t.number LIKE ? ESCAPE '\\' OR lower(t.title) LIKE lower(?) ESCAPE '\\' OR "
         "lower(t.description) LIKE lower(?) ESCAPE '\\'))";
  params->insert(params->end(), {like, like, like});
  return sql;
}

std::int64_t index_unindexed_tickets(store::Database& db) {
  std::int64_t done = 0;
  for (;;) {
    const std::int64_t n = db.write([&](store::Connection& c) {
      // Requests are indexed in id order and every new one in its creating transaction, so on
      // SQLite everything above the highest indexed id is what is missing.
      const std::string sql =
          c.dialect() == Dialect::kSqlite
              ? "SELECT id, number, title, description, reported_at FROM tickets "
                "WHERE id > (SELECT COALESCE(MAX(rowid), 0) FROM ticket_search) ORDER BY id LIMIT 5000"
              : "SELECT id, number, title, description, reported_at FROM tickets WHERE search_terms IS NULL "
                "ORDER BY id LIMIT 5000";
      const auto rows = c.query(sql);
      if (c.dialect() == Dialect::kSqlite) {
        for (const auto& r : rows.rows)
          index_ticket_text(c, r.i64("id"), r.text("number"), r.text("title"), r.text("description"),
                            r.i64("reported_at"));
      } else {
        // One statement per 500 requests: a round trip each would take minutes for a million.
        for (size_t i = 0; i < rows.rows.size(); i += 500) {
          std::string update = "UPDATE tickets AS t SET search_terms = v.terms::text[] FROM (VALUES ";
          std::vector<Value> params;
          for (size_t k = i; k < std::min(rows.rows.size(), i + 500); ++k) {
            const auto& r = rows.rows[k];
            update += k == i ? "(?::bigint, ?::text)" : ", (?, ?)";
            params.push_back(r.i64("id"));
            params.push_back(pg_row_terms(r.text("number"), r.text("title"), r.text("description"), r.i64("reported_at")));
          }
          c.query(update + ") AS v(id, terms) WHERE t.id = v.id", params);
        }
      }
      return static_cast<std::int64_t>(rows.rows.size());
    });
    done += n;
    if (n < 5000) return done;
  }
}

}  // namespace aftersales::app
