// `?` → `$n` rewrite for PostgreSQL (declared in store/sql.h).
//
// A `?` is a placeholder unless it is inside a string literal ('...', E'...' with backslash
// escapes, $tag$...$tag$), a quoted identifier ("..."), a line comment (-- ...) or a block
// comment (/* ... */, which nests in PostgreSQL). Doubled quotes ('' and "") need no special
// case: they close and reopen the literal. PostgreSQL's jsonb operators `?`, `?|` and `?&`
// cannot be written through this layer; use jsonb_exists()/jsonb_exists_any()/_all() instead.
#include <cctype>
#include <string>
#include <string_view>

#include "store/postgres/placeholders.h"
#include "store/sql.h"

namespace aftersales::store {
namespace {

bool is_ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool is_ident_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// If sql[i] starts a dollar-quote opener ($$ or $tag$), returns the opener's length, else 0.
size_t dollar_tag_length(std::string_view sql, size_t i) {
  if (sql[i] != '$') return 0;
  if (i > 0 && is_ident_char(sql[i - 1])) return 0;  // e.g. an identifier like a$b
  size_t j = i + 1;
  if (j < sql.size() && sql[j] == '$') return 2;
  if (j >= sql.size() || !is_ident_start(sql[j])) return 0;  // $1 is a positional parameter
  while (j < sql.size() && is_ident_char(sql[j]) && sql[j] != '$') ++j;
  if (j < sql.size() && sql[j] == '$') return j - i + 1;
  return 0;
}

}  // namespace

std::string rewrite_placeholders(std::string_view sql) {
  int count = 0;
  return rewrite_placeholders(sql, &count);
}

std::string rewrite_placeholders(std::string_view sql, int* count) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  size_t i = 0;
  const size_t len = sql.size();
  while (i < len) {
    const char c = sql[i];
    if (c == '?') {
      out += '$';
      out += std::to_string(++n);
      ++i;
    } else if (c == '\'') {
      // E'...' (or e'...') allows backslash escapes; plain literals do not
      // (standard_conforming_strings is on by default since PostgreSQL 9.1).
      const bool escapes = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                           (i < 2 || !is_ident_char(sql[i - 2]));
      size_t j = i + 1;
      while (j < len) {
        if (escapes && sql[j] == '\\' && j + 1 < len) {
          j += 2;
          continue;
        }
        if (sql[j] == '\'') break;
        ++j;
      }
      j = j < len ? j + 1 : len;
      out.append(sql.substr(i, j - i));
      i = j;
    } else if (c == '"') {
      size_t j = sql.find('"', i + 1);
      j = j == std::string_view::npos ? len : j + 1;
      out.append(sql.substr(i, j - i));
      i = j;
    } else if (c == '-' && i + 1 < len && sql[i + 1] == '-') {
      size_t j = sql.find('\n', i);
      j = j == std::string_view::npos ? len : j;  // the newline itself is copied as normal text
      out.append(sql.substr(i, j - i));
      i = j;
    } else if (c == '/' && i + 1 < len && sql[i + 1] == '*') {
      int depth = 1;
      size_t j = i + 2;
      while (j < len && depth > 0) {
        if (sql[j] == '/' && j + 1 < len && sql[j + 1] == '*') {
          ++depth;
          j += 2;
        } else if (sql[j] == '*' && j + 1 < len && sql[j + 1] == '/') {
          --depth;
          j += 2;
        } else {
          ++j;
        }
      }
      out.append(sql.substr(i, j - i));
      i = j;
    } else if (size_t tag = dollar_tag_length(sql, i); tag > 0) {
      std::string_view opener = sql.substr(i, tag);
      size_t close = sql.find(opener, i + tag);
      size_t j = close == std::string_view::npos ? len : close + tag;
      out.append(sql.substr(i, j - i));
      i = j;
    } else {
      out += c;
      ++i;
    }
  }
  *count = n;
  return out;
}

}  // namespace aftersales::store
