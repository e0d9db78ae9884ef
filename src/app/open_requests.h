// The newest open requests of each project, kept in memory for the duplicate check that answers
// every intake (app/tickets.cc). Reading them from the database after the intake's write was a
// quarter of an intake's CPU: a read transaction after a commit starts on an empty page cache.
//
// The index knows a project once a caller has read its list (load_open_requests) and kept it,
// and then follows every change: it watches the rows of `tickets` that this process's writes
// change (store/row_watch.h), reads each on the writer's connection before the commit and
// applies what it read once the commit is durable, before the writing request hears of it. A
// write by another process, which the writer notices at its next transaction, forgets
// everything. Only where the driver can watch rows (SQLite): elsewhere nothing is ever kept
// and every check reads the database.
//
// A list is "the newest open requests of the project reported since a moment", newest first, in
// the order SQLite's index gives them (reported_at, state, asset_id, id, all descending). It
// holds at most kKept and is usable while it is complete (the project has no more) or holds at
// least kUsable — enough for a check of 50 that leaves out the request itself.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/request_texts.h"
#include "common/clock.h"
#include "store/row_watch.h"
#include "store/sql.h"

namespace aftersales::app {

struct OpenRequest {
  std::int64_t id = 0;
  std::string state;
  std::optional<std::int64_t> asset_id;
  Millis reported_at = 0;
  std::shared_ptr<const RequestText> text;  // when known (it never changes)
};

// Newest first, as SQLite walks tickets_project_recent backwards (NULL is the smallest value).
bool newer(const OpenRequest& a, const OpenRequest& b);
// Not closed, archived or cancelled: what the duplicate check compares with.
bool is_open_for_duplicates(std::string_view state);

// At most `limit` of the newest open requests of `project` reported at or after `since`, newest
// first (at most OpenRequestIndex::kKept).
std::vector<OpenRequest> load_open_requests(store::Connection& c, std::int64_t project, Millis since,
                                            std::size_t limit);

class OpenRequestIndex final : public store::RowWatcher {
 public:
  static constexpr std::size_t kKept = 64;
  static constexpr std::size_t kUsable = 51;
  static constexpr std::size_t kMaxProjects = 4096;  // about 3 MiB at most

  // What a caller takes before the read transaction whose result it wants to keep.
  struct Stamp {
    std::uint64_t all = 0, project = 0;
  };

  // The newest open requests of `project` reported at or after `since`, newest first, leaving
  // out `exclude`, at most `limit` (≤ kUsable - 1); nothing when the index cannot tell.
  std::optional<std::vector<OpenRequest>> newest(std::int64_t project, Millis since, std::int64_t exclude,
                                                 std::size_t limit);
  Stamp stamp(std::int64_t project) const;
  // Keeps `rows`, load_open_requests(project, since, kKept) read in a transaction that began
  // after `stamp` was taken — unless the project's requests (or anything, on a reset) changed
  // since, when that read may already be stale.
  void keep(std::int64_t project, Millis since, const Stamp& stamp, std::vector<OpenRequest> rows);

  // In a write body, on the writer thread: the text of the request it has just inserted, kept
  // with the request in its project's list if the insert is committed.
  void inserted_text(std::int64_t id, std::shared_ptr<const RequestText> text);

  void changed(store::Connection& c, const std::vector<std::int64_t>& ids) override;
  void ended(bool durable) override;
  void reset() override;

 private:
  struct List {
    Millis since = 0;
    bool complete = false;           // every open request of the project since `since` is here
    std::vector<OpenRequest> items;  // newest first
  };
  // What a changed request is now: its project and the rest; nothing when it is gone.
  struct Change {
    std::int64_t id = 0;
    std::optional<std::int64_t> project;
    OpenRequest now;
  };

  void apply_locked(Change& change);
  void drop_locked(std::unordered_map<std::int64_t, List>::iterator it);
  void bump_locked(std::int64_t project) { ++epochs_[project]; }

  mutable std::mutex mu_;
  std::uint64_t all_ = 0;  // 0 until the writer first resets it: nothing may be kept before
  std::unordered_map<std::int64_t, std::uint64_t> epochs_;  // per project, advanced by each change
  std::unordered_map<std::int64_t, List> lists_;
  std::unordered_map<std::int64_t, std::int64_t> where_;  // request id → project of the list holding it
  // Writer thread only: read by changed(), applied by ended(true).
  std::vector<Change> pending_;
  std::unordered_map<std::int64_t, std::shared_ptr<const RequestText>> inserted_texts_;
};

}  // namespace aftersales::app
