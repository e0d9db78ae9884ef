// What the duplicate check needs of an earlier request's text, kept in memory. A request's
// number, title and description never change after intake and requests are never deleted, so
// what was computed for an id once stays right — in this process and beside any other process
// sharing the database.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/similarity.h"

namespace aftersales::app {

struct RequestText {
  std::string number;
  std::string title;
  Bigrams pairs;  // of "title description"
};

// Bounded by bytes, least recently used out first (roughly: two generations; a text found in the
// older one moves to the newer, and when the newer is full the older is dropped whole). Thread-safe.
class RequestTextCache {
 public:
  // At most about `max_bytes` of texts and pairs held (two generations of half each).
  explicit RequestTextCache(std::size_t max_bytes = 32u << 20);

  std::shared_ptr<const RequestText> find(std::int64_t id);
  // find() for each id under one lock: out[i] is ids[i]'s text, or null when not held.
  std::vector<std::shared_ptr<const RequestText>> find_many(const std::vector<std::int64_t>& ids);
  void put(std::int64_t id, std::shared_ptr<const RequestText> text);

  std::size_t size() const;   // entries held, both generations
  std::size_t bytes() const;  // their estimated size

 private:
  using Map = std::unordered_map<std::int64_t, std::shared_ptr<const RequestText>>;
  std::shared_ptr<const RequestText> find_locked(std::int64_t id);
  void insert_locked(std::int64_t id, std::shared_ptr<const RequestText> text);

  const std::size_t generation_bytes_;
  mutable std::mutex mu_;
  Map current_, previous_;
  std::size_t current_bytes_ = 0, previous_bytes_ = 0;
};

}  // namespace aftersales::app
