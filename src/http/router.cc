#include "http/router.h"

#include <stdexcept>

namespace aftersales::http {
namespace {

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

void Router::add(Route route) {
  route.segments = split(route.pattern);
  for (const auto& r : routes_)
    if (r.operation_id == route.operation_id)
      throw std::logic_error("duplicate operation id " + route.operation_id);
  routes_.push_back(std::move(route));
}

const Route* Router::match(const std::string& method, const std::string& path,
                           std::map<std::string, std::string>* params,
                           std::vector<std::string>* allowed) const {
  auto parts = split(path);
  // Literal segments win over parameters, so "/users/me" beats "/users/{id}".
  const Route* best = nullptr;
  int best_literals = -1;
  std::map<std::string, std::string> best_params;
  for (const auto& r : routes_) {
    if (r.segments.size() != parts.size()) continue;
    std::map<std::string, std::string> p;
    int literals = 0;
    bool ok = true;
    for (size_t i = 0; i < parts.size() && ok; ++i) {
      const auto& seg = r.segments[i];
      if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
        if (parts[i].empty()) ok = false;
        else p[seg.substr(1, seg.size() - 2)] = parts[i];
      } else if (seg == parts[i]) {
        ++literals;
      } else {
        ok = false;
      }
    }
    if (!ok) continue;
    if (r.method != method) {
      if (allowed) allowed->push_back(r.method);
      continue;
    }
    if (literals > best_literals) {
      best = &r;
      best_literals = literals;
      best_params = std::move(p);
    }
  }
  if (best && params) *params = std::move(best_params);
  return best;
}

}  // namespace aftersales::http
