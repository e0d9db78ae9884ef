#include "app/open_requests.h"

#include <algorithm>
#include <tuple>

namespace aftersales::app {

bool newer(const OpenRequest& a, const OpenRequest& b) {
  // NULL below every asset id, as SQLite orders them; `state` compared bytewise (BINARY).
  auto key = [](const OpenRequest& r) {
    return std::make_tuple(r.reported_at, std::string_view(r.state), r.asset_id.has_value(), r.asset_id.value_or(0), r.id);
  };
  return key(a) > key(b);
}

bool is_open_for_duplicates(std::string_view state) {
  return state != "closed" && state != "archived" && state != "cancelled";
}

std::vector<OpenRequest> load_open_requests(store::Connection& c, std::int64_t project, Millis since,
                                            std::size_t limit) {
  // Read from tickets_project_recent alone, walked backwards: the ORDER BY is its own order, so
  // no sort, and the same order as newer(). The states are compared one by one: NOT IN (...)
  // built a temporary index on every run.
  auto rows = c.query("SELECT id, state, asset_id, reported_at FROM tickets "
                      "WHERE project_id = ? AND state <> 'closed' AND state <> 'archived' AND state <> 'cancelled' "
                      "AND reported_at >= ? ORDER BY reported_at DESC, state DESC, asset_id DESC, id DESC LIMIT ?",
                      {project, since, static_cast<std::int64_t>(limit)});
  std::vector<OpenRequest> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows)
    out.push_back({r.i64("id"), r.text("state"), r.opt_i64("asset_id"), r.i64("reported_at"), nullptr});
  return out;
}

std::optional<std::vector<OpenRequest>> OpenRequestIndex::newest(std::int64_t project, Millis since,
                                                                  std::int64_t exclude, std::size_t limit) {
  std::lock_guard lock(mu_);
  auto it = lists_.find(project);
  if (it == lists_.end() || since < it->second.since || limit + 1 > kUsable) return std::nullopt;
  const List& list = it->second;
  if (!list.complete && list.items.size() < kUsable) return std::nullopt;  // cannot happen: dropped then
  std::vector<OpenRequest> out;
  for (const auto& r : list.items) {
    if (out.size() == limit || r.reported_at < since) break;
    if (r.id != exclude) out.push_back(r);
  }
  return out;
}

OpenRequestIndex::Stamp OpenRequestIndex::stamp(std::int64_t project) const {
  std::lock_guard lock(mu_);
  auto it = epochs_.find(project);
  return {all_, it == epochs_.end() ? 0 : it->second};
}

void OpenRequestIndex::keep(std::int64_t project, Millis since, const Stamp& stamp, std::vector<OpenRequest> rows) {
  std::lock_guard lock(mu_);
  auto epoch = epochs_.find(project);
  if (all_ == 0 || stamp.all != all_ || stamp.project != (epoch == epochs_.end() ? 0 : epoch->second)) return;
  if (auto old = lists_.find(project); old != lists_.end()) drop_locked(old);
  if (lists_.size() >= kMaxProjects) drop_locked(lists_.begin());  // any: they are cheap to read again
  List list;
  list.since = since;
  list.complete = rows.size() < kKept;
  list.items = std::move(rows);
  if (list.items.size() > kKept) list.items.resize(kKept);
  for (const auto& r : list.items) where_[r.id] = project;
  lists_.emplace(project, std::move(list));
}

void OpenRequestIndex::inserted_text(std::int64_t id, std::shared_ptr<const RequestText> text) {
  inserted_texts_[id] = std::move(text);
}

void OpenRequestIndex::changed(store::Connection& c, const std::vector<std::int64_t>& ids) {
  pending_.clear();
  for (std::int64_t id : ids) {
    Change change;
    change.id = id;
    auto r = c.query("SELECT project_id, state, asset_id, reported_at FROM tickets WHERE id = ?", {id});
    if (!r.empty()) {
      const store::Row& row = r.rows[0];
      change.project = row.i64("project_id");
      change.now = {id, row.text("state"), row.opt_i64("asset_id"), row.i64("reported_at"), nullptr};
      if (auto t = inserted_texts_.find(id); t != inserted_texts_.end()) change.now.text = t->second;
    }
    pending_.push_back(std::move(change));
  }
}

void OpenRequestIndex::ended(bool durable) {
  if (durable) {
    std::lock_guard lock(mu_);
    for (auto& change : pending_) apply_locked(change);
  }
  pending_.clear();
  inserted_texts_.clear();
}

void OpenRequestIndex::reset() {
  std::lock_guard lock(mu_);
  ++all_;
  epochs_.clear();
  lists_.clear();
  where_.clear();
}

void OpenRequestIndex::apply_locked(Change& change) {
  // Out of the list that holds it (its project, state or time may have changed)…
  if (auto at = where_.find(change.id); at != where_.end()) {
    const std::int64_t project = at->second;
    where_.erase(at);
    bump_locked(project);
    auto it = lists_.find(project);
    if (it != lists_.end()) {
      auto& items = it->second.items;
      auto held = std::find_if(items.begin(), items.end(), [&](const OpenRequest& r) { return r.id == change.id; });
      if (held != items.end()) {
        if (!change.now.text) change.now.text = held->text;
        items.erase(held);
      }
      // What followed the last one kept is not known: too short to answer, read it again.
      if (!it->second.complete && items.size() < kUsable) drop_locked(it);
    }
  }
  if (!change.project) return;  // gone (an intake undone with its body)
  // …and into its project's list, where it now belongs.
  bump_locked(*change.project);
  auto it = lists_.find(*change.project);
  if (it == lists_.end() || !is_open_for_duplicates(change.now.state)) return;
  List& list = it->second;
  if (change.now.reported_at < list.since) return;
  auto pos = std::lower_bound(list.items.begin(), list.items.end(), change.now, newer);
  // Older than the oldest of a list that stops short: others may come between.
  if (pos == list.items.end() && !list.complete) return;
  list.items.insert(pos, change.now);
  where_[change.id] = *change.project;
  if (list.items.size() > kKept) {
    where_.erase(list.items.back().id);
    list.items.pop_back();
    list.complete = false;
  }
}

void OpenRequestIndex::drop_locked(std::unordered_map<std::int64_t, List>::iterator it) {
  for (const auto& r : it->second.items) where_.erase(r.id);
  lists_.erase(it);
}

}  // namespace aftersales::app
