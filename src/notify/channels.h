// Notification channels: where the outbox worker delivers (an SMTP server, a signed webhook, a
// WeCom or DingTalk group robot), configured by an administrator through the API.
//
// Not a ResourceSpec: a channel has a write-only secret (SMTP password or signing secret) that
// must never appear in a response or in the audit trail, and its `config` is validated by kind.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/error.h"
#include "common/clock.h"
#include "store/sql.h"

namespace aftersales::notify {

// One configured channel as the worker needs it (secret included).
struct Channel {
  std::int64_t id = 0;
  std::string name;
  std::string kind;                 // email, webhook, wecom, dingtalk
  bool enabled = true;
  std::vector<std::string> events;  // empty = every event; "ticket.*" matches a prefix
  nlohmann::json config = nlohmann::json::object();
  std::string secret;

  bool subscribes(const std::string& event) const;
};

const std::vector<std::string>& channel_kinds();

// Every channel, ordered by id; `enabled_only` for the worker.
std::vector<Channel> load_channels(store::Connection& c, bool enabled_only);
std::optional<Channel> load_channel(store::Connection& c, std::int64_t id);

// Validates a complete channel record (kind, config by kind, events); every problem at once.
std::vector<app::FieldError> validate_channel(const Channel& ch);

// The admin use cases behind /api/v1/notification-channels. Admin only; secrets are
// write-only: responses show "***" when one is set, and sending "***" back keeps it.
class ChannelService {
 public:
  ChannelService(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  app::Outcome<nlohmann::json> list(const app::Actor& actor) const;
  app::Outcome<nlohmann::json> get(const app::Actor& actor, std::int64_t id) const;
  app::Outcome<nlohmann::json> create(const app::Actor& actor, const nlohmann::json& body) const;
  app::Outcome<nlohmann::json> update(const app::Actor& actor, std::int64_t id, const nlohmann::json& body,
                                      std::optional<std::int64_t> if_version) const;
  app::Outcome<app::Unit> remove(const app::Actor& actor, std::int64_t id) const;

 private:
  store::Database& db_;
  const Clock& clock_;
};

// The JSON schema of a channel for the OpenAPI document.
nlohmann::json channel_schema();

}  // namespace aftersales::notify
