// engine/update_conf_main.cpp — the facteur-update-conf binary (engine/update_conf.h).
#include <cstdio>
#include <string>
#include <vector>

#include "engine/update_conf.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = engine::parse_update_conf_args(args);
  if (!parsed) {
    std::fprintf(stderr, "facteur-update-conf: %s\n%s", parsed.error().message.c_str(),
                 engine::update_conf_usage().c_str());
    return 1;
  }
  return engine::run_update_conf(*parsed, {}, stdout, stderr);
}
