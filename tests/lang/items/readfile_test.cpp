#include <doctest/doctest.h>

#include <unistd.h>
#include <cstdio>
#include <fstream>

#include "tests/lang/expand_helper.h"

using testlang::ex;

TEST_SUITE("lang.items.readfile") {
  TEST_CASE("reads and replaces newlines") {
    std::string path = "/tmp/facteur_readfile_test." + std::to_string(::getpid());
    { std::ofstream(path) << "one\ntwo\n\nfour\n"; }
    CHECK(ex("${readfile{" + path + "}}") == "one\ntwo\n\nfour\n");
    CHECK(ex("${readfile{" + path + "}{}}") == "onetwofour");
    CHECK(ex("${readfile{" + path + "}{:}}") == "one:two::four:");
    std::remove(path.c_str());
    CHECK(ex("${readfile{" + path + "}}") ==
          "Failed: failed to open " + path + ": No such file or directory");
    CHECK(ex("${readfile{}}") == "Failed: failed to open : No such file or directory");
    CHECK(ex("${readfile}") == "Failed: Not enough arguments for 'readfile' (min is 1)");
    CHECK(ex("${readfile{/tmp}}").empty());  // a directory opens but reads as empty
    CHECK(ex("${readfile{a}{b}{c}}") == "Failed: Too many arguments for 'readfile' (max is 2)");
  }
}
