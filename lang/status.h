// lang/status.h — the three outcomes of an expansion step.
//
// Ok: a value was produced. Fail: a forced failure (the `fail` keyword, a lookup that
// "fails" in a context that asked for it); callers such as routers treat it as decline.
// Error: something is wrong (syntax, bad value, missing file); the message is Exim's text.
// `pos` is the byte offset in the expansion string where a parse error was found (or npos).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>

namespace lang {

enum class Outcome : unsigned char { Ok, Fail, Error };

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(const Status& o) : outcome_(o.outcome_), pos_(o.pos_) {
    if (o.message_) message_ = std::make_unique<std::string>(*o.message_);
  }
  Status& operator=(const Status& o) {
    if (this != &o) *this = Status(o);
    return *this;
  }
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status ok() { return {}; }
  static Status error(std::string msg, size_t pos = npos) {
    return Status(Outcome::Error, std::move(msg), pos);
  }
  static Status fail(std::string msg) { return Status(Outcome::Fail, std::move(msg), npos); }

  bool is_ok() const { return outcome_ == Outcome::Ok; }
  bool is_fail() const { return outcome_ == Outcome::Fail; }
  bool is_error() const { return outcome_ == Outcome::Error; }
  Outcome outcome() const { return outcome_; }
  const std::string& message() const { return message_ ? *message_ : empty_message(); }
  std::string& message() {
    if (!message_) message_ = std::make_unique<std::string>();
    return *message_;
  }
  size_t pos() const { return pos_; }
  void set_pos(size_t p) { pos_ = p; }

  static constexpr size_t npos = static_cast<size_t>(-1);

 private:
  Status(Outcome o, std::string m, size_t p)
      : outcome_(o), message_(std::make_unique<std::string>(std::move(m))), pos_(p) {}
  static const std::string& empty_message() {
    static const std::string kEmpty;
    return kEmpty;
  }
  // The message lives behind a pointer so that the frequent Ok status is two words that
  // cost nothing to make, test and drop.
  Outcome outcome_ = Outcome::Ok;
  std::unique_ptr<std::string> message_;
  size_t pos_ = npos;
};

// Propagate a non-ok Status from the current function.
#define LANG_TRY(expr)                    \
  do {                                    \
    ::lang::Status lang_try_s_ = (expr);  \
    if (!lang_try_s_.is_ok()) return lang_try_s_; \
  } while (0)

}  // namespace lang
