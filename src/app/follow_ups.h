// Follow-ups (回访) after a service request closes: rounds at 1, 3 and 6 months (dates in the
// project's time zone), the call notes, the five-dimension satisfaction survey — recorded by
// staff on the call or answered by the customer through a tokenised link without an account —
// and the task a low score opens for the service managers. See docs/LIFECYCLE.md.
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

// Months after closing at which a follow-up is due.
inline const std::vector<int> kFollowUpOffsetsMonths = {1, 3, 6};
// A survey link answers until this many days after its round's due time (then 410).
inline constexpr int kSurveyValidDaysAfterDue = 30;

// The five dimensions of the satisfaction survey, in order.
const std::vector<std::string>& survey_dimensions();

// Schedules the follow-up rounds of a ticket closed at `closed_at`, inside the caller's
// transaction (the ticket `close` action calls it). Idempotent per (ticket, offset): rounds
// that exist already are left alone. A newly created first round (1 month) gets its survey
// link sent at once (a `ticket.survey` message with survey_url "/survey/<token>").
void schedule_follow_ups(store::Connection& tx, std::int64_t ticket_id, Millis closed_at);

// The same with explicit offsets and actor; returns the ids of the rounds created now.
std::vector<std::int64_t> schedule_follow_ups(store::Connection& tx, std::int64_t ticket_id, Millis closed_at,
                                              const std::vector<int>& offsets_months, const Actor& actor, Millis now);

// The due date (YYYY-MM-DD) and due instant of a round: `months` calendar months after
// `closed_at` in `time_zone`, at the same local time of day (the 31st clamps to the month's end).
std::pair<std::string, Millis> follow_up_due(Millis closed_at, int months, const std::string& time_zone);

// A low score: any dimension ≤ 2, or the average < 3.
bool is_low_satisfaction(const std::vector<int>& scores);

class FollowUpService {
 public:
  FollowUpService(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Staff: filters state, due_before (RFC 3339 or YYYY-MM-DD), ticket_id, project_id, assignee_user_id.
  Outcome<nlohmann::json> list(const Actor& actor, const ListQuery& query);
  // The rounds of one request; a customer user sees his own organisation's (without the notes).
  Outcome<nlohmann::json> for_ticket(const Actor& actor, std::int64_t ticket_id);
  Outcome<nlohmann::json> get(const Actor& actor, std::int64_t id);
  // Service manager/admin: schedules the rounds of a resolved or closed request (idempotent).
  Outcome<nlohmann::json> schedule(const Actor& actor, std::int64_t ticket_id);
  // Staff records the call: notes, repair_status, optional survey {five scores, comment}.
  Outcome<nlohmann::json> complete(const Actor& actor, std::int64_t id, const nlohmann::json& body);
  // The customer could not be reached (missed) or the round is no longer wanted (cancelled).
  Outcome<nlohmann::json> close_round(const Actor& actor, std::int64_t id, const std::string& state,
                                      const nlohmann::json& body);
  Outcome<nlohmann::json> assign(const Actor& actor, std::int64_t id, const nlohmann::json& body);
  // Issues a fresh survey link for the round (the old one stops working) and sends it.
  Outcome<nlohmann::json> send_survey(const Actor& actor, std::int64_t id);

  // Public, by token: what the survey is about (number, title, project, closed date).
  Outcome<nlohmann::json> survey(const std::string& token);
  // Public, by token: the five scores and a comment, once (then Conflict); Error titled
  // "Gone" when the link has expired or the round was cancelled.
  Outcome<nlohmann::json> answer_survey(const std::string& token, const nlohmann::json& body,
                                        const std::string& request_id);

  // Low-score tasks for service managers: filters state (open, resolved), ticket_id.
  Outcome<nlohmann::json> tasks(const Actor& actor, const ListQuery& query);
  Outcome<nlohmann::json> resolve_task(const Actor& actor, std::int64_t id, const nlohmann::json& body);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace aftersales::app
