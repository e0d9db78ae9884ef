// Dispatch suggestions (派工建议): loads a request's candidates — teams, technicians, their load,
// whereabouts, certificates and history with the project — and ranks them with the pure rules of
// domain/dispatch (see docs/DOMAIN.md, "Dispatch"). Read-only; the caller owns the transaction and
// the authorisation (`may_view_dispatch`).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/actor.h"
#include "common/clock.h"
#include "store/sql.h"

namespace aftersales::app {

struct DispatchCandidate {
  std::int64_t staff_id = 0;
  std::string name;
  std::optional<std::int64_t> team_id;
  std::string team_name;
  double score = 0;       // 0..100
  nlohmann::json reasons; // [{code, params, zh, en, points}]
};

struct DispatchSuggestion {
  std::optional<std::int64_t> team_id;  // the suggested team; none when no team qualifies
  std::string team_name;
  nlohmann::json team_reasons;          // reasons of the suggested team, or why none was found
  std::vector<DispatchCandidate> technicians;  // best first, at most kMaxTechnicians
  // Context shown with the suggestion.
  std::vector<std::string> required_skills;    // primary skills of the need
  std::vector<std::string> related_skills;     // secondary skills
  nlohmann::json teams = nlohmann::json::array();  // every team ranked: {id, name, score, eligible, reasons}
  nlohmann::json weights = nlohmann::json::object();  // the technician weights applied (by grade)
  nlohmann::json to_json() const;
};

inline constexpr std::size_t kMaxDispatchTechnicians = 10;

// Ranks the teams and technicians for ticket `ticket_id` at instant `now`. An unknown ticket
// yields an empty suggestion (no team, no technicians); check existence first for a 404.
DispatchSuggestion suggest_dispatch(store::Connection& c, std::int64_t ticket_id, Millis now);

// The roles that may see dispatch suggestions: admin, service_manager, dispatcher.
bool may_view_dispatch(const Actor& actor);

}  // namespace aftersales::app
