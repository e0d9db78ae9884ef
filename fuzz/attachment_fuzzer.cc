// Upload bytes → what AttachmentService::upload decides before it stores anything
// (app/content_type.cc): the type from the magic bytes, the declared Content-Type against it,
// the percent-encoded X-Filename decoded and sanitised, and the Content-Disposition it is later
// served with.
//
// Input: the raw bytes are always sniffed as a file. When the input starts with '@', it is
//   @<X-Filename>\n<Content-Type>\n<content>
// and the whole upload decision runs on those parts (seeds in corpus/attachment/ show both).
// Findings, besides crashes: an accepted type whose magic is not at the start; a sanitised name
// that is not valid UTF-8, longer than 200 characters, holds a path separator, a control or
// forbidden character, begins or ends with a dot or space, or does not end with an extension of
// the sniffed type; a Content-Disposition that could break the header or its quoted string.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "app/content_type.h"

using namespace aftersales::app;

namespace {

[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "FINDING: %s\n", what.c_str());
  std::abort();
}

bool has_magic(std::string_view b, const SniffedType& t) {
  auto starts = [&](std::string_view m) { return b.substr(0, m.size()) == m; };
  if (t.mime == "image/jpeg") return starts("\xff\xd8\xff");
  if (t.mime == "image/png") return starts(std::string_view("\x89PNG\r\n\x1a\n", 8));
  if (t.mime == "image/gif") return starts("GIF87a") || starts("GIF89a");
  if (t.mime == "image/webp") return starts("RIFF") && b.substr(8, 4) == "WEBP";
  if (t.mime == "application/pdf") return starts("%PDF-");
  return b.size() >= 8 && b.substr(4, 4) == "ftyp";  // HEIC/HEIF, MP4, QuickTime
}

// Code points of valid UTF-8 (the caller has checked validity).
std::u32string code_points(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    char32_t cp = n == 0 ? c : n == 1 ? (c & 0x1F) : n == 2 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k <= n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += n + 1;
  }
  return out;
}

void check_name(const std::string& name, const SniffedType& type) {
  if (!is_valid_utf8(name)) finding("sanitised name is not UTF-8");
  std::u32string cps = code_points(name);
  if (cps.empty() || cps.size() > kMaxFilenameChars) finding("sanitised name length " + std::to_string(cps.size()));
  for (char32_t c : cps)
    if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
        (c >= 0x2066 && c <= 0x2069) || c == U'/' || c == U'\\' || c == U'<' || c == U'>' || c == U':' ||
        c == U'"' || c == U'|' || c == U'?' || c == U'*')
      finding("sanitised name holds U+" + std::to_string(static_cast<unsigned>(c)) + ": " + name);
  for (char32_t edge : {cps.front(), cps.back()})
    if (edge == U'.' || edge == U' ') finding("sanitised name begins or ends with a dot or space: " + name);
  auto dot = name.rfind('.');
  if (dot == std::string::npos) finding("sanitised name has no extension: " + name);
  std::string ext = name.substr(dot + 1);
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool known = false;
  for (const auto& e : type.extensions) known |= e == ext;
  if (!known) finding("sanitised name's extension '" + ext + "' is not one of " + type.mime + "'s: " + name);
}

void check_disposition(const std::string& name) {
  std::string cd = content_disposition("inline", name);
  if (cd.find_first_of(std::string("\r\n\0", 3)) != std::string::npos) finding("CR, LF or NUL in Content-Disposition");
  const std::string open = "inline; filename=\"", close = "\"; filename*=UTF-8''";
  if (cd.rfind(open, 0) != 0) finding("Content-Disposition does not start with the quoted name");
  auto end = cd.find(close, open.size());
  if (end == std::string::npos) finding("Content-Disposition lost its filename*");
  std::string quoted = cd.substr(open.size(), end - open.size());
  if (quoted.find_first_of("\"\\") != std::string::npos) finding("quote or backslash inside the quoted file name");
  for (unsigned char c : quoted)
    if (c < 0x20 || c >= 0x7F) finding("non-ASCII or control byte in the ASCII fallback name");
  for (unsigned char c : cd.substr(end + close.size()))
    if (c <= 0x20 || c >= 0x7F || c == '"' || c == ';' || c == ',') finding("unencoded byte in filename*");
}

void upload_decision(std::string_view content, std::string_view declared, std::string_view x_filename) {
  Sniff sniff = sniff_content(content);
  if (!sniff.type) {
    if (sniff.reason.empty()) finding("refused without a reason");
    return;
  }
  const SniffedType& type = *sniff.type;
  if (!has_magic(content, type)) finding("accepted as " + type.mime + " without its magic bytes");
  if (max_size_for(type.kind) == 0 || max_size_for(type.kind) > kMaxUploadBytes) finding("size limit");
  if (auto conflict = declared_type_conflict(declared, type); conflict && conflict->empty())
    finding("empty conflict reason");
  auto decoded = percent_decode_utf8(x_filename);
  if (decoded) {
    if (!is_valid_utf8(*decoded)) finding("decoded name is not UTF-8");
    // An encoded NUL is refused; a raw one cannot come in a header (the parser refuses it).
    if (x_filename.find('\0') == std::string_view::npos && decoded->find('\0') != std::string::npos)
      finding("%00 decoded into a NUL");
    auto name = sanitize_filename(*decoded, type);
    if (name) {
      check_name(*name, type);
      check_disposition(*name);
    } else if (name.error().errors().empty()) {
      finding("refused name without a field error");
    }
  }
  // A name given raw (not percent-encoded), as other callers may.
  if (is_valid_utf8(x_filename)) {
    auto raw = sanitize_filename(x_filename, type);
    if (raw) check_name(*raw, type);
  }
  check_disposition(std::string(x_filename));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  upload_decision(in, "", "photo.jpg");
  if (!in.empty() && in[0] == '@') {
    auto nl1 = in.find('\n');
    if (nl1 == std::string_view::npos) return 0;
    auto nl2 = in.find('\n', nl1 + 1);
    if (nl2 == std::string_view::npos) return 0;
    upload_decision(in.substr(nl2 + 1), in.substr(nl1 + 1, nl2 - nl1 - 1), in.substr(1, nl1 - 1));
  }
  return 0;
}
