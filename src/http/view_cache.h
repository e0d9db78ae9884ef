// Rendered answers of the read routes that opt in (a request, a page of requests, a timeline, the
// dashboard), kept while nothing has been written since.
//
// Rendering one request takes a dozen queries and a SLA evaluation; a page, a capped count over
// up to a thousand rows past its offset. The same views are read far more often than anything
// changes (every open screen refreshes them), so the answer is kept and served again while both hold:
//   - the database's write generation is the one seen before the answer was read (any write
//     transaction in this process ends a generation: see store::Database::generation), and
//   - it is younger than the time-to-live, because views also depend on the clock (remaining
//     working time, SLA risk, "this month" on the dashboard); a second is the default.
// The key is the path, the decoded query and the caller (user, role, customer scope), so a view
// is only ever served to the caller it was rendered for.
//
// Only one generation is held at a time: a newer one drops everything older at once, so memory is
// bounded by the distinct views asked for between two writes, and by max_bytes.
//
// No stampede: when many callers want the same view that is not kept, one renders it and the
// others wait for its answer; a kept view past half its time to live is rendered anew by the
// next caller while the others are still served the kept one, so under steady reading a view
// never lapses and no caller waits.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/clock.h"
#include "http/message.h"

namespace aftersales::http {

class ViewCache {
 public:
  // `generation` reads the database's write generation; ttl_ms <= 0 turns the cache off.
  ViewCache(std::function<std::uint64_t()> generation, Millis ttl_ms, std::size_t max_bytes = 64u << 20)
      : generation_(std::move(generation)), ttl_ms_(ttl_ms), max_bytes_(max_bytes) {}

  bool enabled() const { return ttl_ms_ > 0; }
  // For `key` at `now`: a copy of the kept answer, or nothing — then the caller renders the view
  // and hands it to put() (or calls abandon() if it could not), with `seen` from here. Waits
  // (a second at most) while another caller renders the same view.
  struct Lookup {
    std::optional<Response> kept;
    std::uint64_t seen = 0;  // the write generation before the caller's snapshot
  };
  Lookup lookup(const std::string& key, Millis now);
  // The kept answer when lookup() would serve it without asking the caller to render: for a
  // caller that must not wait or render here (an I/O thread), which otherwise calls lookup().
  std::optional<Response> peek(const std::string& key, Millis now);
  // Keeps `response`, rendered from a snapshot taken after `seen` was read.
  void put(const std::string& key, const Response& response, std::uint64_t seen, Millis now);
  // The caller of lookup() rendered nothing to keep (an error): others may render it.
  void abandon(const std::string& key, std::uint64_t seen);

  struct Stats {
    std::int64_t hits = 0, misses = 0, entries = 0, bytes = 0;
  };
  Stats stats() const;

 private:
  struct Entry {
    Response response;
    Millis stored_at;
    bool refreshing = false;  // a caller is rendering its successor
  };
  void advance_to(std::uint64_t generation);  // with mu_ held
  std::function<std::uint64_t()> generation_;
  const Millis ttl_ms_;
  const std::size_t max_bytes_;
  mutable std::mutex mu_;
  std::uint64_t held_generation_ = 0;  // the generation every entry belongs to
  std::condition_variable rendered_;
  std::unordered_map<std::string, Entry> entries_;
  std::unordered_map<std::string, std::uint64_t> rendering_;  // views not kept, being rendered: generation
  std::size_t bytes_ = 0;
  std::int64_t hits_ = 0, misses_ = 0;
};

// The cache key of a GET: path, query (sorted, as decoded) and who asks.
std::string view_key(const Request& req);

}  // namespace aftersales::http
