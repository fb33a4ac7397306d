#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::be::ex;

TEST_SUITE("lang.operators.address") {
  TEST_CASE("address, domain, local_part") {
    testlang::Case cases[] = {
        {"${address:local-part@dom.ain}", "local-part@dom.ain"},
        {"${address:Exim Person <local-part(c)@dom.ain> (that's me)}", "local-part@dom.ain"},
        {"${address:\\\"John Doe\\\"@example.com}", "\"John Doe\"@example.com"},
        {"${address:not an address}", ""},
        {"${address:user}", "user"},
        {"${address:@example.com}", ""},
        {"${address:a@b@c}", ""},
        {"${address:<>}", ""},
        {"${address:<@r1,@r2:u@d>}", "u@d"},
        {"${address:a@[1.2.3.4]}", "a@[1.2.3.4]"},
        {"${domain:Exim Person <lp(foo)@(bar)dom.ain>}", "dom.ain"},
        {"${domain:a.b.c}", ""},
        {"${local_part:a.b.c}", "a.b.c"},
        {"${local_part:Exim <local(c).part@dom.(c2)ain>}", "local.part"},
        {"${local_part:\\\"with space\\\"@example.com}", "\"with space\""},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }

  TEST_CASE("addresses") {
    testlang::Case cases[] = {
        {"${addresses:>' 'abc@xyz, 'pqr@xyz}", "''abc@xyz' ''pqr@xyz"},
        {"${addresses:a@b, c@d, e@f}", "a@b:c@d:e@f"},
        {"${addresses:>; a@b, c@d}", "a@b;c@d"},
        {"${addresses:P <lp@dom> (me), xyz@abc, nullgroup:;, group: p@q, r@s; }",
         "lp@dom:xyz@abc:p@q:r@s"},
        {"${addresses:g: a@b, c@d, e@f; x@y, z@w}", "a@b:c@d:e@f:z@w"},
        {"${addresses:Last, First <user@example.com>}", "Last:user@example.com"},
        {"${addresses:bad address, good@example.com}", "good@example.com"},
        {"${addresses:<@r1,@r2:a@b>}", "a@b"},
        {"${addresses:>::a@b, c:d@e}", "a@b"},
        {"${addresses:}", ""},
        {"${addresses:c,@x,@y:y@z,d}", "c:y@z:d"},
        {"${addresses:c,@x.y,b}", "c"},
        {"${addresses:>}", "Failed: output separator missing in expanding ${addresses:>}"},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
}
