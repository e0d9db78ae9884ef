// Message templates: per event, a subject and a plain-text body in zh-CN and en-US, with
// {{param}} placeholders filled from the message's params.
//
// Values are escaped for the format they end up in: e-mail bodies are sent as text/plain (so no
// markup is ever interpreted) and lose control characters; subjects additionally lose line
// breaks (no header injection); Markdown for the group robots escapes the characters that would
// turn a customer-typed title into links, emphasis or WeCom <font> tags. JSON escaping for
// webhooks is left to the JSON serialiser.
#pragma once
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace aftersales::notify {

enum class Format { kText, kMarkdown };

struct Rendered {
  std::string subject;
  std::string body;
};

// Renders `event` in `locale` ("en..." → English, anything else → Chinese). Missing params
// render empty; an unknown event gets a generic template naming the event. ISO-8601 times in
// params are shown as local time "YYYY-MM-DD HH:MM" in `time_zone`.
Rendered render(std::string_view event, std::string_view locale, const nlohmann::json& params,
                Format format = Format::kText, std::string_view time_zone = "Asia/Shanghai");

// Substitutes {{name}} in `text`; exposed for tests.
std::string substitute(std::string_view text, const nlohmann::json& params, Format format,
                       std::string_view time_zone);

// Whether a template exists for `event` (the generic one is used otherwise).
bool has_template(std::string_view event);

}  // namespace aftersales::notify
