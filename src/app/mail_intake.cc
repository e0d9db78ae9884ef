#include "app/mail_intake.h"

#include <date/date.h>
#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <map>

#include "app/audit.h"
#include "app/tickets.h"
#include "common/crypto.h"
#include "common/log.h"

namespace aftersales::app {

namespace mail {
namespace {

using json = nlohmann::json;

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim_view(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::string trim(std::string_view s) { return std::string(trim_view(s)); }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not one.
size_t utf8_sequence(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  size_t n;
  std::uint32_t cp;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) n = 2, cp = c & 0x1F;
  else if (c >= 0xE0 && c <= 0xEF) n = 3, cp = c & 0x0F;
  else if (c >= 0xF0 && c <= 0xF4) n = 4, cp = c & 0x07;
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

bool valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8_sequence(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// Valid UTF-8 kept, every invalid byte replaced by U+FFFD.
std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8_sequence(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// iconv from `charset` to UTF-8; invalid input bytes become U+FFFD. nullopt when iconv does
// not know the charset.
std::optional<std::string> iconv_to_utf8(std::string_view data, const std::string& charset) {
  iconv_t cd = iconv_open("UTF-8", charset.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string out;
  out.reserve(data.size() * 3 / 2 + 16);
  std::string in(data);
  char* inp = in.data();
  size_t inleft = in.size();
  char buf[4096];
  while (inleft > 0) {
    char* outp = buf;
    size_t outleft = sizeof buf;
    size_t rc = iconv(cd, &inp, &inleft, &outp, &outleft);
    out.append(buf, sizeof buf - outleft);
    if (rc == static_cast<size_t>(-1)) {
      if (errno == E2BIG) continue;
      // EILSEQ or EINVAL (truncated sequence at the end): skip one byte.
      out += "\xEF\xBF\xBD";
      ++inp;
      --inleft;
      iconv(cd, nullptr, nullptr, nullptr, nullptr);
    }
  }
  char* outp = buf;
  size_t outleft = sizeof buf;
  iconv(cd, nullptr, nullptr, &outp, &outleft);
  out.append(buf, sizeof buf - outleft);
  iconv_close(cd);
  return sanitize_utf8(out);
}

// ---- headers and MIME entities ----

struct Header {
  std::string name;  // lower case
  std::string value; // unfolded, raw
};

struct Entity {
  std::vector<Header> headers;
  std::string_view body;

  const std::string* get(std::string_view name) const {
    for (const auto& h : headers)
      if (h.name == name) return &h.value;
    return nullptr;
  }
};

// Splits at the first empty line and unfolds the header lines.
Entity split_entity(std::string_view raw) {
  Entity e;
  size_t pos = 0;
  std::string current;
  bool have = false;
  auto flush = [&] {
    if (!have) return;
    auto colon = current.find(':');
    if (colon != std::string::npos && colon > 0) {
      std::string name = lower(trim_view(std::string_view(current).substr(0, colon)));
      e.headers.push_back({name, trim(std::string_view(current).substr(colon + 1))});
    }
    current.clear();
    have = false;
  };
  while (pos < raw.size()) {
    size_t nl = raw.find('\n', pos);
    size_t end = nl == std::string_view::npos ? raw.size() : nl;
    std::string_view line = raw.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t next = nl == std::string_view::npos ? raw.size() : nl + 1;
    if (line.empty()) {
      flush();
      e.body = raw.substr(next);
      return e;
    }
    if ((line[0] == ' ' || line[0] == '\t') && have) {
      current += ' ';
      current.append(trim_view(line));
    } else {
      // A first line that is no header at all ("hello") means: no headers, all body.
      if (e.headers.empty() && !have && line.find(':') == std::string_view::npos && pos == 0) {
        e.body = raw;
        return e;
      }
      flush();
      current.assign(line);
      have = true;
    }
    pos = next;
  }
  flush();
  e.body = std::string_view();
  return e;
}

struct ContentType {
  std::string type = "text/plain";  // lower case
  std::map<std::string, std::string> params;  // names lower case
};

// Parameters after the first ';': name=value or name="quoted", RFC 2231 name*=charset''pct.
std::map<std::string, std::string> parse_params(std::string_view s) {
  std::map<std::string, std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ';' || std::isspace(static_cast<unsigned char>(s[i])))) ++i;
    size_t eq = s.find('=', i);
    if (eq == std::string_view::npos) break;
    std::string name = lower(trim_view(s.substr(i, eq - i)));
    i = eq + 1;
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    std::string value;
    if (i < s.size() && s[i] == '"') {
      ++i;
      while (i < s.size() && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        value += s[i++];
      }
      if (i < s.size()) ++i;
    } else {
      size_t end = s.find(';', i);
      if (end == std::string_view::npos) end = s.size();
      value = trim(s.substr(i, end - i));
      i = end;
    }
    if (!name.empty() && name.back() == '*') {  // RFC 2231: charset'lang'percent-encoded
      name.pop_back();
      auto q1 = value.find('\''), q2 = q1 == std::string::npos ? q1 : value.find('\'', q1 + 1);
      if (q2 != std::string::npos) {
        std::string charset = value.substr(0, q1), bytes;
        for (size_t k = q2 + 1; k < value.size(); ++k) {
          if (value[k] == '%' && k + 2 < value.size() && hex_value(value[k + 1]) >= 0 && hex_value(value[k + 2]) >= 0) {
            bytes += static_cast<char>(hex_value(value[k + 1]) * 16 + hex_value(value[k + 2]));
            k += 2;
          } else {
            bytes += value[k];
          }
        }
        value = to_utf8(bytes, charset);
      }
    }
    if (!name.empty() && !out.count(name)) out[name] = value;
  }
  return out;
}

ContentType content_type_of(const Entity& e, const std::string& default_type) {
  ContentType ct;
  ct.type = default_type;
  const std::string* v = e.get("content-type");
  if (!v) return ct;
  std::string_view s(*v);
  auto semi = s.find(';');
  std::string type = lower(trim_view(s.substr(0, semi)));
  if (type.find('/') != std::string::npos) ct.type = type;
  if (semi != std::string_view::npos) ct.params = parse_params(s.substr(semi + 1));
  return ct;
}

std::string decoded_body(const Entity& e) {
  const std::string* cte = e.get("content-transfer-encoding");
  std::string enc = cte ? lower(trim_view(*cte)) : "";
  if (enc == "base64") return decode_base64(e.body);
  if (enc == "quoted-printable") return decode_quoted_printable(e.body);
  return std::string(e.body);
}

// The parts of a multipart body, split on its boundary.
std::vector<std::string_view> split_multipart(std::string_view body, const std::string& boundary) {
  std::vector<std::string_view> parts;
  if (boundary.empty()) return parts;
  const std::string delim = "--" + boundary;
  // Find delimiter lines: at the start of the body or after a newline.
  auto find_delim = [&](size_t from) -> size_t {
    while (true) {
      size_t p = body.find(delim, from);
      if (p == std::string_view::npos) return p;
      if (p == 0 || body[p - 1] == '\n') return p;
      from = p + 1;
    }
  };
  size_t p = find_delim(0);
  while (p != std::string_view::npos) {
    size_t after = p + delim.size();
    if (body.substr(after, 2) == "--") break;  // closing delimiter
    size_t line_end = body.find('\n', after);
    if (line_end == std::string_view::npos) break;
    size_t start = line_end + 1;
    size_t next = find_delim(start);
    size_t end = next == std::string_view::npos ? body.size() : next;
    // The newline before the delimiter belongs to the delimiter.
    if (end > start && body[end - 1] == '\n') --end;
    if (end > start && body[end - 1] == '\r') --end;
    parts.push_back(body.substr(start, end - start));
    p = next;
  }
  return parts;
}

struct Collected {
  std::optional<std::string> plain;
  std::optional<std::string> html;
  std::vector<std::string> attachments;
};

std::string filename_of(const Entity& e, const ContentType& ct) {
  if (const std::string* cd = e.get("content-disposition")) {
    auto semi = cd->find(';');
    if (semi != std::string::npos) {
      auto p = parse_params(std::string_view(*cd).substr(semi + 1));
      if (p.count("filename")) return decode_header(p["filename"]);
    }
  }
  auto it = ct.params.find("name");
  return it == ct.params.end() ? "" : decode_header(it->second);
}

void walk(const Entity& e, const std::string& default_type, Collected& out, int depth) {
  ContentType ct = content_type_of(e, default_type);
  if (depth > 12) return;
  if (ct.type.rfind("multipart/", 0) == 0) {
    const std::string child_default = ct.type == "multipart/digest" ? "message/rfc822" : "text/plain";
    auto parts = split_multipart(e.body, ct.params.count("boundary") ? ct.params["boundary"] : "");
    if (ct.type == "multipart/alternative") {
      // Alternatives come in order of preference of the sender, plainest first; we want plain
      // text, then HTML, whatever order they came in.
      Collected alt;
      for (auto part : parts) walk(split_entity(part), child_default, alt, depth + 1);
      if (!out.plain && alt.plain) out.plain = alt.plain;
      if (!out.html && alt.html) out.html = alt.html;
      out.attachments.insert(out.attachments.end(), alt.attachments.begin(), alt.attachments.end());
      return;
    }
    for (auto part : parts) walk(split_entity(part), child_default, out, depth + 1);
    return;
  }
  const std::string* cd = e.get("content-disposition");
  bool attachment = cd && lower(trim_view(std::string_view(*cd).substr(0, cd->find(';')))) == "attachment";
  std::string name = filename_of(e, ct);
  bool text = ct.type == "text/plain" || ct.type == "text/html";
  if (!text || attachment || (!name.empty() && ct.type != "text/html" && out.plain)) {
    out.attachments.push_back(name.empty() ? ct.type : name);
    return;
  }
  std::string charset = ct.params.count("charset") ? ct.params["charset"] : "";
  std::string decoded = to_utf8(decoded_body(e), charset);
  if (ct.type == "text/plain") {
    if (!out.plain) out.plain = decoded;
    else out.attachments.push_back(name.empty() ? ct.type : name);
  } else {
    if (!out.html) out.html = decoded;
    else out.attachments.push_back(name.empty() ? ct.type : name);
  }
}

// Plain text for storage: LF line ends, no control characters but tabs and newlines, no
// trailing spaces, at most one empty line in a row, trimmed.
std::string clean_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '\r') {
      if (i + 1 < s.size() && s[i + 1] == '\n') continue;
      c = '\n';
    }
    if (c == '\n') {
      while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
      size_t n = 0;
      for (size_t k = out.size(); k > 0 && out[k - 1] == '\n'; --k) ++n;
      if (n < 2) out += '\n';
      continue;
    }
    if (c == 0x7f || (c < 0x20 && c != '\t')) continue;
    // U+00A0 (no-break space, from &nbsp; and HTML mailers) reads as a space.
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
      out += ' ';
      ++i;
      continue;
    }
    out += static_cast<char>(c);
  }
  return trim(out);
}

// One line: whitespace runs (newlines and tabs too) become one space; control characters go.
std::string one_line(std::string_view s) {
  std::string out;
  bool space = false;
  for (unsigned char c : s) {
    if (std::isspace(c) || c < 0x20 || c == 0x7f) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += static_cast<char>(c);
  }
  return out;
}

std::string canonical_charset(std::string_view cs) {
  std::string c = lower(trim_view(cs));
  if (auto star = c.find('*'); star != std::string::npos) c.resize(star);  // RFC 2231 language
  if (c.size() >= 2 && c.front() == '"' && c.back() == '"') c = c.substr(1, c.size() - 2);
  // Mailers label GBK text as gb2312 (and worse); GB18030 reads all of them.
  if (c == "gb2312" || c == "gbk" || c == "x-gbk" || c == "cp936" || c == "euc-cn" || c == "x-euc-cn" || c == "gb_2312-80")
    return "GB18030";
  if (c == "utf8") return "UTF-8";
  if (c == "ks_c_5601-1987") return "CP949";
  if (c == "x-mac-chinesesimp") return "GB18030";
  return c;
}

}  // namespace

std::string to_utf8(std::string_view data, std::string_view charset) {
  std::string cs = canonical_charset(charset);
  bool ascii = std::all_of(data.begin(), data.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii && cs != "utf-16" && cs != "utf-16le" && cs != "utf-16be" && cs != "utf-7") return std::string(data);
  if (cs.empty() || cs == "utf-8" || cs == "us-ascii" || cs == "ascii") {
    if (valid_utf8(data)) return std::string(data);
    // Undeclared 8-bit text from a Chinese mailer is GBK far more often than anything else.
    if (auto g = iconv_to_utf8(data, "GB18030")) return *g;
    return sanitize_utf8(data);
  }
  if (auto converted = iconv_to_utf8(data, cs == "utf-8" ? "UTF-8" : cs)) return *converted;
  if (valid_utf8(data)) return std::string(data);
  if (auto g = iconv_to_utf8(data, "GB18030")) return *g;
  return sanitize_utf8(data);
}

std::string decode_quoted_printable(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '=') {
      // Soft line break: '=' at the end of a line (trailing spaces allowed).
      size_t k = i + 1;
      while (k < in.size() && (in[k] == ' ' || in[k] == '\t')) ++k;
      if (k < in.size() && (in[k] == '\n' || in[k] == '\r')) {
        if (in[k] == '\r' && k + 1 < in.size() && in[k + 1] == '\n') ++k;
        i = k;
        continue;
      }
      if (k >= in.size()) break;
      if (i + 2 < in.size() + 0 && hex_value(in[i + 1]) >= 0 && hex_value(in[i + 2]) >= 0) {
        out += static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2]));
        i += 2;
        continue;
      }
      out += c;  // a stray '=' is kept, as robust decoders do
      continue;
    }
    out += c;
  }
  return out;
}

std::string decode_base64(std::string_view in) {
  std::string out;
  out.reserve(in.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+' || c == '-') v = 62;
    else if (c == '/' || c == '_') v = 63;
    else if (c == '=') break;
    else continue;  // line breaks, spaces, junk
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

std::string decode_header(std::string_view value) {
  struct Segment {
    bool word = false;
    std::string charset;  // of a word
    std::string bytes;    // decoded bytes of a word, or the literal text
  };
  std::vector<Segment> segs;
  std::string literal;
  size_t i = 0;
  while (i < value.size()) {
    if (value[i] == '=' && i + 1 < value.size() && value[i + 1] == '?') {
      // =?charset?B|Q?text?=
      size_t q1 = value.find('?', i + 2);
      size_t q2 = q1 == std::string_view::npos ? q1 : q1 + 2;
      size_t end = q2 < value.size() && value[q2] == '?' ? value.find("?=", q2 + 1) : std::string_view::npos;
      if (end != std::string_view::npos) {
        char enc = static_cast<char>(std::toupper(static_cast<unsigned char>(value[q1 + 1])));
        std::string_view text = value.substr(q2 + 1, end - q2 - 1);
        if ((enc == 'B' || enc == 'Q') && text.find(' ') == std::string_view::npos) {
          Segment w;
          w.word = true;
          w.charset = canonical_charset(value.substr(i + 2, q1 - i - 2));
          if (enc == 'B') {
            w.bytes = decode_base64(text);
          } else {
            for (size_t k = 0; k < text.size(); ++k) {
              if (text[k] == '_') w.bytes += ' ';
              else if (text[k] == '=' && k + 2 < text.size() && hex_value(text[k + 1]) >= 0 && hex_value(text[k + 2]) >= 0) {
                w.bytes += static_cast<char>(hex_value(text[k + 1]) * 16 + hex_value(text[k + 2]));
                k += 2;
              } else {
                w.bytes += text[k];
              }
            }
          }
          if (!literal.empty()) segs.push_back({false, "", literal}), literal.clear();
          segs.push_back(std::move(w));
          i = end + 2;
          continue;
        }
      }
    }
    literal += value[i++];
  }
  if (!literal.empty()) segs.push_back({false, "", literal});
  // White space between two encoded-words is dropped; adjacent words in one charset are
  // joined before conversion, since mailers split a multi-byte character across two words.
  std::vector<Segment> merged;
  for (size_t k = 0; k < segs.size(); ++k) {
    const Segment& s = segs[k];
    if (!s.word && k > 0 && k + 1 < segs.size() && segs[k - 1].word && segs[k + 1].word &&
        std::all_of(s.bytes.begin(), s.bytes.end(), [](char c) { return c == ' ' || c == '\t'; }))
      continue;
    if (s.word && !merged.empty() && merged.back().word && merged.back().charset == s.charset) {
      merged.back().bytes += s.bytes;
      continue;
    }
    merged.push_back(s);
  }
  std::string out;
  for (const auto& s : merged) out += to_utf8(s.bytes, s.word ? s.charset : "");
  return out;
}

std::string html_to_text(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  static const char* kBlock[] = {"div", "/div", "tr", "/tr", "li", "/li", "h1", "h2", "h3",
                                 "h4", "h5", "h6", "/h1", "/h2", "/h3", "/h4", "/h5", "/h6", "table", "/table",
                                 "blockquote", "/blockquote", "hr", "pre", "/pre", "ul", "/ul", "ol", "/ol"};
  size_t i = 0;
  while (i < html.size()) {
    char c = html[i];
    if (c == '<') {
      if (html.substr(i, 4) == "<!--") {
        size_t end = html.find("-->", i + 4);
        i = end == std::string_view::npos ? html.size() : end + 3;
        continue;
      }
      size_t end = html.find('>', i + 1);
      if (end == std::string_view::npos) break;
      std::string_view tag = html.substr(i + 1, end - i - 1);
      size_t n = 0;
      while (n < tag.size() && (std::isalnum(static_cast<unsigned char>(tag[n])) || (n == 0 && tag[n] == '/'))) ++n;
      std::string name = lower(tag.substr(0, n));
      i = end + 1;
      if (name == "script" || name == "style" || name == "head" || name == "title") {
        // Skip to the matching end tag.
        std::string lower_rest = lower(html.substr(i));
        size_t close = lower_rest.find("</" + name);
        if (close == std::string::npos) break;
        size_t gt = html.find('>', i + close);
        i = gt == std::string_view::npos ? html.size() : gt + 1;
        continue;
      }
      if (name == "td" || name == "th") out += '\t';
      // Paragraphs and line breaks always break; other blocks start a line when not at one.
      if (name == "br" || name == "p" || name == "/p") {
        out += '\n';
        continue;
      }
      for (const char* b : kBlock)
        if (name == b) {
          if (!out.empty() && out.back() != '\n') out += '\n';
          break;
        }
      continue;
    }
    if (c == '&') {
      size_t semi = html.find(';', i + 1);
      if (semi != std::string_view::npos && semi - i <= 10) {
        std::string ent(html.substr(i + 1, semi - i - 1));
        static const std::map<std::string, std::string> kNamed = {
            {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", " "},
            {"ensp", " "}, {"emsp", " "}, {"mdash", "\u2014"}, {"ndash", "\u2013"}, {"hellip", "\u2026"},
            {"ldquo", "\u201c"}, {"rdquo", "\u201d"}, {"lsquo", "\u2018"}, {"rsquo", "\u2019"},
            {"middot", "\u00b7"}, {"copy", "\u00a9"}, {"reg", "\u00ae"}, {"times", "\u00d7"}, {"yen", "\u00a5"}};
        if (!ent.empty() && ent[0] == '#') {
          std::uint32_t cp = 0;
          bool ok = ent.size() > 1;
          bool hex = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X');
          for (size_t k = hex ? 2 : 1; k < ent.size() && ok; ++k) {
            int d = hex ? hex_value(ent[k]) : (std::isdigit(static_cast<unsigned char>(ent[k])) ? ent[k] - '0' : -1);
            if (d < 0 || cp > 0x10FFFF) ok = false;
            else cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
          }
          if (ok && (!hex || ent.size() > 2)) {
            append_utf8(out, cp);
            i = semi + 1;
            continue;
          }
        } else if (auto it = kNamed.find(lower(ent)); it != kNamed.end()) {
          out += it->second;
          i = semi + 1;
          continue;
        }
      }
    }
    // Source line breaks and runs of spaces are just white space in HTML.
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      if (!out.empty() && out.back() != ' ' && out.back() != '\n') out += ' ';
      ++i;
      continue;
    }
    out += c;
    ++i;
  }
  // Spaces around the newlines we made.
  std::string tidy;
  for (size_t k = 0; k < out.size(); ++k) {
    if (out[k] == ' ' && (k + 1 == out.size() || out[k + 1] == '\n' || tidy.empty() || tidy.back() == '\n')) continue;
    tidy += out[k];
  }
  return clean_text(tidy);
}

Address parse_address(std::string_view value) {
  Address a;
  std::string_view v = trim_view(value);
  // A list: take the first address (a comma outside quotes and angle brackets).
  bool quoted = false;
  int angle = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && quoted) {
      ++i;
      continue;
    }
    if (v[i] == '"') quoted = !quoted;
    else if (!quoted && v[i] == '<') ++angle;
    else if (!quoted && v[i] == '>') angle = std::max(0, angle - 1);
    else if (!quoted && !angle && v[i] == ',') {
      v = trim_view(v.substr(0, i));
      break;
    }
  }
  auto lt = v.rfind('<');
  auto gt = lt == std::string_view::npos ? lt : v.find('>', lt);
  std::string name;
  if (lt != std::string_view::npos && gt != std::string_view::npos) {
    a.email = trim(v.substr(lt + 1, gt - lt - 1));
    std::string_view n = trim_view(v.substr(0, lt));
    if (n.size() >= 2 && n.front() == '"' && n.back() == '"') {
      std::string unq;
      for (size_t i = 1; i + 1 < n.size(); ++i) {
        if (n[i] == '\\' && i + 2 < n.size()) ++i;
        unq += n[i];
      }
      name = unq;
    } else {
      name = std::string(n);
    }
  } else {
    // addr-spec, maybe followed by a comment with the name: zhang@example.com (张三)
    auto paren = v.find('(');
    if (paren != std::string_view::npos) {
      auto close = v.rfind(')');
      if (close != std::string_view::npos && close > paren) name = std::string(v.substr(paren + 1, close - paren - 1));
      a.email = trim(v.substr(0, paren));
    } else {
      a.email = std::string(v);
    }
  }
  if (a.email.rfind("mailto:", 0) == 0) a.email = a.email.substr(7);
  a.email = sanitize_utf8(one_line(a.email));
  a.name = one_line(decode_header(name));
  if (a.name.size() >= 2 && a.name.front() == '"' && a.name.back() == '"') a.name = a.name.substr(1, a.name.size() - 2);
  if (a.name.size() >= 2 && a.name.front() == '\'' && a.name.back() == '\'') a.name = a.name.substr(1, a.name.size() - 2);
  a.name = trim(a.name);
  if (iequals(a.name, a.email)) a.name.clear();
  return a;
}

std::optional<Millis> parse_date(std::string_view value) {
  // Drop comments such as "(CST)" and the day name.
  std::string s;
  int depth = 0;
  for (char c : value) {
    if (c == '(') ++depth;
    else if (c == ')') depth = std::max(0, depth - 1);
    else if (!depth) s += c;
  }
  if (auto comma = s.find(','); comma != std::string::npos) s = s.substr(comma + 1);
  std::vector<std::string> tok;
  std::string cur;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!cur.empty()) tok.push_back(cur), cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) tok.push_back(cur);
  if (tok.size() < 4) return std::nullopt;
  static const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  auto number = [](const std::string& t, int* out) {
    if (t.empty() || t.size() > 4 || !std::all_of(t.begin(), t.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
      return false;
    *out = std::stoi(t);
    return true;
  };
  int day = 0, month = 0, year = 0;
  if (!number(tok[0], &day)) return std::nullopt;
  std::string mon = lower(tok[1]).substr(0, 3);
  for (int m = 0; m < 12; ++m)
    if (mon == kMonths[m]) month = m + 1;
  if (!month || !number(tok[2], &year)) return std::nullopt;
  if (tok[2].size() <= 2) year += year < 50 ? 2000 : 1900;
  else if (tok[2].size() == 3) year += 1900;
  // hh:mm[:ss]
  int hh = 0, mm = 0, ss = 0;
  {
    const std::string& t = tok[3];
    std::vector<std::string> f;
    size_t p = 0;
    while (true) {
      auto c = t.find(':', p);
      f.push_back(t.substr(p, c == std::string::npos ? std::string::npos : c - p));
      if (c == std::string::npos) break;
      p = c + 1;
    }
    if (f.size() < 2 || f.size() > 3 || !number(f[0], &hh) || !number(f[1], &mm) || (f.size() == 3 && !number(f[2], &ss)))
      return std::nullopt;
    if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  }
  int offset_min = 0;
  if (tok.size() >= 5) {
    const std::string& z = tok[4];
    if ((z[0] == '+' || z[0] == '-') && z.size() == 5 &&
        std::all_of(z.begin() + 1, z.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      offset_min = std::stoi(z.substr(1, 2)) * 60 + std::stoi(z.substr(3, 2));
      if (z[0] == '-') offset_min = -offset_min;
    } else {
      static const std::map<std::string, int> kZones = {{"ut", 0}, {"utc", 0}, {"gmt", 0}, {"z", 0},
                                                          {"est", -300}, {"edt", -240}, {"cst", -360}, {"cdt", -300},
                                                          {"mst", -420}, {"mdt", -360}, {"pst", -480}, {"pdt", -420}};
      auto it = kZones.find(lower(z));
      offset_min = it == kZones.end() ? 0 : it->second;  // unknown zones read as UTC (RFC 5322 4.3)
    }
  }
  date::year_month_day ymd{date::year(year), date::month(static_cast<unsigned>(month)), date::day(static_cast<unsigned>(day))};
  if (!ymd.ok()) return std::nullopt;
  auto days = date::sys_days(ymd).time_since_epoch().count();
  std::int64_t secs = static_cast<std::int64_t>(days) * 86400 + hh * 3600 + mm * 60 + std::min(ss, 59) - offset_min * 60;
  return secs * 1000;
}

std::string truncate_utf8(std::string_view s, size_t max_chars, std::string_view suffix) {
  size_t count = 0;
  for (unsigned char c : s) count += (c & 0xC0) != 0x80;
  if (count <= max_chars) return std::string(s);
  size_t suffix_chars = 0;
  for (unsigned char c : suffix) suffix_chars += (c & 0xC0) != 0x80;
  size_t keep = max_chars > suffix_chars ? max_chars - suffix_chars : 0;
  size_t i = 0, n = 0;
  while (i < s.size()) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (n == keep) break;
      ++n;
    }
    ++i;
  }
  std::string out(s.substr(0, i));
  while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back()))) out.pop_back();
  return out + std::string(suffix);
}

Message parse_message(std::string_view raw) {
  Message m;
  Entity top = split_entity(raw);
  if (const std::string* v = top.get("subject")) m.subject = one_line(decode_header(*v));
  const std::string* from = top.get("from");
  if (!from) from = top.get("sender");
  if (!from) from = top.get("reply-to");
  if (from) m.from = parse_address(*from);
  if (const std::string* v = top.get("date")) m.date = parse_date(*v);
  if (const std::string* v = top.get("message-id")) {
    std::string id = trim(*v);
    auto lt = id.find('<'), gt = id.rfind('>');
    if (lt != std::string::npos && gt != std::string::npos && gt > lt) id = id.substr(lt + 1, gt - lt - 1);
    m.message_id = sanitize_utf8(one_line(id));
  }
  Collected c;
  walk(top, "text/plain", c, 0);
  std::string plain = c.plain ? clean_text(*c.plain) : "";
  if (!plain.empty()) {
    m.text = plain;
  } else if (c.html) {
    m.text = html_to_text(*c.html);
    m.text_from_html = true;
  }
  m.attachment_names = std::move(c.attachments);
  for (auto& n : m.attachment_names) n = sanitize_utf8(one_line(n));
  m.subject = sanitize_utf8(m.subject);
  m.text = sanitize_utf8(m.text);
  return m;
}

}  // namespace mail

// ---- the mail → request mapping ----

namespace {

using json = nlohmann::json;

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim_str(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

bool plausible_email(const std::string& s) {
  auto at = s.find('@');
  if (at == std::string::npos || at == 0 || s.find('@', at + 1) != std::string::npos) return false;
  auto dot = s.find('.', at);
  if (dot == std::string::npos || dot == at + 1 || dot + 1 >= s.size() || s.size() > 200) return false;
  return std::none_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) || c < 0x20 || c == 0x7f; });
}

bool plausible_phone(const std::string& s) {
  return !s.empty() && s.size() <= 30 && std::all_of(s.begin(), s.end(), [](unsigned char c) {
           return std::isdigit(c) || c == '+' || c == '-' || c == ' ' || c == '(' || c == ')';
         });
}

// The text inside "[项目: …]", "【项目：…】", "[project: …]" (any bracket and colon), if any.
std::optional<std::string> tagged_project(const std::string& text) {
  static const char* kOpen[] = {"[", "\u3010", "\uff3b"};       // [ 【 ［
  static const char* kClose[] = {"]", "\u3011", "\uff3d"};      // ] 】 ］
  static const char* kWords[] = {"\u9879\u76ee", "project"};    // 项目, project
  static const char* kColons[] = {":", "\uff1a"};               // : ：
  const std::string low = lower_ascii(text);
  for (size_t pos = 0; pos < low.size(); ++pos) {
    for (const char* open : kOpen) {
      size_t ol = std::strlen(open);
      if (low.compare(pos, ol, open) != 0) continue;
      size_t p = pos + ol;
      while (p < low.size() && low[p] == ' ') ++p;
      for (const char* word : kWords) {
        size_t wl = std::strlen(word);
        if (low.compare(p, wl, word) != 0) continue;
        size_t q = p + wl;
        while (q < low.size() && low[q] == ' ') ++q;
        for (const char* colon : kColons) {
          size_t cl = std::strlen(colon);
          if (low.compare(q, cl, colon) != 0) continue;
          size_t start = q + cl;
          size_t best = std::string::npos;
          for (const char* close : kClose) {
            size_t c = low.find(close, start);
            if (c != std::string::npos && (best == std::string::npos || c < best)) best = c;
          }
          if (best == std::string::npos) continue;
          std::string inner = trim_str(std::string_view(text).substr(start, best - start));
          if (!inner.empty()) return inner;
        }
      }
    }
  }
  return std::nullopt;
}

// Whether `needle` appears in `hay`, ASCII letters compared case-insensitively.
bool contains_ci(const std::string& hay_lower, const std::string& needle) {
  std::string n = lower_ascii(needle);
  return !n.empty() && hay_lower.find(n) != std::string::npos;
}

}  // namespace

std::optional<ProjectChoice> choose_project(const std::vector<ProjectCandidate>& candidates, const std::string& subject,
                                            const std::string& body) {
  if (candidates.empty()) return std::nullopt;
  // 1. An explicit tag, by id or by name (exact first, then contained).
  for (const std::string* text : {&subject, &body}) {
    auto tag = tagged_project(*text);
    if (!tag) continue;
    std::string t = *tag;
    if (!t.empty() && t[0] == '#') t = t.substr(1);
    if (!t.empty() && std::all_of(t.begin(), t.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
        t.size() < 18) {
      std::int64_t id = std::stoll(t);
      for (const auto& c : candidates)
        if (c.id == id) return ProjectChoice{c.id, true};
    }
    for (const auto& c : candidates)
      if (lower_ascii(trim_str(c.name)) == lower_ascii(*tag)) return ProjectChoice{c.id, true};
    const ProjectCandidate* best = nullptr;
    for (const auto& c : candidates)
      if (contains_ci(lower_ascii(c.name), *tag) || contains_ci(lower_ascii(*tag), c.name))
        if (!best || c.name.size() > best->name.size()) best = &c;
    if (best) return ProjectChoice{best->id, true};
  }
  // 2. A project's name anywhere in the subject, then the body; the longest name wins so that
  // "张江数据中心二期" is not taken for "张江数据中心".
  for (const std::string* text : {&subject, &body}) {
    const std::string low = lower_ascii(*text);
    const ProjectCandidate* best = nullptr;
    for (const auto& c : candidates) {
      std::string name = trim_str(c.name);
      if (name.size() < 2) continue;
      if (contains_ci(low, name) && (!best || name.size() > trim_str(best->name).size())) best = &c;
    }
    if (best) return ProjectChoice{best->id, true};
  }
  // 3. The only project, else the most recent one (to be confirmed).
  if (candidates.size() == 1) return ProjectChoice{candidates[0].id, true};
  const ProjectCandidate* latest = &candidates[0];
  for (const auto& c : candidates)
    if (c.created_at > latest->created_at || (c.created_at == latest->created_at && c.id > latest->id)) latest = &c;
  return ProjectChoice{latest->id, false};
}

std::string MailIntake::idempotency_key(const mail::Message& m, std::string_view raw) {
  const std::string& id = m.message_id;
  bool usable = !id.empty() && id.size() <= 190 &&
                std::all_of(id.begin(), id.end(), [](unsigned char c) { return c >= 0x21 && c <= 0x7e; });
  if (usable) return "mail:" + id;
  // No (usable) Message-ID: the same bytes fetched again give the same key.
  return "mail:sha256:" + crypto::sha256_hex(id.empty() ? raw : std::string_view(id));
}

json MailIntake::request_body(const mail::Message& m, std::int64_t project_id, const std::string& note,
                              const std::string& contact_name, const std::string& contact_phone, Millis now) {
  std::string title = mail::truncate_utf8(trim_str(m.subject), 200, "…");
  if (title.empty()) {
    // No subject: the first line of the text, else a placeholder.
    std::string first = m.text.substr(0, m.text.find('\n'));
    title = mail::truncate_utf8(trim_str(first), 200, "…");
  }
  if (title.empty()) title = "(无主题 / no subject)";
  std::replace(title.begin(), title.end(), '\t', ' ');
  std::string text = m.text.empty() ? "(邮件无正文 / the mail has no text)" : m.text;
  std::string prefix = note.empty() ? "" : note + "\n\n";
  size_t prefix_chars = 0;
  for (unsigned char c : prefix) prefix_chars += (c & 0xC0) != 0x80;
  std::string description =
      prefix + mail::truncate_utf8(text, prefix_chars < 3000 ? 4000 - prefix_chars : 1000, "\n(truncated)");
  json body = {{"project_id", project_id}, {"channel", "email"}, {"title", title}, {"description", description}};
  std::string name = mail::truncate_utf8(trim_str(contact_name), 100);
  if (!name.empty()) body["contact_name"] = name;
  if (plausible_email(m.from.email)) body["contact_email"] = m.from.email;
  if (plausible_phone(contact_phone)) body["contact_phone"] = contact_phone;
  if (m.date) {
    // Within what intake accepts: not in the future, at most 30 days back (a margin of five
    // minutes keeps it inside when intake reads its clock a moment later).
    constexpr Millis kDay = 24LL * 3600 * 1000;
    Millis at = std::clamp(*m.date, now - 30 * kDay + 5 * 60 * 1000, now);
    body["reported_at"] = format_iso8601(at);
  }
  return body;
}

MailIntakeResult MailIntake::handle(std::string_view raw) {
  MailIntakeResult res;
  const mail::Message m = mail::parse_message(raw);
  const std::string key = idempotency_key(m, raw);
  const std::string sender = lower_ascii(trim_str(m.from.email));

  struct Lookup {
    std::optional<std::int64_t> existing;
    std::string existing_number;
    std::vector<ProjectCandidate> projects;
    std::string contact_name, contact_phone;
    bool known_sender = false;
    bool fallback_exists = false;
  };
  Lookup look = db_.read([&](store::Connection& c) {
    Lookup l;
    // The system actor has no user row (created_by is NULL), so intake's own replay lookup
    // cannot see its requests: look for this mail's key here first.
    auto r = c.query("SELECT id, number FROM tickets WHERE created_by IS NULL AND idempotency_key = ?", {key});
    if (!r.empty()) {
      l.existing = r.rows[0].i64("id");
      l.existing_number = r.rows[0].text("number");
      return l;
    }
    if (!sender.empty()) {
      auto contacts = c.query(
          "SELECT customer_id, name, phone FROM customer_contacts WHERE lower(trim(email)) = ? ORDER BY sort_order, id",
          {sender});
      std::vector<std::int64_t> customers;
      for (const auto& row : contacts.rows) {
        if (l.contact_name.empty()) l.contact_name = row.text("name"), l.contact_phone = row.text("phone");
        customers.push_back(row.i64("customer_id"));
      }
      // A customer's portal user with this address counts as a contact too.
      auto users = c.query(
          "SELECT customer_id, display_name, phone FROM users WHERE lower(trim(email)) = ? AND customer_id IS NOT NULL "
          "AND disabled = 0 ORDER BY id",
          {sender});
      for (const auto& row : users.rows) {
        if (l.contact_name.empty()) l.contact_name = row.text("display_name"), l.contact_phone = row.text("phone");
        customers.push_back(row.i64("customer_id"));
      }
      std::sort(customers.begin(), customers.end());
      customers.erase(std::unique(customers.begin(), customers.end()), customers.end());
      l.known_sender = !customers.empty();
      for (auto customer : customers) {
        auto ps = c.query("SELECT id, name, created_at FROM projects WHERE customer_id = ? ORDER BY id", {customer});
        for (const auto& p : ps.rows) l.projects.push_back({p.i64("id"), p.text("name"), p.i64("created_at")});
      }
    }
    if (settings_.fallback_project_id)
      l.fallback_exists = !c.query("SELECT 1 FROM projects WHERE id = ?", {*settings_.fallback_project_id}).empty();
    return l;
  });

  if (look.existing) {
    res.kind = MailIntakeResult::Kind::kReplayed;
    res.ticket_id = *look.existing;
    res.number = look.existing_number;
    return res;
  }

  std::int64_t project_id = 0;
  std::string note;
  if (auto choice = choose_project(look.projects, m.subject, m.text)) {
    project_id = choice->project_id;
    if (!choice->certain) {
      std::string name;
      for (const auto& p : look.projects)
        if (p.id == project_id) name = p.name;
      note = "[待确认项目 / confirm the project] 发件人的客户有多个项目，邮件未写明是哪一个，暂记在最近的项目「" + name +
             "」，请与客户确认。";
    }
  } else if (settings_.fallback_project_id && look.fallback_exists) {
    project_id = *settings_.fallback_project_id;
    note = look.known_sender
               ? "[待确认项目 / confirm the project] 发件人 " + m.from.email + " 的客户没有项目，请核实。"
               : "[未知发件人 / unknown sender] " + (m.from.email.empty() ? std::string("(无地址)") : m.from.email) +
                     " 不是任何客户的联系人，请核实客户与项目。";
  } else {
    res.kind = look.known_sender ? MailIntakeResult::Kind::kRejected : MailIntakeResult::Kind::kUnknownSender;
    res.detail = look.known_sender ? "the sender's customer has no project" : "no customer contact has this address";
    if (settings_.fallback_project_id && !look.fallback_exists)
      res.detail += " (fallback project " + std::to_string(*settings_.fallback_project_id) + " does not exist)";
    return res;
  }
  res.project_id = project_id;

  std::string contact_name = !m.from.name.empty() ? m.from.name : look.contact_name;
  json body = request_body(m, project_id, note, contact_name, look.contact_phone, clock_.now_ms());
  TicketService tickets(db_, clock_);
  bool replayed = false;
  auto out = tickets.intake(system_actor("mail"), body, key, &replayed);
  if (!out) {
    res.kind = MailIntakeResult::Kind::kRejected;
    res.detail = out.error().title() + ": " + out.error().detail();
    return res;
  }
  res.kind = replayed ? MailIntakeResult::Kind::kReplayed : MailIntakeResult::Kind::kCreated;
  res.ticket_id = out->id;
  res.number = json::parse(out->text).value("number", "");
  return res;
}

}  // namespace aftersales::app
