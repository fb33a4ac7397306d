#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::ex;

TEST_SUITE("lang.conditions.bool") {
  TEST_CASE("bool") {
    struct {
      const char* arg;
      const char* want;
    } cases[] = {
        {"TrUe", "t"},
        {"FALSE", "f"},
        {" yes", "t"},
        {" no", "f"},
        {"-1", "t"},
        {"0", "f"},
        {" 1 ", "t"},
        {"", "f"},
        {" ", "f"},
        {"00", "f"},
        {"-0", "f"},
        {"99999999999999999999999", "t"},
        {"text", "Failed: unrecognised boolean value \"text\""},
        {" text ", "Failed: unrecognised boolean value \"text\""},
        {"+1", "Failed: unrecognised boolean value \"+1\""},
        {"1 2", "Failed: unrecognised boolean value \"1 2\""},
    };
    for (auto& c : cases) {
      std::string in = std::string("${if bool{") + c.arg + "}{t}{f}}";
      CHECK_MESSAGE(ex(in) == c.want, "input: ", in);
    }
  }
  TEST_CASE("bool_lax") {
    struct {
      const char* arg;
      const char* want;
    } cases[] = {
        {"TrUe", "t"}, {"text", "t"},  {"00", "t"}, {" no ", "f"}, {"NO", "f"},
        {"", "f"},     {"false", "f"}, {"0", "f"},  {" ", "f"},    {"-0", "t"},
    };
    for (auto& c : cases) {
      std::string in = std::string("${if bool_lax{") + c.arg + "}{t}{f}}";
      CHECK_MESSAGE(ex(in) == c.want, "input: ", in);
    }
  }
}
