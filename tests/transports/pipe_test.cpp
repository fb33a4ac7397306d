// Unit tests of the pipe transport with real commands: input, environment, exit statuses,
// output handling, timeouts, signals, shells, redirected commands, batches.
#include <doctest/doctest.h>

#include "tests/transports/fixture.h"
#include "transports/command_line.h"

using namespace transport_test;
using transports::Outcome;

namespace {

std::string pipe_conf(const std::string& command, const std::string& extra = "") {
  return "t:\n  driver = pipe\n  command = " + command + "\n" + extra;
}

transports::AddressResult run1(Harness& h, std::string body = "body line\n") {
  return h.run({address("bob", "example.net")}, test_envelope(), std::move(body)).results[0];
}

}  // namespace

TEST_SUITE("transports.pipe") {
  TEST_CASE("command lines are split before expansion") {
    auto parts = transports::split_command("/bin/cmd  a \"b c\\n\" 'd \\e' ${if eq{1}{1}{x}}");
    REQUIRE(parts.ok());
    CHECK(*parts ==
          std::vector<std::string>{"/bin/cmd", "a", "b c\n", "d \\e", "${if", "eq{1}{1}{x}}"});
    CHECK_FALSE(transports::split_command("/bin/cmd \"open").ok());
  }

  TEST_CASE("the message goes to the command's input with the From_ prefix") {
    TempDir dir;
    Harness h(pipe_conf("/bin/sh -c 'cat > " + dir / "out" + "'", "  return_path_add\n"));
    CHECK(outcome_text(run1(h)) == "ok");
    std::string text = slurp(dir / "out");
    CHECK(text.rfind("From alice@example.org ", 0) == 0);
    CHECK(text.find("\nReturn-path: <alice@example.org>\nReceived: ") != std::string::npos);
    CHECK(text.ends_with("\n\nbody line\n\n"));
    Harness bare(pipe_conf("/bin/sh -c 'cat > " + dir / "out2" + "'",
                           "  message_prefix =\n  message_suffix =\n"));
    CHECK(outcome_text(run1(bare)) == "ok");
    CHECK(slurp(dir / "out2").rfind("Received: ", 0) == 0);
    CHECK(slurp(dir / "out2").ends_with("\n\nbody line\n"));
  }

  TEST_CASE("arguments are expanded one by one; the environment is Exim's") {
    TempDir dir;
    Harness h(pipe_conf("/bin/sh -c 'env > " + dir / "env" + "; echo \"\\$0|\\$1\" > " +
                            dir / "args" + "' \"${local_part} x\" $domain",
                        "  environment = FOO=bar : BAZ=${uc:$local_part}\n"
                        "  path = /usr/local/bin:/usr/bin:/bin\n"));
    auto a = address("bob", "example.net");
    a.home = dir.path;
    a.prefix = "pre-";
    CHECK(outcome_text(h.run({a}, test_envelope(), "x\n").results[0]) == "ok");
    CHECK(slurp(dir / "args") == "bob x|example.net\n");
    std::string env = slurp(dir / "env");
    for (const std::string& want : std::vector<std::string>{
             "LOCAL_PART=bob\n", "LOGNAME=bob\n", "USER=bob\n", "DOMAIN=example.net\n",
             "RECIPIENT=bob@example.net\n", "SENDER=alice@example.org\n",
             "MESSAGE_ID=1xVkc9-000131-34\n", "HOME=" + dir.path + "\n", "SHELL=/bin/sh\n",
             "PATH=/usr/local/bin:/usr/bin:/bin\n", "LOCAL_PART_PREFIX=pre-\n", "FOO=bar\n",
             "BAZ=BOB\n"})
      CHECK_MESSAGE(env.find(want) != std::string::npos, want);
  }

  TEST_CASE("T-CMD-2: shell metacharacters in $local_part and $sender_address stay one argument") {
    TempDir dir;
    Harness h(pipe_conf("/bin/sh -c 'printf \"[%s]\" \"\\$@\" > " + dir / "args" +
                        "' sh $local_part $sender_address"));
    const std::string evil = ";touch " + dir / "pwned" + ";$(touch " + dir / "pwned" + ")`touch " +
                             dir / "pwned" + "`|a b";
    auto env = test_envelope();
    env.sender = evil + "@x";
    CHECK(outcome_text(h.run({address(evil, "example.net")}, env, "x\n").results[0]) == "ok");
    CHECK(slurp(dir / "args") == "[" + evil + "][" + evil + "@x]");
    CHECK_FALSE(fs::exists(dir / "pwned"));
  }

  TEST_CASE("exit statuses: 0 ok, temp_errors defer, others fail; ignore_status") {
    Harness h(pipe_conf("/bin/sh -c 'cat >/dev/null; exit \\$0' ${local_part_data}"));
    auto exit_with = [&](const char* code) {
      auto a = address("bob", "example.net");
      a.local_part_data = code;
      return h.run({a}, test_envelope(), "x\n").results[0];
    };
    CHECK(outcome_text(exit_with("0")) == "ok");
    auto r = exit_with("75");
    CHECK(outcome_text(r) ==
          "defer: Child process of t transport returned 75 from command: /bin/sh");
    CHECK(r.retry == transports::RetryScope::Address);
    r = exit_with("1");
    CHECK(outcome_text(r) == "fail: Child process of t transport returned 1 from command: /bin/sh");
    CHECK(r.bounce_text == "local delivery failed");
    CHECK(outcome_text(exit_with("130")) ==
          "fail: Child process of t transport returned 130 (could mean shell command ended by "
          "signal 2 (SIGINT)) from command: /bin/sh");
    Harness star(pipe_conf("/bin/sh -c 'exit 3'", "  temp_errors = *\n"));
    CHECK(run1(star).outcome == Outcome::Defer);
    Harness ignore(pipe_conf("/bin/sh -c 'exit 3'", "  ignore_status\n"));
    CHECK(outcome_text(run1(ignore)) == "ok");
  }

  TEST_CASE("output: return_output fails with it, return_fail_output only on failure") {
    Harness quiet(pipe_conf("/bin/echo hello"));
    CHECK(outcome_text(run1(quiet)) == "ok");
    Harness ret(pipe_conf("/bin/echo hello", "  return_output\n  log_output\n"));
    auto r = run1(ret);
    CHECK(outcome_text(r) ==
          "fail: Child process of t transport (running command \"/bin/echo hello\") produced "
          "output");
    CHECK(r.output == "hello\n");
    CHECK(r.return_output);
    CHECK(r.log_note == "t transport output: hello");
    Harness on_fail(pipe_conf("/bin/sh -c 'echo oops; exit \\$0' ${local_part_data}",
                              "  return_fail_output\n"));
    auto a = address("bob", "example.net");
    a.local_part_data = "0";
    r = on_fail.run({a}, test_envelope(), "x\n").results[0];
    CHECK(outcome_text(r) == "ok");
    CHECK_FALSE(r.return_output);
    a.local_part_data = "2";
    r = on_fail.run({a}, test_envelope(), "x\n").results[0];
    CHECK(r.outcome == Outcome::Fail);
    CHECK(r.output == "oops\n");
    // A bounce's output is never returned.
    auto env = test_envelope();
    env.sender = "";
    CHECK(outcome_text(ret.run({address("bob", "example.net")}, env, "x\n").results[0]) == "ok");
  }

  TEST_CASE("timeouts, signals, too much output, a command that cannot run") {
    Harness slow(pipe_conf("/bin/sleep 10", "  timeout = 1s\n"));
    auto r = run1(slow);
    CHECK(outcome_text(r) ==
          "fail: Child process of t transport (running command \"/bin/sleep 10\") timed out");
    Harness slow_defer(pipe_conf("/bin/sleep 10", "  timeout = 1s\n  timeout_defer\n"));
    CHECK(run1(slow_defer).outcome == Outcome::Defer);
    Harness killed(pipe_conf("/bin/sh -c 'kill -9 \\$\\$'"));
    CHECK(outcome_text(run1(killed)) ==
          "fail: Child process of t transport (running command \"/bin/sh -c kill -9 $$\") was "
          "terminated by signal 9 (SIGKILL)");
    Harness frozen(pipe_conf("/bin/sh -c 'kill -9 \\$\\$'", "  freeze_signal\n"));
    r = run1(frozen);
    CHECK(r.outcome == Outcome::Defer);
    CHECK(r.freeze);
    Harness chatty(pipe_conf("/usr/bin/yes", "  max_output = 1K\n"));
    CHECK(outcome_text(run1(chatty)) ==
          "fail: Child process of t transport (running command \"/usr/bin/yes\") produced more "
          "than 1024 bytes of output");
    Harness missing(pipe_conf("/no/such/command"));
    r = run1(missing);
    CHECK(r.outcome == Outcome::Fail);
    CHECK(r.message.rfind("Child process of t transport returned 127 (could mean unable to exec "
                          "or command does not exist) from command: /no/such/command",
                          0) == 0);
    Harness freeze_exec(pipe_conf("/no/such/command", "  freeze_exec_fail\n"));
    r = run1(freeze_exec);
    CHECK(r.outcome == Outcome::Defer);
    CHECK(r.freeze);
  }

  TEST_CASE("a command that does not read its input, and one that echoes a large message") {
    Harness deaf(pipe_conf("/bin/true"));
    CHECK(outcome_text(run1(deaf, std::string(1 << 20, 'x') + "\n")) == "ok");
    Harness echo(pipe_conf("/bin/cat", "  max_output = 4M\n"));
    std::string big;
    for (int i = 0; i < 20000; ++i) big += "line " + std::to_string(i) + " of a large message\n";
    CHECK(outcome_text(run1(echo, big)) == "ok");
  }

  TEST_CASE("the command is searched in path; allow_commands and restrict_to_path") {
    TempDir dir;
    Harness h(pipe_conf("sh -c 'cat > " + dir / "out" + "'", "  path = /usr/bin:/bin\n"));
    CHECK(outcome_text(run1(h)) == "ok");
    CHECK(fs::exists(dir / "out"));
    Harness allowed(pipe_conf("/bin/true", "  allow_commands = /bin/true\n"));
    CHECK(outcome_text(run1(allowed)) == "ok");
    Harness refused(pipe_conf("/bin/false", "  allow_commands = /bin/true\n"));
    CHECK(outcome_text(run1(refused)) ==
          "fail: \"/bin/false\" command not permitted by t transport");
    Harness restricted(pipe_conf("/bin/true", "  restrict_to_path\n"));
    CHECK(run1(restricted).outcome == Outcome::Fail);
    Harness on_path(pipe_conf("true", "  restrict_to_path\n"));
    CHECK(outcome_text(run1(on_path)) == "ok");
  }

  // T-CMD-2: use_shell hands the expanded command to /bin/sh as one string. Exim 4.96 does
  // the same with $local_part in it (checked: it runs; only file names refuse tainted data),
  // so it stays the configuration's explicit choice; without it no shell is involved.
  TEST_CASE("use_shell, redirected commands, force_command, $pipe_addresses") {
    TempDir dir;
    Harness shell(pipe_conf("echo $local_part | cat > " + dir / "shell", "  use_shell\n"));
    CHECK(outcome_text(run1(shell)) == "ok");
    CHECK(slurp(dir / "shell") == "bob\n");

    Harness redirect("t:\n  driver = pipe\n");
    auto a = address("bob", "example.net");
    a.pipe = "|/bin/sh -c 'cat > " + dir / "redirected" + "'";
    CHECK(outcome_text(redirect.run({a}, test_envelope(), "x\n").results[0]) == "ok");
    CHECK(slurp(dir / "redirected").ends_with("\n\nx\n\n"));

    Harness forced(
        pipe_conf("/bin/sh -c 'echo \"\\$@\" > " + dir / "forced" + "' wrapper $address_pipe",
                  "  force_command\n"));
    a.pipe = "|/usr/bin/vacation -a bob";
    CHECK(outcome_text(forced.run({a}, test_envelope(), "x\n").results[0]) == "ok");
    CHECK(slurp(dir / "forced") == "/usr/bin/vacation -a bob\n");

    Harness batch(pipe_conf("/bin/sh -c 'echo \"\\$@\" > " + dir / "batch" + "' x $pipe_addresses",
                            "  batch_max = 5\n"));
    auto d = batch.run({address("bob", "example.net"), address("carol", "example.org")},
                       test_envelope(), "x\n");
    CHECK(outcome_text(d.results[1]) == "ok");
    CHECK(slurp(dir / "batch") == "bob@example.net carol@example.org\n");
  }

  TEST_CASE("batch SMTP to a command") {
    TempDir dir;
    Harness h(pipe_conf("/bin/sh -c 'cat > " + dir / "bsmtp" + "'", "  use_bsmtp\n"));
    CHECK(outcome_text(run1(h, ".dot\n")) == "ok");
    std::string text = slurp(dir / "bsmtp");
    CHECK(text.rfind("MAIL FROM:<alice@example.org>\nRCPT TO:<bob@example.net>\nDATA\n", 0) == 0);
    CHECK(text.ends_with("\n\n..dot\n.\n"));
  }

  TEST_CASE("configuration errors") {
    auto err = transport_config_error;
    CHECK(err("t:\n  driver = pipe\n  command = /bin/x\n  return_output\n"
              "  return_fail_output\n") ==
          "test.conf:2: transport t: both return_output and return_fail_output set");
    CHECK(err("t:\n  driver = pipe\n  command = /bin/x 'open\n") ==
          "test.conf:2: transport t: missing quote in command line: /bin/x 'open");
    CHECK(err("t:\n  driver = pipe\n  command = /bin/x ${if\n") ==
          "test.conf:4:24: syntax error in expansion of option \"command\" of t transport: "
          "condition name expected, but found \"\"\n (hint: the \"${\" at line 4 column 20 is "
          "never closed)");
  }
}
