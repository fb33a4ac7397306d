#include "lang/match/pattern.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "util/strings.h"

namespace lang {

struct RegexCode {
  pcre2_code* code = nullptr;
  ~RegexCode() { pcre2_code_free(code); }
};

namespace {

std::string regex_error_text(int code) {
  PCRE2_UCHAR buf[256];
  int n = pcre2_get_error_message(code, buf, sizeof buf);
  return n < 0 ? "unknown error" : std::string(reinterpret_cast<char*>(buf));
}

Status compile_regex(std::string_view text, bool caseless, std::shared_ptr<const RegexCode>& out) {
  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* re = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(),
                                 caseless ? PCRE2_CASELESS : 0, &code, &offset, nullptr);
  if (!re) {
    return Status::error("regular expression error in \"" + std::string(text) +
                         "\": " + regex_error_text(code) + " at offset " + std::to_string(offset));
  }
  auto rc = std::make_shared<RegexCode>();
  rc->code = re;
  out = std::move(rc);
  return Status::ok();
}

bool ends_with(std::string_view s, std::string_view suffix, bool caseless) {
  if (suffix.size() > s.size()) return false;
  std::string_view tail = s.substr(s.size() - suffix.size());
  return caseless ? util::iequals(tail, suffix) : tail == suffix;
}

bool regex_match(const RegexCode& re, std::string_view subject,
                 std::vector<std::string>* captures) {
  pcre2_match_data* md = pcre2_match_data_create_from_pattern(re.code, nullptr);
  int rc = pcre2_match(re.code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0,
                       md, nullptr);
  if (rc > 0 && captures) {
    PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
    captures->clear();
    for (int i = 0; i < rc; ++i) {
      if (ov[2 * i] == PCRE2_UNSET) {
        captures->emplace_back();
      } else {
        captures->emplace_back(subject.substr(ov[2 * i], ov[2 * i + 1] - ov[2 * i]));
      }
    }
  }
  pcre2_match_data_free(md);
  return rc > 0;
}

}  // namespace

Status Pattern::compile(std::string_view text, Options opts, Pattern& out) {
  out = Pattern();
  out.caseless_ = opts.caseless;
  if (!text.empty() && text[0] == '*') {
    out.kind_ = Kind::Suffix;
    out.text_ = std::string(text.substr(1));
    return Status::ok();
  }
  if (!text.empty() && text[0] == '^') {
    out.kind_ = Kind::Regex;
    out.text_ = std::string(text);
    return compile_regex(text, opts.caseless, out.re_);
  }
  size_t semi = text.find(';');
  if (semi != std::string_view::npos) {
    out.kind_ = Kind::Lookup;
    LANG_TRY(lookup_parse_spec(text.substr(0, semi), out.spec_));
    if (!opts.allow_partial) out.spec_.partial = -1;
    out.text_ = std::string(util::trim(text.substr(semi + 1)));
    return Status::ok();
  }
  out.kind_ = Kind::Literal;
  out.text_ = std::string(text);
  return Status::ok();
}

Pattern::Result Pattern::match(EvalContext& ctx, std::string_view subject, std::string* value,
                               std::vector<std::string>* captures, std::string& err) const {
  switch (kind_) {
    case Kind::Suffix:
      return ends_with(subject, text_, caseless_) ? Result::Match : Result::NoMatch;
    case Kind::Regex:
      return regex_match(*re_, subject, captures) ? Result::Match : Result::NoMatch;
    case Kind::Lookup: {
      LookupResult r = lookup_run(ctx, spec_, text_, subject);
      if (r.outcome == LookupOutcome::Defer) {
        err = r.message;
        return Result::Defer;
      }
      if (r.outcome == LookupOutcome::NotFound) return Result::NoMatch;
      if (value) *value = std::move(r.value);
      return Result::Match;
    }
    case Kind::Literal:
      break;
  }
  bool eq = caseless_ ? util::iequals(subject, text_) : subject == text_;
  return eq ? Result::Match : Result::NoMatch;
}

Pattern::Result pattern_match(EvalContext& ctx, std::string_view pattern, std::string_view subject,
                              Pattern::Options opts, std::string* value, std::string& err) {
  Pattern p;
  Status st = Pattern::compile(pattern, opts, p);
  if (!st.is_ok()) {
    err = st.message();
    return Pattern::Result::Defer;
  }
  return p.match(ctx, subject, value, nullptr, err);
}

}  // namespace lang
