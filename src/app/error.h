// Expected failures of a use case, as values. The HTTP layer maps each kind to one status and
// renders problem+json in exactly one place (http/problem.cc).
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace aftersales::app {

struct FieldError {
  std::string field;    // JSON path of the offending field, e.g. "contacts[0].email"
  std::string rule;     // machine-readable rule: required, type, max_length, enum, format, ...
  std::string message;  // human-readable, English
};

class Error {
 public:
  enum class Kind {
    kValidation,        // 422: the body is well-formed JSON but breaks a rule
    kBadRequest,        // 400: the request itself is malformed
    kUnauthenticated,   // 401
    kForbidden,         // 403: known role lacks the permission
    kNotFound,          // 404: absent, or outside the caller's customer scope
    kConflict,          // 409: unique key taken, still referenced, invalid state
    kPreconditionFailed,// 412: stale version
    kPreconditionRequired, // 428: update without a version
    kThrottled,         // 429
  };
  Error(Kind kind, std::string title, std::string detail = {}, std::vector<FieldError> errors = {})
      : kind_(kind), title_(std::move(title)), detail_(std::move(detail)), errors_(std::move(errors)) {}

  static Error Validation(std::vector<FieldError> errors) {
    std::string detail = errors.empty() ? "" : errors.front().field + ": " + errors.front().message;
    return Error(Kind::kValidation, "The request has invalid fields", detail, std::move(errors));
  }
  static Error BadRequest(std::string detail, std::string field = {}, std::string rule = "syntax") {
    std::vector<FieldError> e;
    if (!field.empty()) e.push_back({field, rule, detail});
    return Error(Kind::kBadRequest, "Bad request", std::move(detail), std::move(e));
  }
  static Error Unauthenticated(std::string detail = "Log in or send a valid bearer token") {
    return Error(Kind::kUnauthenticated, "Authentication required", std::move(detail));
  }
  static Error Forbidden(std::string detail) {
    return Error(Kind::kForbidden, "Not allowed", std::move(detail));
  }
  static Error NotFound(std::string what) {
    return Error(Kind::kNotFound, "Not found", what + " does not exist");
  }
  static Error Conflict(std::string detail, std::vector<FieldError> errors = {}) {
    return Error(Kind::kConflict, "Conflict", std::move(detail), std::move(errors));
  }
  static Error Stale(long long current_version) {
    return Error(Kind::kPreconditionFailed, "Version mismatch",
                 "The record was changed by someone else; current version is " +
                     std::to_string(current_version) + ". Reload and apply your change again.");
  }
  static Error VersionRequired() {
    return Error(Kind::kPreconditionRequired, "Version required",
                 "Send the version you read as If-Match header or \"version\" field");
  }
  static Error Throttled(std::string detail, int retry_after_s) {
    Error e(Kind::kThrottled, "Too many attempts", std::move(detail));
    e.retry_after_s_ = retry_after_s;
    return e;
  }

  Kind kind() const { return kind_; }
  const std::string& title() const { return title_; }
  const std::string& detail() const { return detail_; }
  const std::vector<FieldError>& errors() const { return errors_; }
  int retry_after_s() const { return retry_after_s_; }

 private:
  Kind kind_;
  std::string title_;
  std::string detail_;
  std::vector<FieldError> errors_;
  int retry_after_s_ = 0;
};

// A value or an Error. Small on purpose: has_value(), value(), error().
template <typename T>
class Outcome {
 public:
  Outcome(T value) : v_(std::move(value)) {}
  Outcome(Error error) : v_(std::move(error)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

struct Unit {};

}  // namespace aftersales::app
