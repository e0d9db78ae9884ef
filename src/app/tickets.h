// Service requests (服务工单): intake from every channel, the lifecycle actions through the
// domain state machine, the clocks, the timeline, lists. One class, one method per use case;
// each authorises first, validates the whole input, then changes the request, its events,
// its clock history and its outbox messages in one transaction.
#pragma once
#include <nlohmann/json.hpp>

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "app/actor.h"
#include "app/error.h"
#include "app/open_requests.h"
#include "app/request_texts.h"
#include "app/resource.h"
#include "common/clock.h"
#include "common/json_writer.h"
#include "store/sql.h"

namespace aftersales::app {

struct SlaSummary;

struct TicketSettings {
  std::string company_time_zone = "Asia/Shanghai";  // the day of an acceptance number
  std::int64_t reopen_window_days = 30;
  Millis max_backdate_ms = 30LL * 24 * 3600 * 1000;  // how far back an agent may date a report
  // PostgreSQL: how many of the newest requests a search reads and checks itself before it asks
  // the pair index (TicketService::list).
  std::int64_t search_window = 5000;
};

class TicketService {
 public:
  // `db` and `clock` must outlive the service.
  TicketService(store::Database& db, const Clock& clock, TicketSettings settings = {});

  // Logs a new request. With an idempotency key, a retry returns the request the first call
  // created (`*replayed` set) instead of creating another. The reply carries the acceptance
  // number, the grading suggestion with its reasons, likely duplicates and the next step with
  // its due time. Views of a request are answered written out (JsonText): they are the answers
  // the server renders most, and building them as trees cost about a fifth of an intake's CPU.
  Outcome<JsonText> intake(const Actor& actor, const nlohmann::json& body,
                           const std::string& idempotency_key, bool* replayed);
  // The rest of an intake once its write is over: reads what the answer needs and writes it out
  // (the same answer as intake(); `*replayed` as there). May throw a database error.
  using IntakeAnswer = std::function<Outcome<JsonText>(bool* replayed)>;
  // The same intake without a thread waiting for the write, on a database that can
  // (Database::can_write_async; elsewhere it throws std::logic_error before doing anything).
  // `then` is called once with the rest of the intake: at once when the body is refused, else
  // on the database's writer thread once the write is durable or has failed. `then` must hand the
  // answer to another thread to run (the writer commits everyone's writes) and must not throw.
  void intake_async(const Actor& actor, const nlohmann::json& body, const std::string& idempotency_key,
                    std::function<void(IntakeAnswer)> then);
  // Grading suggestion and likely duplicates for a draft (project_id, asset_id, title,
  // description), without saving anything.
  Outcome<JsonText> suggest(const Actor& actor, const nlohmann::json& body);
  Outcome<JsonText> list(const Actor& actor, const ListQuery& query);
  // Everything about one request: state, clocks, warranty and cost, assignees, visits,
  // records, and the actions the caller may take now. NotFound outside the caller's scope.
  Outcome<JsonText> get(const Actor& actor, std::int64_t id);
  // Every event, oldest first; customer users do not see internal ones.
  Outcome<nlohmann::json> timeline(const Actor& actor, std::int64_t id);
  // Applies one lifecycle action (see domain/ticket/state.h for the names). Conflict with the
  // current state and the allowed actions when the state machine refuses it.
  Outcome<JsonText> act(const Actor& actor, std::int64_t id, const std::string& action,
                        const nlohmann::json& body, std::optional<std::int64_t> if_version);

 private:
  struct IntakeRun;  // one intake between its steps (tickets.cc)
  Outcome<std::shared_ptr<IntakeRun>> start_intake(const Actor& actor, const nlohmann::json& body,
                                                   const std::string& idempotency_key);
  Outcome<std::int64_t> intake_write(IntakeRun& run, store::Connection& c);
  // `failed`: what the write threw, if anything.
  Outcome<JsonText> finish_intake(IntakeRun& run, std::exception_ptr failed, bool* replayed);

  // The request as get() shows it, read on `c`; `more` writes fields of the caller's into it.
  Outcome<JsonText> view_of(store::Connection& c, const Actor& actor, std::int64_t id, Millis now,
                            const std::function<void(JsonWriter&, const SlaSummary&)>& more = {});

  store::Database& db_;
  const Clock& clock_;
  TicketSettings settings_;
  std::shared_ptr<RequestTextCache> texts_;  // earlier requests' texts for the duplicate check
  // The newest open requests of each project, for the same check; null where the database
  // cannot tell of changed rows (PostgreSQL), which then reads them each time.
  std::shared_ptr<OpenRequestIndex> open_;
};

// Re-evaluates a ticket's clocks at `now` and stores what lists and the watch job need
// (next_due_at, next_milestone, next_alert_at). For callers that change clock history.
void refresh_ticket_clocks(store::Connection& tx, std::int64_t ticket_id, Millis now);

}  // namespace aftersales::app
