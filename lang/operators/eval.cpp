// lang/operators/eval.cpp — ${eval:<expr>} and ${eval10:<expr>} (spec 11.6, "Expansion
// operators"): 64-bit integer arithmetic with C's priorities, lowest first
//   |   ^   &   << >>   + -   * / %   unary - + ~   numbers and ( )
// Binary operators of one level associate to the left; white space may surround operators.
//
// Numbers (Exim reads them with sscanf "%lli" / "%lld"): for eval, "0x" starts hexadecimal
// ("0x" alone is 0) and a leading 0 octal; eval10 reads decimal only. Too large a number
// saturates at 2^63-1. A K, M or G suffix multiplies by 1024, 1024^2, 1024^3.
//
// Like Exim 4.96, arithmetic wraps silently (products, negation, suffixes) except for:
// division or modulo by zero; MIN / -1 and MIN % -1, which give MAX; and + and -, which
// report "overflow in sum/difference" by Exim's conservative test (left operand >= MAX/2, or
// both operands <= -(MAX/2)). Shift counts are taken modulo 64.
//
// Errors: "error in expression evaluation: <what> (after processing \"<text read so far>\")"
// where <what> is "expecting number or opening parenthesis", "expecting closing parenthesis",
// "expecting operator", "divide by zero", "modulo by zero", "overflow in sum" ...
#include <cctype>
#include <cstdint>
#include <limits>
#include <string>

#include "lang/registry.h"

namespace lang {
namespace {

using i64 = std::int64_t;
using u64 = std::uint64_t;
constexpr i64 kMax = std::numeric_limits<i64>::max();
constexpr i64 kMin = std::numeric_limits<i64>::min();
constexpr int kMaxNesting = 1000;  // parentheses; deeper is an error, not a stack overflow

// Wrapping two's-complement arithmetic without undefined behaviour.
i64 wrap(u64 v) {
  return static_cast<i64>(v);
}
i64 add_wrap(i64 a, i64 b) {
  return wrap(static_cast<u64>(a) + static_cast<u64>(b));
}
i64 sub_wrap(i64 a, i64 b) {
  return wrap(static_cast<u64>(a) - static_cast<u64>(b));
}
i64 mul_wrap(i64 a, i64 b) {
  return wrap(static_cast<u64>(a) * static_cast<u64>(b));
}
i64 shl_wrap(i64 a, i64 n) {
  return wrap(static_cast<u64>(a) << (static_cast<u64>(n) & 63));
}
i64 shr_arith(i64 a, i64 n) {
  unsigned k = static_cast<unsigned>(static_cast<u64>(n) & 63);
  if (a >= 0) return a >> k;
  return ~(~a >> k);  // arithmetic shift spelled out for negative values
}

class ExprReader {
 public:
  ExprReader(std::string_view s, bool decimal) : s_(s), decimal_(decimal) {}

  // Evaluates the whole string; false with `err_` set on error.
  bool run(i64& out) {
    if (!level(0, out)) return false;
    if (i_ < s_.size()) return fail("expecting operator");
    return true;
  }
  std::string message() const {
    return "error in expression evaluation: " + std::string(err_) + " (after processing \"" +
           std::string(s_.substr(0, i_)) + "\")";
  }

 private:
  bool fail(const char* e) {
    err_ = e;
    return false;
  }
  void skip_ws() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  char at(size_t k) const { return i_ + k < s_.size() ? s_[i_ + k] : '\0'; }

  // The binary operator of priority `lvl` (0 = lowest) at the current position, or 0.
  char binary_op(int lvl) const {
    char c = at(0);
    switch (lvl) {
      case 0:
        return c == '|' ? c : 0;
      case 1:
        return c == '^' ? c : 0;
      case 2:
        return c == '&' ? c : 0;
      case 3:
        return (c == '<' || c == '>') && at(1) == c ? c : 0;
      case 4:
        return c == '+' || c == '-' ? c : 0;
      default:
        return c == '*' || c == '/' || c == '%' ? c : 0;
    }
  }

  bool level(int lvl, i64& x) {
    if (lvl > 5) return unary(x);
    if (!level(lvl + 1, x)) return false;
    while (char op = binary_op(lvl)) {
      i_ += lvl == 3 ? 2 : 1;
      i64 y = 0;
      if (!level(lvl + 1, y)) return false;
      if (!apply(op, x, y)) return false;
    }
    return true;
  }

  bool apply(char op, i64& x, i64 y) {
    switch (op) {
      case '|':
        x |= y;
        return true;
      case '^':
        x ^= y;
        return true;
      case '&':
        x &= y;
        return true;
      case '<':
        x = shl_wrap(x, y);
        return true;
      case '>':
        x = shr_arith(x, y);
        return true;
      case '+':
      case '-':
        return sum(op, x, y);
      case '*':
        x = mul_wrap(x, y);
        return true;
      default:
        return divide(op, x, y);
    }
  }

  bool sum(char op, i64& x, i64 y) {
    // Exim's "over-conservative" test, reproduced as is: it looks at the operands, not at the
    // result, so 4611686018427387903+0 is an overflow and -MAX-2 wraps.
    if (x >= kMax / 2 || (x <= -(kMax / 2) && y <= -(kMax / 2))) {
      return fail(op == '+' ? "overflow in sum" : "overflow in difference");
    }
    x = op == '+' ? add_wrap(x, y) : sub_wrap(x, y);
    return true;
  }

  bool divide(char op, i64& x, i64 y) {
    if (y == 0) return fail(op == '/' ? "divide by zero" : "modulo by zero");
    if (x == kMin && y == -1) {
      x = kMax;
      return true;
    }
    x = op == '/' ? x / y : x % y;
    return true;
  }

  // Unary - + ~ (any number of them, right to left), then a primary.
  bool unary(i64& x) {
    std::string ops;
    while (true) {
      skip_ws();
      char c = at(0);
      if (c != '-' && c != '+' && c != '~') break;
      ops += c;
      ++i_;
    }
    if (!primary(x)) return false;
    for (size_t k = ops.size(); k-- > 0;) {
      if (ops[k] == '-') x = sub_wrap(0, x);
      if (ops[k] == '~') x = ~x;
    }
    return true;
  }

  bool primary(i64& x) {
    skip_ws();
    char c = at(0);
    if (std::isdigit(static_cast<unsigned char>(c))) {
      x = number();
    } else if (c == '(') {
      if (++nesting_ > kMaxNesting) return fail("too many nested parentheses");
      ++i_;
      if (!level(0, x)) return false;
      skip_ws();
      if (at(0) != ')') return fail("expecting closing parenthesis");
      ++i_;
      --nesting_;
    } else {
      return fail("expecting number or opening parenthesis");
    }
    skip_ws();
    return true;
  }

  // Reads digits in `base`, saturating at kMax (as strtoll does for a positive number).
  i64 digits(int base) {
    u64 v = 0;
    bool sat = false;
    while (i_ < s_.size()) {
      int d = digit_value(s_[i_]);
      if (d < 0 || d >= base) break;
      if (v > (static_cast<u64>(kMax) - static_cast<u64>(d)) / static_cast<u64>(base)) sat = true;
      if (!sat) v = v * static_cast<u64>(base) + static_cast<u64>(d);
      ++i_;
    }
    return sat ? kMax : static_cast<i64>(v);
  }
  static int digit_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // A number at a digit, with its optional K/M/G suffix.
  i64 number() {
    i64 v;
    if (decimal_) {
      v = digits(10);
    } else if (at(0) == '0' && (at(1) == 'x' || at(1) == 'X')) {
      i_ += 2;  // sscanf takes "0x" even when no hex digit follows
      v = digits(16);
    } else if (at(0) == '0') {
      v = digits(8);
    } else {
      v = digits(10);
    }
    switch (std::tolower(static_cast<unsigned char>(at(0)))) {
      case 'k':
        v = mul_wrap(v, i64{1} << 10);
        ++i_;
        break;
      case 'm':
        v = mul_wrap(v, i64{1} << 20);
        ++i_;
        break;
      case 'g':
        v = mul_wrap(v, i64{1} << 30);
        ++i_;
        break;
      default:
        break;
    }
    return v;
  }

  std::string_view s_;
  size_t i_ = 0;
  bool decimal_;
  int nesting_ = 0;
  const char* err_ = "";
};

Status eval_common(std::string_view arg, bool decimal, std::string& out) {
  ExprReader r(arg, decimal);
  i64 v = 0;
  if (!r.run(v)) return Status::error(r.message());
  out += std::to_string(v);
  return Status::ok();
}

Status op_eval(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  return eval_common(a, false, out);
}

Status op_eval10(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  return eval_common(a, true, out);
}

const OperatorRegistrar reg({{"eval", op_eval}, {"eval10", op_eval10}});

}  // namespace
}  // namespace lang
