// lang/lookup.h — lookup types (lsearch, cdb, sqlite, ...) and how the language calls them.
//
// A lookup type is a LookupDef registered by its file in lang/lookups/. Single-key types take
// a key and a file (`${lookup{key}lsearch{file}}`, `lsearch;file` in a list); query-style
// types take a query (`${lookup sqlite{query}}`). The cache in EvalContext keeps files open
// and results remembered per process, as Exim does.
//
// Failure: a file that cannot be opened, or a broken query, gives Defer with Exim's message
// ("failed to open /x for linear search: No such file or directory").
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lang/status.h"

namespace lang {

class EvalContext;

enum class LookupOutcome : unsigned char { Found, NotFound, Defer };

struct LookupResult {
  LookupOutcome outcome = LookupOutcome::NotFound;
  std::string value;
  std::string message;   // for Defer
  bool at_open = false;  // Defer came from opening the file/database: `message` is complete
  int cache_ttl = -1;    // seconds the result may be remembered; -1: as long as the cache
};

// Options after a comma in the type: "lsearch,ret=full", "dsearch,filter=file",
// "sqlite,file=/x.db". Kept as written, in order.
using LookupOptions = std::vector<std::pair<std::string, std::string>>;

// An open file or database, owned by the cache.
class LookupHandle {
 public:
  virtual ~LookupHandle() = default;
};

struct LookupDef {
  std::string_view name;
  bool query_style = false;  // sqlite, dnsdb, passwd-like single-key-without-file are flagged
  // Single-key types: they read the file or directory given. Query-style types: the query
  // starts with an absolute file name, or the file= option gives it (Exim's
  // lookup_absfilequery, as sqlite).
  bool needs_file = true;
  // Opens `file` (or, for query-style types without a file, may ignore it).
  Status (*open)(const std::string& file, std::unique_ptr<LookupHandle>& out) = nullptr;
  // Looks `key` (or the query) up. `ctx` is there for types that expand (wildlsearch keys).
  LookupResult (*find)(EvalContext& ctx, LookupHandle* h, const std::string& file,
                       std::string_view key, const LookupOptions& opts) = nullptr;
  // For ${quote_<name>:...} and ${quote_<name>_<opt>:...} (`opt` absent for the first);
  // false when the option is not one the type knows. Null when the type has no quoting rule
  // (the text is then left as it is, and any option is refused).
  bool (*quote)(std::string_view s, std::optional<std::string_view> opt,
                std::string& out) = nullptr;
};

const LookupDef* find_lookup(std::string_view name);
std::vector<std::string_view> lookup_names();
void register_lookup(const LookupDef& d);
struct LookupRegistrar {
  explicit LookupRegistrar(std::initializer_list<LookupDef> defs) {
    for (const auto& d : defs) register_lookup(d);
  }
};

// A parsed lookup type as written: "partial2-lsearch*@,ret=key".
struct LookupSpec {
  const LookupDef* def = nullptr;
  int partial = -1;           // -1: no partial matching; else minimum number of components
  std::string partial_affix;  // "*." by default
  bool star = false;          // "*" default
  bool star_at = false;       // "*@" default
  LookupOptions options;
};

// Parses a type specification. Errors use Exim's texts ("unknown lookup type \"x\"").
Status lookup_parse_spec(std::string_view text, LookupSpec& out);

// Performs a lookup with partial matching and defaults applied, through the context's cache.
// `source` is the file (single-key) or the query (query-style). On Found, `out.value` holds
// the data (or the key, for ret=key). Regex captures for partial matching go to ctx.captures.
LookupResult lookup_run(EvalContext& ctx, const LookupSpec& spec, std::string_view source,
                        std::string_view key);

// ${quote_<type>:in} and ${quote_<type>_<opt>:in}: `type` is the text after "quote_"
// (it is split at its first '_' into the type name and the option). Returns false with
// Exim's message in `err` ("unknown lookup type \"x\"", "\"o\" unrecognized after
// \"${quote_t\"").
bool lookup_quote(std::string_view type, std::string_view in, std::string& out, std::string& err);

}  // namespace lang
