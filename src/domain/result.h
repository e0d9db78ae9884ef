// A minimal expected-like type: C++20 has no std::expected, and the domain
// returns every expected failure as a value rather than throwing.
#pragma once

#include <cassert>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace domain {

// The generic error of the domain: a stable snake_case code for programs
// (the HTTP layer maps it into problem+json) and a message for people.
struct Error {
  std::string code;
  std::string message;

  friend bool operator==(const Error&, const Error&) = default;
};

// Wraps an error so that a Result can be built from it unambiguously,
// even when T and E are the same type.
template <class E>
struct Unexpected {
  E error;
};

template <class E>
Unexpected<std::decay_t<E>> Fail(E&& e) {
  return {std::forward<E>(e)};
}

inline Unexpected<Error> Fail(std::string code, std::string message) {
  return {Error{std::move(code), std::move(message)}};
}

// Result<T, E> holds either a value or an error. Accessing the wrong side is
// a programming error (asserted), not an expected failure.
template <class T, class E = Error>
class [[nodiscard]] Result {
 public:
  Result(const T& v) : v_(std::in_place_index<0>, v) {}
  Result(T&& v) : v_(std::in_place_index<0>, std::move(v)) {}
  template <class G>
  Result(Unexpected<G> u) : v_(std::in_place_index<1>, std::move(u.error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  const E& error() const { assert(!ok()); return std::get<1>(v_); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // The value, or `fallback` on error.
  T value_or(T fallback) const& { return ok() ? value() : std::move(fallback); }

 private:
  std::variant<T, E> v_;
};

// Result of an operation that yields nothing on success.
template <class E>
class [[nodiscard]] Result<void, E> {
 public:
  Result() = default;
  template <class G>
  Result(Unexpected<G> u) : err_(std::move(u.error)), ok_(false) {}

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const E& error() const { assert(!ok_); return err_; }

 private:
  E err_{};
  bool ok_ = true;
};

using Status = Result<void, Error>;

}  // namespace domain
