#include "jobs/outbox_worker.h"

#include "common/log.h"
#include "notify/outbox.h"

namespace aftersales::jobs {

using json = nlohmann::json;

// A delivery to attempt this round, with the channel as it is configured now.
struct Target {
  std::int64_t delivery_id = 0;
  std::optional<notify::Channel> channel;  // nullopt: deleted since the fan-out
  std::string recipient;
  notify::SendResult result;
};

struct OutboxWorker::Claimed {
  notify::OutboxItem item;
  int attempts = 0;
  Millis lease = 0;  // our locked_until: finishing only applies while we still hold it
  std::vector<Target> targets;
};

OutboxWorker::OutboxWorker(store::Database& db, const Clock& clock, OutboxWorkerOptions options)
    : db_(db), clock_(clock), options_(std::move(options)) {
  options_.delivery.transport.cancel = &stopping_;
}

OutboxWorker::~OutboxWorker() { stop(); }

void OutboxWorker::start() {
  notify::init_transport();
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
  notify::set_outbox_wake([this] { wake(); });
}

void OutboxWorker::stop() {
  if (!thread_.joinable()) return;
  notify::set_outbox_wake(nullptr);
  stopping_ = true;
  wake();
  thread_.join();
}

void OutboxWorker::wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_one();
}

void OutboxWorker::loop() {
  while (!stopping_) {
    int handled = 0;
    try {
      handled = run_once();
    } catch (const std::exception& e) {
      // A database hiccup must not kill the worker; the next round tries again.
      log::error("outbox round failed", {{"error", e.what()}});
    }
    if (handled > 0) continue;  // more may be due right away
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(options_.poll_ms), [this] { return woken_ || stopping_.load(); });
    woken_ = false;
  }
}

int OutboxWorker::run_once() {
  Millis now = clock_.now_ms();
  auto claimed = claim(now);
  for (auto& work : claimed) {
    // The network I/O, outside any transaction.
    for (auto& t : work.targets) {
      if (stopping_) {
        t.result.error = "worker stopped";
        continue;
      }
      if (!t.channel) t.result.error = "channel deleted";
      else if (!t.channel->enabled) t.result.error = "channel disabled";
      else t.result = notify::deliver(work.item, *t.channel, t.recipient, options_.delivery, clock_.now_ms());
    }
    finish(work, clock_.now_ms());
  }
  return static_cast<int>(claimed.size());
}

std::vector<OutboxWorker::Claimed> OutboxWorker::claim(Millis now) {
  const char* due_sql =
      "SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? "
      "AND (locked_until IS NULL OR locked_until <= ?) ORDER BY next_attempt_at, id LIMIT ?";
  std::vector<store::Value> due_params = {now, now, std::int64_t{options_.batch}};
  // A cheap read first: idle rounds must not take SQLite's write lock twice a second.
  bool any = db_.read([&](store::Connection& c) { return !c.query(due_sql, due_params).empty(); });
  if (!any) return {};

  Millis lease = now + options_.lease_ms;
  return db_.write([&](store::Connection& c) {
    // PostgreSQL: rows another process is claiming right now are skipped, not waited for.
    // SQLite: BEGIN IMMEDIATE already makes this transaction the only writer.
    std::string sql = due_sql;
    if (c.dialect() == store::Dialect::kPostgres) sql += " FOR UPDATE SKIP LOCKED";
    auto due = c.query(sql, due_params);
    std::vector<Claimed> out;
    for (const auto& row : due.rows) {
      std::int64_t id = row.i64("id");
      auto upd = c.query("UPDATE outbox SET locked_until = ? WHERE id = ? AND state = 'pending' "
                         "AND (locked_until IS NULL OR locked_until <= ?)",
                         {lease, id, now});
      if (upd.affected != 1) continue;  // taken by another process in between
      auto m = c.query("SELECT id, created_at, event, ticket_id, customer_id, payload_json, attempts "
                       "FROM outbox WHERE id = ?", {id});
      const auto& r = m.rows.at(0);
      Claimed work;
      work.lease = lease;
      work.attempts = static_cast<int>(r.i64("attempts"));
      work.item.id = id;
      work.item.event = r.text("event");
      work.item.ticket_id = r.opt_i64("ticket_id");
      work.item.customer_id = r.opt_i64("customer_id");
      work.item.created_at = r.i64("created_at");
      notify::decode_payload(r.text("payload_json"), work.item);

      // The fan-out is fixed once, on first claim, so retries go only to what failed.
      bool planned = !c.query("SELECT 1 FROM outbox_deliveries WHERE outbox_id = ? LIMIT 1", {id}).empty();
      if (!planned) {
        auto channels = notify::load_channels(c, true);
        std::map<std::string, std::vector<std::string>> role_emails;
        for (const auto& ch : channels)
          if (ch.kind == "email" && ch.config.contains("recipient_roles") && ch.config["recipient_roles"].is_array())
            for (const auto& role : ch.config["recipient_roles"]) {
              if (!role.is_string() || role_emails.count(role.get<std::string>())) continue;
              auto& list = role_emails[role.get<std::string>()];
              for (const auto& u : c.query("SELECT email FROM users WHERE role = ? AND disabled = 0 AND email <> '' "
                                           "ORDER BY id", {role.get<std::string>()}).rows)
                list.push_back(u.text("email"));
            }
        auto plan = notify::plan_deliveries(work.item, channels, role_emails);
        if (plan.empty()) {
          c.query("UPDATE outbox SET state = 'skipped', locked_until = NULL, sent_at = ?, "
                  "last_error = 'no channel subscribes to this event' WHERE id = ?", {now, id});
          log::debug("outbox message skipped", {{"outbox_id", id}, {"event", work.item.event}});
          continue;
        }
        for (const auto& p : plan)
          c.query("INSERT INTO outbox_deliveries (outbox_id, channel_id, channel_name, kind, recipient, state) "
                  "VALUES (?, ?, ?, ?, ?, 'pending')",
                  {id, p.channel_id, p.channel_name, p.kind, p.recipient});
      }
      for (const auto& d : c.query("SELECT id, channel_id, recipient FROM outbox_deliveries "
                                   "WHERE outbox_id = ? AND state = 'pending' ORDER BY id", {id}).rows) {
        Target t;
        t.delivery_id = d.i64("id");
        t.recipient = d.text("recipient");
        if (auto ch_id = d.opt_i64("channel_id")) t.channel = notify::load_channel(c, *ch_id);
        work.targets.push_back(std::move(t));
      }
      out.push_back(std::move(work));
    }
    return out;
  });
}

void OutboxWorker::finish(const Claimed& work, Millis now) {
  int failures = 0;
  std::string errors;
  bool stopped = stopping_.load();
  db_.write([&](store::Connection& c) {
    // Deliveries are recorded whatever happens to the lease: what was sent must never be resent.
    for (const auto& t : work.targets) {
      if (t.result.ok) {
        c.query("UPDATE outbox_deliveries SET state = 'sent', attempts = attempts + 1, sent_at = ?, last_error = '' "
                "WHERE id = ?", {now, t.delivery_id});
        continue;
      }
      if (stopped && t.result.error == "worker stopped") continue;  // not attempted: no attempt counted
      ++failures;
      bool hopeless = !t.channel || !t.channel->enabled;  // nothing a retry could change
      c.query("UPDATE outbox_deliveries SET attempts = attempts + 1, last_error = ?, state = ? WHERE id = ?",
              {t.result.error.substr(0, 1000), std::string(hopeless ? "dead" : "pending"), t.delivery_id});
      std::string name = t.channel ? t.channel->name : std::string("?");
      errors += (errors.empty() ? "" : "; ") + name + (t.recipient.empty() ? "" : " <" + t.recipient + ">") + ": " +
                t.result.error;
    }
    bool pending = !c.query("SELECT 1 FROM outbox_deliveries WHERE outbox_id = ? AND state = 'pending' LIMIT 1",
                            {work.item.id}).empty();
    if (!pending) {
      bool any_dead = !c.query("SELECT 1 FROM outbox_deliveries WHERE outbox_id = ? AND state = 'dead' LIMIT 1",
                               {work.item.id}).empty();
      c.query("UPDATE outbox SET state = ?, locked_until = NULL, sent_at = ?, last_error = ? "
              "WHERE id = ? AND locked_until = ?",
              {std::string(any_dead ? "dead" : "sent"), now, errors.substr(0, 2000), work.item.id, work.lease});
      return;
    }
    if (failures == 0) {  // interrupted by shutdown: release the lease, due again at once
      c.query("UPDATE outbox SET locked_until = NULL WHERE id = ? AND locked_until = ?", {work.item.id, work.lease});
      return;
    }
    int attempts = work.attempts + 1;
    if (options_.retry.exhausted(attempts)) {
      c.query("UPDATE outbox_deliveries SET state = 'dead' WHERE outbox_id = ? AND state = 'pending'", {work.item.id});
      c.query("UPDATE outbox SET state = 'dead', attempts = ?, locked_until = NULL, last_error = ? "
              "WHERE id = ? AND locked_until = ?",
              {std::int64_t{attempts}, errors.substr(0, 2000), work.item.id, work.lease});
      log::warn("outbox message dead", {{"outbox_id", work.item.id}, {"event", work.item.event},
                                         {"attempts", attempts}, {"error", errors}});
      return;
    }
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    Millis next = now + options_.retry.delay(attempts, unit(rng_));
    c.query("UPDATE outbox SET attempts = ?, next_attempt_at = ?, locked_until = NULL, last_error = ? "
            "WHERE id = ? AND locked_until = ?",
            {std::int64_t{attempts}, next, errors.substr(0, 2000), work.item.id, work.lease});
    log::info("outbox delivery failed; will retry",
              {{"outbox_id", work.item.id}, {"attempts", attempts}, {"retry_at", format_iso8601(next)}, {"error", errors}});
  });
}

}  // namespace aftersales::jobs
