#include "app/open_states.h"

#include "domain/ticket/state.h"

namespace aftersales::app {
namespace {

bool finished(domain::ticket::State s) {
  using S = domain::ticket::State;
  return s == S::resolved || s == S::closed || s == S::archived || s == S::cancelled;
}

std::string condition(std::string_view column, bool want_finished) {
  std::string sql = std::string(column) + " IN (";
  bool first = true;
  for (int i = 0; i < domain::ticket::kStateCount; ++i) {
    const auto s = static_cast<domain::ticket::State>(i);
    if (finished(s) != want_finished) continue;
    sql += (first ? "'" : ", '") + std::string(domain::ticket::ToString(s)) + "'";
    first = false;
  }
  return sql + ")";
}

}  // namespace

std::string open_states_condition(std::string_view column) { return condition(column, false); }
std::string finished_states_condition(std::string_view column) { return condition(column, true); }

}  // namespace aftersales::app
