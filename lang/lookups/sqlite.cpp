// lang/lookups/sqlite.cpp — the sqlite lookup (spec 9.26): a query-style lookup whose query
// starts with the database's absolute file name (or whose file= option names it).
//
// Result (spec 9.21): one column gives its value as is; several give "name=value " for each,
// the value double-quoted (with \ before " and \) when it is empty or holds a space, tab,
// newline or carriage return. NULL is "<NULL>". Rows are joined with newlines. No row: not
// found. A query that SQLite rejects is "not found" too, as in Exim.
//
// ${quote_sqlite:...} doubles single quotes.
//
// Failure: a database that cannot be opened gives SQLite's message ("unable to open database
// file"). As with Exim's sqlite3_open(), a missing database file is created.
#include <sqlite3.h>

#include "lang/lookup.h"

namespace lang {
namespace {

struct SqliteHandle : LookupHandle {
  sqlite3* db = nullptr;
  ~SqliteHandle() override { sqlite3_close(db); }
};

Status sqlite_open(const std::string& file, std::unique_ptr<LookupHandle>& out) {
  auto h = std::make_unique<SqliteHandle>();
  int rc =
      sqlite3_open_v2(file.c_str(), &h->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = h->db ? sqlite3_errmsg(h->db) : sqlite3_errstr(rc);
    return Status::error(msg);
  }
  sqlite3_busy_timeout(h->db, 5000);  // Exim's sqlite_lock_timeout default
  out = std::move(h);
  return Status::ok();
}

void quote_field(std::string& out, const char* name, const char* value) {
  out += name;
  out += '=';
  std::string_view v = value ? value : "<NULL>";
  if (!v.empty() && v.find_first_of(" \t\n\r") == std::string_view::npos) {
    out += v;
  } else {
    out += '"';
    for (char c : v) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += ' ';
}

struct Rows {
  std::string text;
  long count = 0;
};

int on_row(void* arg, int ncols, char** values, char** names) {
  auto* rows = static_cast<Rows*>(arg);
  if (rows->count++ > 0) rows->text += '\n';
  if (ncols == 1) {
    rows->text += values[0] ? values[0] : "<NULL>";
    return 0;
  }
  for (int i = 0; i < ncols; ++i) quote_field(rows->text, names[i], values[i]);
  return 0;
}

LookupResult sqlite_find(EvalContext&, LookupHandle* handle, const std::string&,
                         std::string_view query, const LookupOptions&) {
  auto* h = static_cast<SqliteHandle*>(handle);
  LookupResult r;
  Rows rows;
  std::string q(query);
  char* errmsg = nullptr;
  int rc = sqlite3_exec(h->db, q.c_str(), on_row, &rows, &errmsg);
  sqlite3_free(errmsg);
  if (rc != SQLITE_OK || rows.count == 0) return r;
  r.outcome = LookupOutcome::Found;
  r.value = std::move(rows.text);
  return r;
}

bool sqlite_quote(std::string_view s, std::optional<std::string_view> opt, std::string& out) {
  if (opt) return false;
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return true;
}

const LookupRegistrar reg({{"sqlite", true, true, sqlite_open, sqlite_find, sqlite_quote}});

}  // namespace
}  // namespace lang
