#include "app/request_texts.h"

namespace aftersales::app {
namespace {

std::size_t estimate(const RequestText& t) {
  // The map node and the three heap blocks, roughly; only the bound depends on it.
  return 96 + t.number.capacity() + t.title.capacity() + t.pairs.capacity() * sizeof(std::uint64_t);
}

}  // namespace

RequestTextCache::RequestTextCache(std::size_t max_bytes) : generation_bytes_(max_bytes / 2) {}

std::shared_ptr<const RequestText> RequestTextCache::find(std::int64_t id) {
  std::lock_guard lock(mu_);
  return find_locked(id);
}

std::vector<std::shared_ptr<const RequestText>> RequestTextCache::find_many(const std::vector<std::int64_t>& ids) {
  std::vector<std::shared_ptr<const RequestText>> out;
  out.reserve(ids.size());
  std::lock_guard lock(mu_);
  for (std::int64_t id : ids) out.push_back(find_locked(id));
  return out;
}

std::shared_ptr<const RequestText> RequestTextCache::find_locked(std::int64_t id) {
  if (auto it = current_.find(id); it != current_.end()) return it->second;
  auto it = previous_.find(id);
  if (it == previous_.end()) return nullptr;
  auto text = std::move(it->second);
  previous_bytes_ -= estimate(*text);
  previous_.erase(it);
  insert_locked(id, text);
  return text;
}

void RequestTextCache::put(std::int64_t id, std::shared_ptr<const RequestText> text) {
  if (!text) return;
  std::lock_guard lock(mu_);
  if (auto it = previous_.find(id); it != previous_.end()) {
    previous_bytes_ -= estimate(*it->second);
    previous_.erase(it);
  }
  insert_locked(id, std::move(text));
}

void RequestTextCache::insert_locked(std::int64_t id, std::shared_ptr<const RequestText> text) {
  const std::size_t size = estimate(*text);
  if (size > generation_bytes_) return;  // larger than a generation: not worth keeping
  auto [it, inserted] = current_.try_emplace(id, text);
  if (!inserted) {
    current_bytes_ -= estimate(*it->second);
    it->second = std::move(text);
  }
  current_bytes_ += size;
  if (current_bytes_ > generation_bytes_) {
    previous_ = std::move(current_);
    previous_bytes_ = current_bytes_;
    current_ = Map();
    current_bytes_ = 0;
  }
}

std::size_t RequestTextCache::size() const {
  std::lock_guard lock(mu_);
  return current_.size() + previous_.size();
}

std::size_t RequestTextCache::bytes() const {
  std::lock_guard lock(mu_);
  return current_bytes_ + previous_bytes_;
}

}  // namespace aftersales::app
