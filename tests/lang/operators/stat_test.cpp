#include <doctest/doctest.h>

#include <sys/stat.h>

#include <unistd.h>
#include <cstdio>
#include <cstdlib>

#include "tests/lang/expand_helper.h"

using testlang::ex;

TEST_SUITE("lang.operators.stat") {
  TEST_CASE("fields of a regular file and a directory") {
    char dir[] = "/tmp/facteur_stat_XXXXXX";
    REQUIRE(mkdtemp(dir) != nullptr);
    std::string file = std::string(dir) + "/f";
    std::FILE* f = std::fopen(file.c_str(), "w");
    REQUIRE(f != nullptr);
    std::fputs("12345", f);
    std::fclose(f);
    ::chmod(file.c_str(), 0640);
    std::string r = ex("${stat:" + file + "}");
    CHECK(r.rfind("mode=0640 smode=-rw-r----- inode=", 0) == 0);
    CHECK(r.find(" links=1 ") != std::string::npos);
    CHECK(r.find(" size=5 atime=") != std::string::npos);
    ::chmod(dir, 01777);
    CHECK(ex("${stat:" + std::string(dir) + "}").rfind("mode=41777 smode=drwxrwxrwt ", 0) == 0);
    ::unlink(file.c_str());
    ::rmdir(dir);
    CHECK(ex("${stat:" + file + "}") ==
          "Failed: stat(" + file + ") failed: No such file or directory");
  }
}
