// T-EXP-2 (shared/notes/security-tests.md): the list and string items that take data and an
// expansion over it (${sort}, ${map}, ${filter}, ${reduce}, ${acl}, forany/forall, ${extract},
// ${listextract}, ${sg}, ${tr}, ${substr}) see attacker text holding "${...}" as data: it is
// copied through literally, never expanded a second time. Expected values are the reference
// exim4 -be with the same text in a header ($h_subject:).
#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

namespace {

// What a client could send as a local part or a header: expansion syntax and a variable.
constexpr const char* kEvil = "${if eq{1}{1}{PWNED}}$primary_hostname";

// An ACL that answers with its first argument, as "accept message = got $acl_arg1".
class EchoAcl : public lang::AclRunner {
 public:
  lang::AclVerdict run(std::string_view, const std::vector<std::string>& args,
                       std::string& message) override {
    message = "got " + (args.empty() ? std::string() : args[0]);
    return lang::AclVerdict::Accept;
  }
};

class Attacked : public testlang::Context {
 public:
  Attacked() : Context({}, {{"local_part", kEvil}, {"primary_hostname", "mail.example.com"}}) {
    ctx.acl = &acl_;
  }

 private:
  EchoAcl acl_;
};

}  // namespace

TEST_SUITE("lang.items.attacker_data") {
  TEST_CASE("T-EXP-2: items over attacker data copy ${...} through, never re-expand it") {
    Attacked c;
    const std::string evil = kEvil;
    testlang::Case cases[] = {
        {"${map{<; $local_part}{[$item]}}", "[" + evil + "]"},
        {"${sort{<; $local_part ; b}{<}{$item}}", evil + ";b"},
        {"${filter{<; $local_part}{eq{1}{1}}}", evil},
        {"${reduce{<; $local_part}{}{$value$item}}", evil},
        {"${acl{echoarg}{$local_part}}", "got " + evil},
        {"${extract{1}{ }{$local_part}}", "${if"},
        {"${if forany{<; $local_part}{eq{$item}{PWNED}}{y}{n}}", "n"},
        {"${if forall{<; $local_part}{eq{$item}{" + evil + "}}{y}{n}}", "n"},
        {"${sg{$local_part}{x}{y}}", evil},
        {"${listextract{1}{<; $local_part}}", evil},
        {"${tr{$local_part}{x}{y}}", evil},
        {"${substr{0}{$local_part}}", evil},
        {"${map{<; $local_part}{${sort{<; $item}{<}{$item}}}}", evil},
    };
    for (auto& cs : cases) CHECK_MESSAGE(c.ex(cs.in) == cs.want, "input: ", cs.in);
    CHECK(c.ex("$local_part") == evil);
  }
}
