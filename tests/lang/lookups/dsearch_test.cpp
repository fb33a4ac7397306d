#include <doctest/doctest.h>

#include <sys/stat.h>

#include "tests/lang/expand_helper.h"
#include "tests/lang/lookups/test_files.h"

using testlang::ex;

TEST_SUITE("lang.lookups.dsearch") {
  TEST_CASE("entries, options, errors") {
    testfiles::TempDir d;
    d.write("file", "x");
    mkdir((d.path() + "/sub").c_str(), 0755);
    const std::string& p = d.path();
    struct {
      std::string in, want;
    } cases[] = {
        {"${lookup{file}dsearch{" + p + "}}", "file"},
        {"${lookup{file}dsearch,ret=full{" + p + "}}", p + "/file"},
        {"${lookup{none}dsearch{" + p + "}{y}{n}}", "n"},
        {"${lookup{FILE}dsearch{" + p + "}{y}{n}}", "n"},
        {"${lookup{file}dsearch,filter=file{" + p + "}{y}{n}}", "y"},
        {"${lookup{sub}dsearch,filter=file{" + p + "}{y}{n}}", "n"},
        {"${lookup{sub}dsearch,filter=subdir{" + p + "}{y}{n}}", "y"},
        {"${lookup{..}dsearch,filter=subdir{" + p + "}{y}{n}}", "n"},
        {"${lookup{.}dsearch,filter=dir{" + p + "}{y}{n}}", "y"},
        {"${lookup{sub/x}dsearch{" + p + "}}",
         "Failed: lookup of \"sub/x\" gave DEFER: key for dsearch lookup contains a slash: sub/x"},
        {"${lookup{x}dsearch{" + p + "/file}}",
         "Failed: failed to open " + p + "/file for directory search: Not a directory"},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
}
