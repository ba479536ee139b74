//! Ids and Mesos-DNS names: duplicate ids, app/group clashes, distinct ids that Mesos-DNS maps to one
//! name, and names too long for a DNS label.

use rustc_hash::FxHashMap as HashMap;

use super::cluster::Index;
use crate::diagnostics::{messages, Diagnostic};

/// Mesos-DNS's limit on one DNS label.
pub const DNS_LABEL_MAX: usize = 63;
/// Marathon's guidance: leave room for the 9-character suffix of per-task names.
pub const DNS_NAME_ADVISED: usize = 54;

/// The Mesos-DNS label of an app id, before truncation: segments reversed, then mangled
/// (`/ctrlpkw/db/cassandra-seed` → `cassandra-seed-db-ctrlpkw`).
pub fn dns_label(id: &str) -> String {
    let hostname: Vec<&str> = id.split('/').filter(|s| !s.is_empty()).rev().collect();
    let mut out = String::with_capacity(id.len());
    for c in hostname.join(".").chars() {
        match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9') => out.push(c),
            '-' | '.' | '_' => out.push('-'),
            _ => {}
        }
    }
    out.trim_matches('-').to_string()
}

/// The A record of an app: `cassandra-seed-db-ctrlpkw.marathon.mesos`.
pub fn dns_name(id: &str) -> String {
    let mut label = dns_label(id);
    label.truncate(DNS_LABEL_MAX);
    format!("{}.marathon.mesos", label.trim_end_matches('-'))
}

pub fn check(index: &Index, diags: &mut Vec<Diagnostic>) {
    let mut ids: HashMap<&str, (&'static str, crate::source::Span)> = HashMap::default();
    let groups = index.groups.iter().filter(|g| g.id != "/").map(|g| (g.id.as_str(), "group", g.name.span));
    let apps = index.apps.iter().map(|a| (a.id.as_str(), "app", a.name.span));
    let mut all: Vec<_> = groups.chain(apps).collect();
    all.sort_by_key(|(_, _, span)| (span.file, span.start));
    for (id, kind, span) in all {
        match ids.get(id) {
            Some((first_kind, first)) => diags.push(messages::duplicate_id(span, kind, *first, first_kind, id)),
            None => {
                ids.insert(id, (kind, span));
            }
        }
    }

    let mut dns: HashMap<String, (&str, crate::source::Span)> = HashMap::default();
    for app in &index.apps {
        let label = dns_label(&app.id);
        if label.len() > DNS_LABEL_MAX {
            // Mesos-DNS cuts the name short: an error where a `dns()` or `srv()` relies on it.
            match app.named_by {
                Some(call) => diags.push(messages::dns_too_long(app.name.span, call, &app.id, &label, DNS_LABEL_MAX)),
                None => diags.push(messages::dns_truncated(app.name.span, &app.id, &label, DNS_LABEL_MAX)),
            }
        } else if label.len() > DNS_NAME_ADVISED {
            diags.push(messages::dns_long(app.name.span, &app.id, &label, DNS_NAME_ADVISED));
        }
        let name = dns_name(&app.id);
        match dns.get(&name) {
            Some((other, first)) if *other != app.id => {
                diags.push(messages::dns_collision(app.name.span, &app.id, *first, other, &name))
            }
            Some(_) => {}
            None => {
                dns.insert(name, (&app.id, app.name.span));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mesos_dns_names() {
        assert_eq!(dns_name("/ctrlpkw/db/cassandra-seed"), "cassandra-seed-db-ctrlpkw.marathon.mesos");
        assert_eq!(dns_name("/a-b/c"), "c-a-b.marathon.mesos");
        assert_eq!(dns_name("/b/a/c"), "c-a-b.marathon.mesos");
        assert_eq!(dns_name("/b/c.a"), "c-a-b.marathon.mesos");
    }
}
