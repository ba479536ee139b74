//! `like`/`unlike` values are Java regular expressions. `tests/data/java-regex-verdicts.tsv` holds Java 17's
//! own verdicts (`Pattern.compile`, produced by `tests/data/JavaVerdicts.java`; the test needs no Java):
//! `OK<TAB>"pattern"` or `ERR<TAB>"pattern"<TAB>index<TAB>description`, patterns as JSON strings. pkwc's
//! validator must give the same verdict, index and description for every one.

use pkwc::check::java_regex::check;

/// Java's table writes control characters in descriptions as `\uXXXX`.
fn sanitize(s: &str) -> String {
    s.chars().map(|c| if (c as u32) < 0x20 { format!("\\u{:04x}", c as u32) } else { c.to_string() }).collect()
}

mod common;

#[test]
fn every_verdict_matches_java_17() {
    let table = include_str!("data/java-regex-verdicts.tsv");
    let (count, wrong) =
        common::against_java(table, |input| check(input).map_err(|e| (e.index.to_string(), sanitize(&e.description))));
    assert!(count > 4000, "the table is there");
    assert!(wrong.is_empty(), "{} of {count} differ from Java:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn what_java_takes_and_other_engines_do_not() {
    for ok in [
        "(?<=rack-)[0-9]+",
        "(?!bad).*",
        "(a)\\1",
        "\\Qus-east-1.a\\E",
        "a*+b",
        "(?<zone>eu|us)-\\k<zone>",
        "[a-z&&[^q]]+",
        "\\p{IsLatin}+",
        "\\p{InGreek}",
        "\\N{LATIN SMALL LETTER A}",
        "{2}",
        "a{2}{3}",
    ] {
        assert_eq!(check(ok), Ok(()), "{ok}");
    }
    for (bad, why) in [
        ("(?P<zone>a)", "Unknown inline modifier"),
        ("a**", "Dangling meta character '*'"),
        ("*-ssd", "Dangling meta character '*'"),
        ("[z-a]", "Illegal character range"),
        ("\\p{Bogus}", "Unknown character property name {Bogus}"),
        ("(?<=(?:ab)+)", "Look-behind group does not have an obvious maximum length"),
        ("rack-{1", "Unclosed counted closure"),
        ("{rack}", "Illegal repetition"),
    ] {
        assert_eq!(check(bad).map_err(|e| e.description), Err(why.to_string()), "{bad}");
    }
}

#[test]
fn deep_nesting_is_refused_past_java_s_stack_not_ours() {
    let nested = |n: usize| "(".repeat(n) + "a" + &")".repeat(n);
    assert_eq!(check(&nested(800)), Ok(()));
    let err = check(&nested(801)).unwrap_err();
    assert_eq!(err.description, "Stack overflow during pattern compilation");
    // A megabyte of `(` or `[` neither overflows the stack nor takes long.
    assert!(check(&"(".repeat(1 << 20)).is_err());
    assert!(check(&"[".repeat(1 << 20)).is_err());
}
