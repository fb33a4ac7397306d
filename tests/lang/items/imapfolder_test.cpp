#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::Case;
using testlang::ex;

// Expected values from the reference exim4 (4.96).
TEST_SUITE("lang.items.imapfolder") {
  TEST_CASE("imapfolder") {
    const Case cases[] = {
        {"${imapfolder{Foo/Bar}}", "Foo.Bar"},
        {"${imapfolder{Foo/Bar}{.}{/}}", "Foo&AC8-Bar"},
        {"${imapfolder{R\\xc3\\xa4ksm\\xc3\\xb6rg\\xc3\\xa5s}}", "R&AOQ-ksm&APY-rg&AOU-s"},
        {"${imapfolder{\\xc3\\xa4\\xc3\\xa4 \\xc3\\xa4}}", "&AOQA5A- &AOQ-"},
        {"${imapfolder{\\xf0\\x9f\\x98\\x80}}", "&2D3eAA-"},
        {"${imapfolder{&&a&}}", "&-&-a&-"},
        {"${imapfolder{~x\\x7f}}", "~x&AH8-"},
        {"${imapfolder{a/b}{/}{a}}", "&AGE-.b"},
        {"${imapfolder{a/b}{/}{/}}", "a.b"},
        {"${imapfolder{a.b/c}}", "Failed: imapfolder: illegal character '.'"},
        {"${imapfolder{a:b/c}{:}}", "Failed: imapfolder: illegal character '/'"},
        {"${imapfolder{Foo/Bar}{..}}",
         "Failed: IMAP folder separator must be one character, found \"..\""},
        {"${imapfolder{\\xff}}",
         "Failed: imapfolder: iconv() failed to convert from UTF-8: Invalid or incomplete "
         "multibyte or wide character"},
        {"${imapfolder{a\\xc3}}",
         "Failed: imapfolder: iconv() failed to convert from UTF-8: Invalid argument"},
        {"${imapfolder{a}{/}{}{}}", "Failed: Too many arguments for 'imapfolder' (max is 3)"},
    };
    for (const auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
}
