#include "http/view_cache.h"

#include <chrono>

namespace aftersales::http {
namespace {

std::size_t size_of(const std::string& key, const Response& r) {
  std::size_t n = key.size() + r.body.size() + r.content_type.size() + 64;
  for (const auto& [name, value] : r.headers) n += name.size() + value.size();
  return n;
}

void append_field(std::string* out, const std::string& s) {
  // Length-prefixed, so that no choice of values can make two different requests one key.
  *out += std::to_string(s.size());
  *out += ':';
  *out += s;
}

}  // namespace

void ViewCache::advance_to(std::uint64_t generation) {
  if (generation <= held_generation_) return;
  entries_.clear();
  bytes_ = 0;
  held_generation_ = generation;
}

ViewCache::Lookup ViewCache::lookup(const std::string& key, Millis now) {
  if (!enabled()) return {};
  std::unique_lock lock(mu_);
  const auto give_up_waiting = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  for (;;) {
    const std::uint64_t current = generation_();
    advance_to(current);
    auto it = entries_.find(key);
    if (it != entries_.end() && current == held_generation_ && now >= it->second.stored_at &&
        now - it->second.stored_at < ttl_ms_) {
      Entry& e = it->second;
      if (now - e.stored_at >= ttl_ms_ / 2 && !e.refreshing) {
        e.refreshing = true;  // this caller renders the successor; the others keep being served
        ++misses_;
        return {std::nullopt, current};
      }
      ++hits_;
      return {e.response, current};
    }
    auto r = rendering_.find(key);
    if (r != rendering_.end() && r->second == current && std::chrono::steady_clock::now() < give_up_waiting) {
      rendered_.wait_until(lock, give_up_waiting);
      continue;
    }
    rendering_[key] = current;
    ++misses_;
    return {std::nullopt, current};
  }
}

std::optional<Response> ViewCache::peek(const std::string& key, Millis now) {
  if (!enabled()) return std::nullopt;
  const std::uint64_t current = generation_();
  std::lock_guard lock(mu_);
  if (current != held_generation_) return std::nullopt;
  auto it = entries_.find(key);
  if (it == entries_.end() || now < it->second.stored_at) return std::nullopt;
  const Millis age = now - it->second.stored_at;
  // Past half its life a kept view is served only while another caller already refreshes it.
  if (age >= ttl_ms_ || (age >= ttl_ms_ / 2 && !it->second.refreshing)) return std::nullopt;
  ++hits_;
  return it->second.response;
}

void ViewCache::put(const std::string& key, const Response& response, std::uint64_t seen, Millis now) {
  if (!enabled()) return;
  const std::size_t size = size_of(key, response);
  {
    std::lock_guard lock(mu_);
    auto r = rendering_.find(key);
    if (r != rendering_.end() && r->second == seen) rendering_.erase(r);
    // Written meanwhile: the answer may predate that write (or not); either way it is not kept.
    const std::uint64_t current = generation_();
    advance_to(current);
    if (seen == current && seen == held_generation_ && size <= max_bytes_ / 16) {
      // (one huge page must not empty the cache for everyone)
      if (bytes_ + size > max_bytes_) {
        entries_.clear();
        bytes_ = 0;
      }
      auto [it, inserted] = entries_.try_emplace(key, Entry{response, now});
      if (!inserted) {
        bytes_ -= size_of(key, it->second.response);
        it->second = Entry{response, now};
      }
      bytes_ += size;
    } else if (auto it = entries_.find(key); it != entries_.end()) {
      it->second.refreshing = false;
    }
  }
  rendered_.notify_all();
}

void ViewCache::abandon(const std::string& key, std::uint64_t seen) {
  if (!enabled()) return;
  {
    std::lock_guard lock(mu_);
    auto r = rendering_.find(key);
    if (r != rendering_.end() && r->second == seen) rendering_.erase(r);
    if (auto it = entries_.find(key); it != entries_.end()) it->second.refreshing = false;
  }
  rendered_.notify_all();
}

ViewCache::Stats ViewCache::stats() const {
  std::lock_guard lock(mu_);
  return {hits_, misses_, static_cast<std::int64_t>(entries_.size()), static_cast<std::int64_t>(bytes_)};
}

std::string view_key(const Request& req) {
  std::string key;
  append_field(&key, req.path);
  for (const auto& [k, v] : req.query) {  // std::map: sorted, so ?a=1&b=2 and ?b=2&a=1 share a view
    append_field(&key, k);
    append_field(&key, v);
  }
  key += '|';
  if (req.actor) {
    append_field(&key, std::to_string(req.actor->user_id));
    append_field(&key, req.actor->role);
    append_field(&key, req.actor->customer_id ? std::to_string(*req.actor->customer_id) : std::string("-"));
  }
  return key;
}

}  // namespace aftersales::http
