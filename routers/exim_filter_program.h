// routers/exim_filter_program.h — the parsed form of an Exim filter, shared by its parser
// (exim_filter.cpp) and its interpreter (exim_filter_run.cpp). Strings are kept as written
// (quotes and escapes resolved) and expanded when the command runs, as Exim does.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "routers/exim_filter.h"

namespace routers {

struct FilterCond {
  enum class Kind : unsigned char {
    And,
    Or,
    Not,
    Test,
    Delivered,
    ErrorMessage,
    FirstDelivery,
    ManuallyThawed,
    Personal,
    ForAnyAddress
  };
  enum class Rel : unsigned char { Is, Contains, Matches, Begins, Ends, Above, Below };
  Kind kind = Kind::Test;
  std::unique_ptr<FilterCond> left, right;  // And, Or; Not and ForAnyAddress use left
  std::string a, b;                         // Test operands; ForAnyAddress: the list in a
  Rel rel = Rel::Is;
  bool negated = false;              // "does not", "is not"
  bool caseful = false;              // relation word in upper case
  std::vector<std::string> aliases;  // personal alias ...
};

struct FilterCommand {
  enum class Kind : unsigned char {
    Deliver,
    Save,
    Pipe,
    Finish,
    Testprint,
    Add,
    Headers,
    Logfile,
    Logwrite,
    Mail,
    Vacation,
    Fail,
    Freeze,
    Defer,
    If
  };
  Kind kind = Kind::Finish;
  int line = 0;
  bool seen = false, unseen = false, noerror = false;
  std::string arg, arg2;  // deliver errors_to / save mode / add variable / logfile mode
  std::map<std::string, std::string> mail;  // mail and vacation keywords
  // If: conditions and their command lists; `otherwise` is the else part.
  std::vector<std::pair<std::unique_ptr<FilterCond>, std::vector<FilterCommand>>> branches;
  std::vector<FilterCommand> otherwise;
};

struct FilterProgram {
  std::vector<FilterCommand> commands;
};

}  // namespace routers
