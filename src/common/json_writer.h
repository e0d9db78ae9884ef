// JSON written straight to text, for the answers the server renders most often.
//
// Building an answer as an nlohmann tree and then writing that tree out allocates a node, a key
// and a pair for every field: for a new request's answer (about 120 fields, most of them its
// clocks) that was about a fifth of the server's CPU per intake. JsonWriter appends to one string
// instead, and writes well-formed strings exactly as nlohmann's dump does (UTF-8 kept, control
// characters escaped; a byte that starts no valid sequence becomes U+FFFD), so a value reads the
// same either way. Trees still serve where they are built once or edited (stored JSON, small
// lists): value(json) embeds one.
#pragma once
#include <nlohmann/json.hpp>

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aftersales {

class JsonWriter {
 public:
  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }
  // The name of the next value; only inside an object.
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view s);
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(bool b);
  template <std::integral T>
    requires(!std::same_as<T, bool>)
  JsonWriter& value(T n) {
    return integer(static_cast<std::int64_t>(n));
  }
  JsonWriter& value(double d);  // non-finite numbers are written as null, as nlohmann does
  JsonWriter& value(const nlohmann::json& tree);
  template <typename T>
  JsonWriter& value(const std::optional<T>& v) {
    return v ? value(*v) : null();
  }
  JsonWriter& null();
  // JSON text this program wrote (another JsonWriter's), as the next value; not checked.
  JsonWriter& raw(std::string_view json_text);

  // key(name) then value(v).
  template <typename T>
  JsonWriter& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }

  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  JsonWriter& open(char bracket);
  JsonWriter& close(char bracket);
  JsonWriter& integer(std::int64_t n);
  void separate();  // the comma before a value or key that is not its container's first

  std::string out_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool after_key_ = false;
};

// An answer written out as JSON, with what HTTP tells of it beside the body.
struct JsonText {
  std::string text;
  std::optional<std::int64_t> version;  // the resource's version (its ETag), when it has one
  std::int64_t id = 0;                  // the resource's id, when it is one resource
};

// `s` as a JSON string literal, quotes included, appended to `out`.
void append_json_string(std::string& out, std::string_view s);

}  // namespace aftersales
