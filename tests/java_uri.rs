//! Fetch URIs are parsed with `java.net.URI`. `tests/data/java-uri-verdicts.tsv` holds Java 17's own
//! verdicts (`new URI(s)`, produced by `tests/data/JavaVerdicts.java`; the test needs no Java):
//! `OK<TAB>"uri"` or `ERR<TAB>"uri"<TAB>index<TAB>reason`, URIs as JSON strings. pkwc's validator must give
//! the same verdict, index and reason for every one.

use pkwc::check::java_uri::check;

mod common;

#[test]
fn every_verdict_matches_java_17() {
    let table = include_str!("data/java-uri-verdicts.tsv");
    let (count, wrong) = common::against_java(table, |input| check(input).map_err(|e| (e.index.to_string(), e.reason)));
    assert!(count > 4000, "the table is there");
    assert!(wrong.is_empty(), "{} of {count} differ from Java:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn the_corrections_cases() {
    let reason = |uri: &str| check(uri).map_err(|e| e.reason);
    // No authority after `http://`, brackets in a path, a second `#`.
    assert_eq!(reason("http://"), Err("Expected authority".to_string()));
    assert_eq!(reason("https://h/app[1].tgz"), Err("Illegal character in path".to_string()));
    assert_eq!(reason("https://h/app.tgz#a#b"), Err("Illegal character in fragment".to_string()));
    // What Java takes that a strict RFC 3986 parser would not.
    for ok in
        ["file:///opt/app.tgz", "s3://my_bucket/key.tgz", "hdfs://nn_1:8020/x", "https://h/?a[]=1", "https://h/é.tgz"]
    {
        assert_eq!(reason(ok), Ok(()), "{ok}");
    }
}
