// A request body → every write route of the real route table that takes a JSON body, the way
// the server runs it: the route's handler parses it (http/json_body.cc: content type, depth,
// syntax, UTF-8, object), maps it to typed fields with the route's payload spec (ticket intake,
// the lifecycle action payloads of app/ticket_payloads.cc — all 32 actions —, master data specs
// of app/master_data.cc, complaints, parts, follow-ups, notification channels …) and validates
// them; the database stub (fuzz_support.h) stops a valid body at its first statement. Each
// input goes to a quarter of these handlers, picked by its size.
// Findings: crashes and sanitizer reports; any exception other than the stub's DbError (the
// server would answer 500); a response that is not well-formed JSON.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "domain/ticket/state.h"
#include "fuzz_support.h"
#include "http/message.h"

using namespace aftersales;

namespace {

[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "FINDING: %s\n", what.c_str());
  std::abort();
}

struct Target {
  const http::Route* route;
  std::map<std::string, std::string> params;
  std::string path;
};

// Routes whose handler hashes a password (Argon2id, ~0.1 s) or stores an upload before the
// database is reached: they would slow the run to a crawl or fill the disk.
const std::set<std::string> kSkipped = {"login", "changePassword", "setUserPassword", "createUser",
                                        "uploadAttachment"};

std::vector<Target> targets() {
  std::vector<Target> out;
  for (const auto& r : fuzz::api().router.routes()) {
    if (r.method != "POST" && r.method != "PUT" && r.method != "PATCH") continue;
    if (kSkipped.count(r.operation_id)) continue;
    std::vector<std::string> actions = {""};
    bool has_action = false;
    for (const auto& seg : r.segments) has_action |= seg == "{action}";
    if (has_action && r.operation_id == "actOnTicket") {
      actions.clear();
      for (int i = 0; i < domain::ticket::kActionCount; ++i)
        actions.emplace_back(domain::ticket::ToString(static_cast<domain::ticket::Action>(i)));
    }
    for (const auto& action : actions) {
      Target t{&r, {}, ""};
      for (const auto& seg : r.segments) {
        std::string v = seg;
        if (seg.size() > 2 && seg.front() == '{') {
          std::string name = seg.substr(1, seg.size() - 2);
          v = name == "action" ? (action.empty() ? "close" : action) : name == "token" ? "fuzz-token" : "7";
          t.params[name] = v;
        }
        t.path += "/" + v;
      }
      out.push_back(std::move(t));
    }
  }
  return out;
}

void run_one(const Target& t, const std::string& body, const app::Actor& actor) {
  http::Request req;
  req.method = t.route->method;
  req.path = t.path;
  req.params = t.params;
  req.headers["content-type"] = "application/json";
  req.headers["idempotency-key"] = "fuzz-key-1";
  req.body = body;
  req.request_id = "fuzz";
  req.client_ip = "127.0.0.1";
  req.actor = actor;
  http::Response res;
  try {
    res = t.route->handler(req);
  } catch (const store::DbError&) {
    return;  // the stub: a valid body reached the database (the server answers 503 here)
  } catch (const std::exception& e) {
    finding(t.route->operation_id + " " + t.path + ": " + e.what());
  }
  if (res.status == 500) finding(t.route->operation_id + ": 500");
  if (!res.body.empty() && res.content_type.find("json") != std::string::npos &&
      !nlohmann::json::accept(res.body))
    finding(t.route->operation_id + ": response is not JSON");
}

}  // namespace

constexpr size_t kGroups = 4;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::quiet_logs();
  fuzz::api();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<Target> all = targets();
  static const app::Actor admin = fuzz::admin_actor();
  static const app::Actor customer = fuzz::customer_actor();
  const std::string body(reinterpret_cast<const char*>(data), size);
  // About 70 handlers take a body; each input goes to a quarter of them (chosen by its size, so
  // that the same input always reaches the same ones), which keeps a run at a useful speed.
  for (size_t i = size % kGroups; i < all.size(); i += kGroups) {
    const Target& t = all[i];
    run_one(t, body, admin);
    // Customers may log requests and answer consultations through the portal: other rules.
    if (t.route->operation_id == "createTicket" || t.route->operation_id == "createComplaint")
      run_one(t, body, customer);
  }
  return 0;
}
