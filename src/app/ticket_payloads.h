// What each lifecycle action carries: one declarative payload spec per action (fields, lists
// of objects), validated with the same rules as master data, so a bad body is refused with
// every offending field named before anything changes.
#pragma once
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "app/error.h"
#include "app/resource.h"
#include "domain/ticket/state.h"

namespace aftersales::app {

struct ListSpec {
  std::string name;
  std::vector<FieldSpec> item_fields;
  size_t max_items = 50;
};

struct PayloadSpec {
  std::vector<FieldSpec> fields;
  std::vector<ListSpec> lists;
  std::string record_kind;   // non-empty: the payload is kept as a step record (diagnosis, plan…)
  bool internal = false;     // hidden from customer users in the timeline
};

const PayloadSpec& payload_spec(domain::ticket::Action action);

// Validates `body` (without "version") for `action`; *out receives the normalised payload.
std::vector<FieldError> validate_payload(domain::ticket::Action action, const nlohmann::json& body,
                                         nlohmann::json* out);

}  // namespace aftersales::app
