#include "app/sla_watch.h"

#include "app/ports/outbox.h"
#include "app/ticket_sla.h"
#include "app/tickets.h"
#include "domain/sla/grade.h"

namespace aftersales::app {

using json = nlohmann::json;

int run_sla_watch(store::Database& db, Millis now, int batch) {
  auto due = db.read([&](store::Connection& c) {
    return c.query("SELECT id FROM tickets WHERE next_alert_at IS NOT NULL AND next_alert_at <= ? "
                   "ORDER BY next_alert_at LIMIT ?",
                   {now, static_cast<std::int64_t>(batch)});
  });
  int fired = 0;
  for (const auto& row : due.rows) {
    const std::int64_t id = row.i64("id");
    fired += db.write([&](store::Connection& c) {
      auto t = c.query("SELECT t.number, t.title, t.customer_id, t.reported_at, t.grade, t.sla_grade, t.remote_site, "
                       "t.state, p.time_zone, p.calendar, p.sla_policy, p.name AS project_name "
                       "FROM tickets t JOIN projects p ON p.id = t.project_id WHERE t.id = ?",
                       {id});
      if (t.empty()) return 0;
      const auto& r = t.rows[0];
      auto grade = domain::sla::ParseGrade(r.text("sla_grade"))
                       .value_or(domain::sla::ParseGrade(r.text("grade")).value_or(domain::sla::Grade::simple));
      auto input = load_sla_input(c, id, r.i64("reported_at"), grade, r.i64("remote_site") != 0);
      auto summary = evaluate_sla(input, r.text("time_zone"), r.text("calendar"), r.text("sla_policy"), now);
      int n = 0;
      if (summary.report)
        for (const auto& m : summary.report->milestones) {
          const std::string milestone(domain::sla::ToString(m.milestone));
          const json due_at = m.due ? json(format_iso8601(to_millis(*m.due))) : json(nullptr);
          for (const auto& a : m.alerts) {
            if (a.state != domain::sla::AlertState::fired) continue;
            const int percent = a.step.percent;
            // The primary key (ticket, milestone, step) lets exactly one process fire it.
            auto ins = c.query("INSERT INTO ticket_alerts (ticket_id, milestone, step, fired_at, notify_role) "
                               "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                               {id, milestone, std::to_string(percent), now, a.step.notify_role});
            if (ins.affected == 0) continue;
            ++n;
            bool escalation = a.step.level > 0;
            std::string type = escalation ? "sla_escalation" : "sla_warning";
            json data = {{"milestone", milestone}, {"percent", percent}, {"level", a.step.level},
                         {"notify_role", a.step.notify_role}, {"due_at", due_at},
                         {"alert_at", a.at ? json(format_iso8601(to_millis(*a.at))) : json(nullptr)}};
            c.query("INSERT INTO ticket_events (ticket_id, at, actor_name, actor_role, type, reason, data_json, internal) "
                    "VALUES (?, ?, 'system:sla', 'system', ?, '', ?, 1)",
                    {id, now, type, data.dump()});
            OutboundMessage msg;
            msg.event = "ticket." + type;
            msg.ticket_id = id;
            msg.customer_id = r.i64("customer_id");
            msg.params = {{"number", r.text("number")}, {"title", r.text("title")}, {"project_name", r.text("project_name")},
                          {"milestone", milestone}, {"percent", std::to_string(percent)},
                          {"notify_role", a.step.notify_role}, {"due_at", due_at.is_null() ? "" : due_at.get<std::string>()},
                          {"internal", true}};
            enqueue_notification(c, msg, now);
          }
        }
      refresh_ticket_clocks(c, id, now);
      return n;
    });
  }
  return fired;
}

}  // namespace aftersales::app
