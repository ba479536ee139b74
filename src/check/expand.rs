//! After lowering: `dns()`/`srv()` placeholders become Mesos-DNS names, and diagnostics about text that a
//! template expansion produced are pointed at the use site too.
//!
//! Invariant: a label inside the built-in prelude is moved to the user's use site (users cannot edit the
//! prelude); a label inside a user's template stays and gains a label at each use site that led to it.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::names::dns_label;
use crate::diagnostics::{messages, Diagnostic, Label};
use crate::model::{App, Cluster, Group, Protocol};
use crate::source::Span;

/// Template expansions and pending `dns()` names, numbered by the lowering thread that made them: an id is
/// `bank << BANK_SHIFT | (index + 1)`, so that two threads lowering sibling groups number their own
/// independently and the result is the same on every run. Id 0 means "none" (a span outside any expansion).
#[derive(Clone, Debug)]
pub struct Numbered<T> {
    banks: Vec<Vec<T>>,
}

/// Bits of an id that hold the index within its bank (64 Mi items a bank, 64 banks).
const BANK_SHIFT: u32 = 26;
/// How many banks there are: the main lowering thread is bank 0, each fork takes the next one.
pub const BANKS: u32 = 1 << (32 - BANK_SHIFT);

impl<T> Default for Numbered<T> {
    fn default() -> Self {
        Numbered { banks: vec![Vec::new()] }
    }
}

impl<T> Numbered<T> {
    /// An empty table for the lowering thread that owns `bank`.
    pub fn for_bank(bank: u32) -> Self {
        Numbered { banks: (0..=bank).map(|_| Vec::new()).collect() }
    }

    /// Adds an item to `bank` and returns its id; 0 if the bank is full (the item is then unreachable,
    /// which only costs a use-site label in a file of over a gigabyte).
    pub fn push(&mut self, bank: u32, item: T) -> u32 {
        let items = &mut self.banks[bank as usize];
        if items.len() + 1 >= 1 << BANK_SHIFT {
            return 0;
        }
        items.push(item);
        (bank << BANK_SHIFT) | items.len() as u32
    }

    pub fn get(&self, id: u32) -> Option<&T> {
        let (bank, index) = ((id >> BANK_SHIFT) as usize, (id & ((1 << BANK_SHIFT) - 1)) as usize);
        self.banks.get(bank)?.get(index.checked_sub(1)?)
    }

    pub fn is_empty(&self) -> bool {
        self.banks.iter().all(Vec::is_empty)
    }

    /// Takes over the banks another thread filled.
    pub fn merge(&mut self, other: Numbered<T>) {
        for (bank, items) in other.banks.into_iter().enumerate() {
            if items.is_empty() {
                continue;
            }
            if self.banks.len() <= bank {
                self.banks.resize_with(bank + 1, Vec::new);
            }
            self.banks[bank] = items;
        }
    }

    /// Every item with its id.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &T)> {
        self.banks.iter().enumerate().flat_map(|(bank, items)| {
            items.iter().enumerate().map(move |(i, item)| (((bank as u32) << BANK_SHIFT) | (i as u32 + 1), item))
        })
    }
}

/// One use of a template.
#[derive(Clone, Debug)]
pub struct Expansion {
    /// The statement that used the template (itself possibly inside another expansion).
    pub site: Span,
    pub template: String,
    pub in_prelude: bool,
}

/// A `dns()` or `srv()` call waiting for the whole cluster to be known.
#[derive(Clone, Debug)]
pub struct PendingName {
    pub written: String,
    /// `None` when `..` climbs above the root.
    pub absolute: Option<String>,
    pub srv: bool,
    /// `srv(path, udp)`: the protocol asked for; otherwise the app's first port's.
    pub protocol: Option<Protocol>,
    pub span: Span,
}

impl PendingName {
    /// A placeholder for the pending name with this id, which cannot occur in source text (NUL bytes are
    /// refused on input).
    pub fn marker(id: u32) -> String {
        format!("\0{id}\0")
    }
}

/// The name a `dns()`/`srv()` call produces for an app id; an SRV name is `_udp` for a udp port.
pub fn mesos_dns(id: &str, srv: bool, dotted: bool) -> String {
    mesos_dns_for(id, srv.then_some(Protocol::Tcp), dotted)
}

fn mesos_dns_for(id: &str, srv: Option<Protocol>, dotted: bool) -> String {
    let name = if dotted {
        id.split('/').filter(|s| !s.is_empty()).rev().collect::<Vec<_>>().join(".")
    } else {
        dns_label(id)
    };
    if let Some(protocol) = srv {
        let proto = if protocol == Protocol::Udp { "udp" } else { "tcp" };
        format!("_{name}._{proto}.marathon.mesos")
    } else {
        format!("{name}.marathon.mesos")
    }
}

/// Resolves every pending name against the apps of the cluster and writes it into the strings.
pub fn resolve_names(
    cluster: &mut Cluster,
    pending: &Numbered<PendingName>,
    dotted: bool,
    diags: &mut Vec<Diagnostic>,
) {
    if pending.is_empty() {
        return;
    }
    let mut apps: Vec<String> = Vec::new();
    let mut groups: Vec<String> = Vec::new();
    let mut first_protocol: HashMap<String, Protocol> = HashMap::default();
    collect_ids(&cluster.root, &mut apps, &mut groups, &mut first_protocol);
    let app_set: HashSet<&str> = apps.iter().map(String::as_str).collect();
    let mut externals: Vec<String> = Vec::new();
    collect_externals(&cluster.root, &mut externals);
    let externals: Vec<&str> = externals.iter().map(String::as_str).collect();
    // Suggestions for dangling names compare with every app: bounded, as for references.
    let mut suggestion_work = 0usize;
    let mut named_by: HashMap<String, Span> = HashMap::default();
    let names: HashMap<u32, Option<String>> = pending
        .iter()
        .map(|(id, p)| {
            let found = p
                .absolute
                .as_ref()
                .filter(|a| app_set.contains(a.as_str()) || super::cluster::is_external(a, &externals));
            if found.is_none() {
                let absolute = p.absolute.as_deref();
                suggestion_work = suggestion_work.saturating_add(apps.len());
                let closest = (suggestion_work <= crate::limits::MAX_SUGGESTION_WORK)
                    .then(|| {
                        let candidates = apps.iter().map(String::as_str).chain(externals.iter().copied());
                        crate::schema::closest(absolute.unwrap_or(&p.written), candidates)
                    })
                    .flatten();
                let is_group = absolute.is_some_and(|a| groups.iter().any(|g| g == a));
                diags.push(messages::dns_target(p.span, &p.written, absolute, closest, is_group));
            }
            let srv = p.srv.then(|| p.protocol.or_else(|| found.and_then(|a| first_protocol.get(a).copied())));
            if let Some(app) = found {
                let first = named_by.entry(app.clone()).or_insert(p.span);
                if (p.span.file, p.span.start) < (first.file, first.start) {
                    *first = p.span;
                }
            }
            (id, found.map(|app| mesos_dns_for(app, srv.map(|p| p.unwrap_or(Protocol::Tcp)), dotted)))
        })
        .collect();
    mark_named(&mut cluster.root, &named_by);
    let mut fix = |s: &mut String| {
        if !s.contains('\0') {
            return;
        }
        let mut out = String::with_capacity(s.len());
        let mut parts = s.split('\0');
        if let Some(first) = parts.next() {
            out.push_str(first);
        }
        while let (Some(index), Some(rest)) = (parts.next(), parts.next()) {
            if let Some(Some(name)) = index.parse::<u32>().ok().and_then(|id| names.get(&id)) {
                out.push_str(name);
            }
            out.push_str(rest);
        }
        *s = out;
    };
    visit_strings(&mut cluster.root, &mut fix);
}

fn collect_externals(g: &Group, out: &mut Vec<String>) {
    out.extend(g.externals.iter().map(|e| e.absolute.clone()));
    for c in &g.groups {
        collect_externals(c, out);
    }
}

/// Records on each app the first `dns()`/`srv()` call that names it.
fn mark_named(g: &mut Group, named_by: &HashMap<String, Span>) {
    for a in &mut g.apps {
        a.named_by = named_by.get(&a.id).copied();
    }
    for c in &mut g.groups {
        mark_named(c, named_by);
    }
}

fn collect_ids(g: &Group, apps: &mut Vec<String>, groups: &mut Vec<String>, protocols: &mut HashMap<String, Protocol>) {
    groups.push(g.id.clone());
    for a in &g.apps {
        apps.push(a.id.clone());
        if let Some(p) = a.ports.first() {
            protocols.insert(a.id.clone(), p.protocol.value);
        }
    }
    for c in &g.groups {
        collect_ids(c, apps, groups, protocols);
    }
}

fn visit_strings(g: &mut Group, f: &mut impl FnMut(&mut String)) {
    for app in &mut g.apps {
        visit_app(app, f);
    }
    for c in &mut g.groups {
        visit_strings(c, f);
    }
}

fn visit_app(a: &mut App, f: &mut impl FnMut(&mut String)) {
    for e in a.env.iter_mut().chain(a.labels.iter_mut()).chain(a.docker_params.iter_mut()) {
        f(&mut e.key.value);
        f(&mut e.value.value);
    }
    for s in [&mut a.image, &mut a.cmd, &mut a.user].into_iter().flatten() {
        f(&mut s.value);
    }
    if let Some(args) = &mut a.args {
        args.value.iter_mut().for_each(&mut *f);
    }
    for fetch in &mut a.fetch {
        f(&mut fetch.uri.value);
        if let Some(d) = &mut fetch.dest {
            f(&mut d.value);
        }
    }
    for c in &mut a.constraints {
        f(&mut c.field.value);
        if let Some(v) = &mut c.value {
            f(&mut v.value);
        }
    }
    for v in &mut a.volumes {
        f(&mut v.container_path.value);
        if let Some(h) = &mut v.host_path {
            f(&mut h.value);
        }
    }
    for h in &mut a.health_checks {
        for s in [&mut h.path, &mut h.command].into_iter().flatten() {
            f(&mut s.value);
        }
    }
}

/// Points labels produced inside template expansions at the places the user wrote.
pub fn relabel(diags: &mut [Diagnostic], expansions: &Numbered<Expansion>) {
    if expansions.is_empty() {
        return;
    }
    let expansion = |via: u32| expansions.get(via);
    for d in diags.iter_mut() {
        let mut added: Vec<Label> = Vec::new();
        for label in &mut d.labels {
            // Move labels out of the prelude, up to the first use site outside it.
            while label.span.via != 0 {
                let Some(e) = expansion(label.span.via) else { break };
                if !e.in_prelude {
                    break;
                }
                label.span = e.site;
            }
            // In a user's template: name each use site on the way out.
            let mut via = label.span.via;
            while via != 0 {
                let Some(e) = expansion(via) else { break };
                let site = Span { via: 0, ..e.site };
                if !added.iter().any(|l| l.span == site) {
                    added.push(Label::secondary(site, format!("from template `{}`, used here", e.template)));
                }
                via = e.site.via;
            }
        }
        let mut seen: HashMap<(u32, u32, u32), usize> = HashMap::default();
        for l in d.labels.iter_mut() {
            l.span.via = 0;
        }
        // Labels moved onto the same use site are merged.
        let mut merged: Vec<Label> = Vec::new();
        for l in d.labels.drain(..).chain(added) {
            let key = (l.span.file.0, l.span.start, l.span.end);
            match seen.get(&key) {
                Some(&i) => {
                    if l.primary {
                        merged[i].primary = true;
                    }
                    if !l.message.is_empty() && !merged[i].message.contains(&l.message) {
                        let m = &mut merged[i].message;
                        *m = if m.is_empty() { l.message } else { format!("{m}; {}", l.message) };
                    }
                }
                None => {
                    seen.insert(key, merged.len());
                    merged.push(l);
                }
            }
        }
        d.labels = merged;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(mesos_dns("/shop/storage/redis", false, false), "redis-storage-shop.marathon.mesos");
        assert_eq!(mesos_dns("/shop/storage/redis", true, false), "_redis-storage-shop._tcp.marathon.mesos");
        assert_eq!(mesos_dns("/ctrlpkw/db/cassandra-seed", false, true), "cassandra-seed.db.ctrlpkw.marathon.mesos");
    }
}
