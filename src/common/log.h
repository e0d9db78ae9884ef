// Structured logs: one JSON object per line on stderr, with the request id where there is one.
#pragma once
#include <nlohmann/json.hpp>

#include <string>

namespace aftersales::log {

enum class Level { kDebug, kInfo, kWarn, kError };

void set_level(const std::string& name);  // debug, info, warn, error
void write(Level level, const std::string& message, nlohmann::json fields = nlohmann::json::object());
inline void info(const std::string& m, nlohmann::json f = nlohmann::json::object()) { write(Level::kInfo, m, std::move(f)); }
inline void warn(const std::string& m, nlohmann::json f = nlohmann::json::object()) { write(Level::kWarn, m, std::move(f)); }
inline void error(const std::string& m, nlohmann::json f = nlohmann::json::object()) { write(Level::kError, m, std::move(f)); }
inline void debug(const std::string& m, nlohmann::json f = nlohmann::json::object()) { write(Level::kDebug, m, std::move(f)); }

}  // namespace aftersales::log
