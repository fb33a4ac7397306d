// tests/lang/lookups/test_files.h — temporary fixture files for lookup (and other) tests.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace testfiles {

// A file (or directory) under a fresh temporary directory, removed with it at exit.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/facteur-test-XXXXXX";
    if (!mkdtemp(tmpl)) std::abort();
    path_ = tmpl;
  }
  ~TempDir() {
    std::string cmd = "rm -rf '" + path_ + "'";
    if (std::system(cmd.c_str()) != 0) std::fprintf(stderr, "cannot remove %s\n", path_.c_str());
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Writes `content` to `name` in the directory; returns its path.
  std::string write(std::string_view name, std::string_view content) const {
    std::string p = path_ + "/" + std::string(name);
    std::FILE* f = std::fopen(p.c_str(), "wb");
    if (!f) std::abort();
    std::fwrite(content.data(), 1, content.size(), f);
    std::fclose(f);
    return p;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace testfiles
