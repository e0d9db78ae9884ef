#include "common/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "common/clock.h"

namespace aftersales::log {
namespace {

std::shared_ptr<spdlog::logger> logger() {
  static auto l = [] {
    auto lg = spdlog::stderr_logger_mt("aftersales");
    lg->set_pattern("%v");
    lg->flush_on(spdlog::level::info);
    return lg;
  }();
  return l;
}

}  // namespace

void set_level(const std::string& name) {
  if (name == "debug") logger()->set_level(spdlog::level::debug);
  else if (name == "warn") logger()->set_level(spdlog::level::warn);
  else if (name == "error") logger()->set_level(spdlog::level::err);
  else logger()->set_level(spdlog::level::info);
}

void write(Level level, const std::string& message, nlohmann::json fields) {
  static const char* names[] = {"debug", "info", "warn", "error"};
  static const spdlog::level::level_enum levels[] = {spdlog::level::debug, spdlog::level::info,
                                                     spdlog::level::warn, spdlog::level::err};
  auto lvl = levels[static_cast<int>(level)];
  if (!logger()->should_log(lvl)) return;
  nlohmann::json line = {{"ts", format_iso8601(SystemClock().now_ms())},
                         {"level", names[static_cast<int>(level)]},
                         {"msg", message}};
  if (fields.is_object()) line.update(fields);
  logger()->log(lvl, line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace aftersales::log
