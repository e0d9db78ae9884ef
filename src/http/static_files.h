// Serves the built web UI (web/dist): hashed assets cached for a year, everything else
// revalidated, and index.html for any unknown path without an extension (SPA routes).
#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include "http/message.h"

namespace aftersales::http {

class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path root);
  // GET/HEAD of a non-API path. Never serves anything outside root.
  Response serve(const std::string& path, const std::string& if_none_match) const;
  bool available() const { return available_; }

 private:
  std::filesystem::path root_;
  bool available_ = false;
};

}  // namespace aftersales::http
