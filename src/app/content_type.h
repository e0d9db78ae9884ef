// What an uploaded file really is, decided from its bytes, and a safe name to show it under.
//
// Pure functions, no I/O. The declared Content-Type and the file name are claims of the client;
// only the magic bytes decide the type. Only what a service request needs is accepted: photos
// (JPEG, PNG, GIF, WebP, HEIC/HEIF), video (MP4, QuickTime) and PDF. Everything else — HTML, SVG,
// scripts, executables, archives, empty bodies — is refused with a reason a person can act on.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/error.h"

namespace aftersales::app {

enum class MediaKind { kImage, kVideo, kPdf };

struct SniffedType {
  std::string mime;                     // canonical, e.g. "image/jpeg"
  std::string extension;                // canonical, without dot, e.g. "jpg"
  std::vector<std::string> extensions;  // every extension accepted for it (lower case)
  MediaKind kind = MediaKind::kImage;
};

struct Sniff {
  std::optional<SniffedType> type;  // set when accepted
  std::string reason;               // why not, when refused
};

// The type of `bytes` from its magic numbers; refused with a reason when not an accepted type
// or when the header is truncated.
Sniff sniff_content(std::string_view bytes);

// The largest accepted size for a kind: images 20 MiB, PDF 50 MiB, video 200 MiB.
std::size_t max_size_for(MediaKind kind);
constexpr std::size_t kMaxUploadBytes = 200u * 1024 * 1024;  // the route's body limit
const char* kind_name(MediaKind kind);

// nullopt when the declared Content-Type agrees with the sniffed type (or claims nothing:
// empty or application/octet-stream); otherwise the reason it contradicts the content.
std::optional<std::string> declared_type_conflict(std::string_view declared, const SniffedType& type);

// Percent-decodes a header value (RFC 3986 %XX; '+' stays '+'). nullopt on a malformed
// escape, an encoded NUL, or a result that is not valid UTF-8.
std::optional<std::string> percent_decode_utf8(std::string_view encoded);

// A safe display name for a file of `type` from the client's (decoded, UTF-8) name:
//  - only the last path component is kept ("../../x.png", "C:\\x\\y.png" → "x.png", "y.png");
//  - control characters, bidirectional overrides and the characters Windows forbids are
//    removed or replaced; leading/trailing dots and spaces are trimmed;
//  - a final extension that runs code or markup (exe, bat, js, html, svg, ...) is refused, so
//    "photo.jpg.exe" and "report.pdf.html" never get through;
//  - the extension is made to match the sniffed type (a wrong media extension is replaced, an
//    unknown one is kept and the right one appended; no name at all becomes "attachment.<ext>");
//  - at most 200 characters (code points), cut on a character boundary; Chinese is kept.
// Error: Validation naming `field` (rule "extension" or "encoding").
Outcome<std::string> sanitize_filename(std::string_view name, const SniffedType& type,
                                       const std::string& field = "X-Filename");
constexpr std::size_t kMaxFilenameChars = 200;

bool is_valid_utf8(std::string_view s);

// Content-Disposition value: `inline; filename="<ASCII fallback>"; filename*=UTF-8''<pct>`
// (RFC 6266 / RFC 5987).
std::string content_disposition(std::string_view disposition, std::string_view utf8_name);

}  // namespace aftersales::app
