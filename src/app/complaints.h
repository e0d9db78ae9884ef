// Complaints (投诉): their own workflow beside service requests.
//
//   logged → investigating → handling_plan → plan_approved → feedback_given → closed
//                 ↑                │ reject_plan                    │ customer_unsatisfied
//                 └────────────────┴────────────────────────────────┘ (round + 1)
//   cancelled from logged, investigating or handling_plan.
//
// Each action names the roles that may take it and the states it starts from; anything else is
// a 403 naming the roles or a 409 naming the current state and the actions allowed now. Every
// change writes a complaint_events row and an audit row in the same transaction. Promised
// times: acknowledged within 1 h, first handling opinion within 24 h (7×24). Customers file
// complaints about their own organisation's projects and see only their own (others → 404).
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/error.h"
#include "app/resource.h"
#include "common/clock.h"
#include "store/sql.h"

namespace aftersales::app {

inline constexpr Millis kComplaintAckMs = 3600LL * 1000;               // acknowledge within 1 h
inline constexpr Millis kComplaintFirstOpinionMs = 24LL * 3600 * 1000;  // first opinion within 24 h

const std::vector<std::string>& complaint_states();
const std::vector<std::string>& complaint_actions();
const std::vector<std::string>& complaint_causes();
// The actions `role` may take from `state` (pure; no guards on recorded data).
std::vector<std::string> complaint_allowed_actions(const std::string& state, const std::string& role);

class ComplaintService {
 public:
  ComplaintService(store::Database& db, const Clock& clock, std::string time_zone = "Asia/Shanghai")
      : db_(db), clock_(clock), time_zone_(std::move(time_zone)) {}

  Outcome<nlohmann::json> create(const Actor& actor, const nlohmann::json& body);
  // Filters: state (comma list), project_id, customer_id, department_id, ticket_id.
  Outcome<nlohmann::json> list(const Actor& actor, const ListQuery& query);
  Outcome<nlohmann::json> get(const Actor& actor, std::int64_t id);
  Outcome<nlohmann::json> timeline(const Actor& actor, std::int64_t id);
  Outcome<nlohmann::json> act(const Actor& actor, std::int64_t id, const std::string& action, const nlohmann::json& body);
  // Staff: counts by cause, responsible department, month (company time zone) and state for
  // complaints filed in [from, to); from/to are dates (YYYY-MM-DD) or RFC 3339 times.
  Outcome<nlohmann::json> analysis(const Actor& actor, const std::map<std::string, std::string>& params);

 private:
  store::Database& db_;
  const Clock& clock_;
  std::string time_zone_;
};

}  // namespace aftersales::app
