// util/result.h — value-or-error results for every expected failure.
//
// Contract: a function that can fail in an expected way (bad input, missing file, syntax error)
// returns Result<T> or Status, never throws. Exceptions are kept for bugs and exhaustion.
// Both types are [[nodiscard]] so an ignored failure is a compile-time warning (an error here).
#pragma once

#include <string>
#include <utility>
#include <variant>

#include "util/source_loc.h"

namespace util {

struct Error {
  std::string message;
  SourceLoc loc;  // where in the input the problem is (may be empty)
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Error err) : v_(std::move(err)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  T* operator->() { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace util
