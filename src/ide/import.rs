//! `pkwc import FILE.json`: a model read from Marathon JSON (`json::model`) written back as pkw, through the
//! schema table's directive names. Groups nest as blocks, ids are relative, sizes and durations carry units,
//! apps that share most of their body share a template, an `env` value that is another app's Mesos-DNS name
//! becomes `dns()`, and every field pkw has no directive for goes through the `marathon` passthrough.
//!
//! Invariant: building the text with the version named in its header gives the JSON the model was read
//! from (modulo the normalisation `docs/import.md` writes down); whatever cannot be written is a diagnostic,
//! never a silent loss. The writers destructure every model struct they print without `..`, so a field
//! added to the model does not compile until it is written here or reported with `cannot`; `lib::import_json`
//! with `verify` (and every import test) checks the invariant by building the text.

use std::fmt::Write;

use crate::check::ids;
use crate::check::names::dns_label;
use crate::diagnostics::{messages, Diagnostic};
use crate::model::*;
use crate::schema::{self, Id};
use crate::source::{Span, Spanned};
use crate::version::Version;

/// What an import produced: the pkw text, and what it could not keep.
pub struct Imported {
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// Apps of one group that share at least this many statements, with at least this many apps, get a template.
const TEMPLATE_MIN_SHARED: usize = 3;
const TEMPLATE_MIN_APPS: usize = 2;

/// Writes `cluster` (read from `source`) as pkw for `version`. `dropped` are the server-only fields set
/// aside while reading, listed in the header.
pub fn import(cluster: &Cluster, source: &str, version: Version, dropped: &[&str]) -> Imported {
    let mut w = Writer { out: String::new(), diagnostics: Vec::new(), dns: DnsNames::new(cluster) };
    let externals = externals(cluster);
    let _ = writeln!(w.out, "# Imported from {source} by `pkwc import`.");
    let _ = writeln!(w.out, "# Build with: pkwc build FILE.pkw --marathon {version}");
    if !dropped.is_empty() {
        let _ = writeln!(w.out, "# Fields only Marathon writes, left out: {}.", dropped.join(", "));
    }
    w.out.push('\n');
    if w.dns.dotted {
        w.line(0, &format!("{} dotted", name(Id::DnsNames)));
    }
    // An app deeper than its group (`/shop/web` in a file of apps) gets the groups between (a copy is made
    // only then).
    let nested;
    let root = if needs_nesting(&cluster.root) {
        nested = nest(cluster.root.clone());
        &nested
    } else {
        &cluster.root
    };
    let external_line = (!externals.is_empty()).then(|| format!("{} {}", name(Id::External), externals.join(" ")));
    if root.id == "/" {
        // The root group: its apps and groups at the top level.
        if !root.apps.is_empty() {
            w.out.push_str("#![allow(id::root-group)] the JSON posts these apps at the root\n");
        }
        if let Some(line) = &external_line {
            w.line(0, line);
        }
        w.group_body(root, 0);
    } else {
        let name = relative("/", &root.id);
        w.line(0, &format!("{} {} {{", name_of(Id::Group), word_or_string(&name)));
        if let Some(line) = &external_line {
            w.line(1, line);
        }
        w.group_body(root, 1);
        w.line(0, "}");
    }
    Imported { text: w.out, diagnostics: w.diagnostics }
}

fn needs_nesting(g: &Group) -> bool {
    g.apps.iter().any(|a| {
        let rel = relative(&g.id, &a.id);
        !rel.starts_with('/') && rel.contains('/')
    }) || g.groups.iter().any(needs_nesting)
}

/// Moves every app whose id lies deeper than its group into the groups between, made where missing, so
/// that each app's name is one segment.
fn nest(mut g: Group) -> Group {
    let apps = std::mem::take(&mut g.apps);
    for app in apps {
        let rel = relative(&g.id, &app.id);
        match rel.split_once('/').filter(|_| !rel.starts_with('/')) {
            Some((first, _)) => {
                let child_id = ids::child(&g.id, first);
                let child = match g.groups.iter_mut().position(|c| c.id == child_id) {
                    Some(i) => &mut g.groups[i],
                    None => {
                        let name = Spanned::new(first.to_string(), app.name.span);
                        g.groups.push(Group { id: child_id, name, ..Group::default() });
                        g.groups.last_mut().expect("just pushed")
                    }
                };
                child.apps.push(app);
            }
            _ => g.apps.push(app),
        }
    }
    g.groups = std::mem::take(&mut g.groups).into_iter().map(nest).collect();
    g
}

/// The directive's name in the schema table.
fn name(id: Id) -> &'static str {
    static NAMES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    let names = NAMES.get_or_init(|| {
        let mut names = Vec::new();
        for d in schema::DIRECTIVES {
            let i = d.id as usize;
            if names.len() <= i {
                names.resize(i + 1, "?");
            }
            // The first entry of an id, as a search of the table finds it.
            if names[i] == "?" {
                names[i] = d.name;
            }
        }
        names
    });
    names.get(id as usize).copied().unwrap_or("?")
}

struct Writer<'c> {
    out: String,
    diagnostics: Vec<Diagnostic>,
    dns: DnsNames<'c>,
}

/// Every app's Mesos-DNS name, to write an `env` value that names one as `dns()`: dashed
/// (`cassandra-seed-db-ctrlpkw.marathon.mesos`), or dotted (`cassandra-seed.db.ctrlpkw.marathon.mesos`) when
/// the file uses the legacy form and never the dashed one.
struct DnsNames<'c> {
    names: rustc_hash::FxHashMap<String, &'c str>,
    dotted: bool,
}

impl<'c> DnsNames<'c> {
    fn new(cluster: &'c Cluster) -> DnsNames<'c> {
        let mut dashed = rustc_hash::FxHashMap::default();
        let mut dotted = rustc_hash::FxHashMap::default();
        let mut apps = Vec::new();
        let mut stack = vec![&cluster.root];
        while let Some(g) = stack.pop() {
            apps.extend(g.apps.iter());
            stack.extend(g.groups.iter());
        }
        // Both forms end so: without such a value there is nothing to look up (and no table to make).
        if !apps.iter().flat_map(|a| &a.env).any(|e| e.value.value.ends_with(".marathon.mesos")) {
            return DnsNames { names: dashed, dotted: false };
        }
        for a in &apps {
            dashed.insert(format!("{}.marathon.mesos", dns_label(&a.id)), a.id.as_str());
            let reversed: Vec<&str> = a.id.split('/').filter(|s| !s.is_empty()).rev().collect();
            dotted.insert(format!("{}.marathon.mesos", reversed.join(".")), a.id.as_str());
        }
        let uses = |names: &rustc_hash::FxHashMap<String, &str>| {
            apps.iter().flat_map(|a| &a.env).filter(|e| names.contains_key(&e.value.value)).count()
        };
        let (n_dashed, n_dotted) = (uses(&dashed), uses(&dotted));
        if n_dotted > 0 && n_dashed == 0 {
            DnsNames { names: dotted, dotted: true }
        } else {
            DnsNames { names: dashed, dotted: false }
        }
    }

    fn app_named(&self, value: &str) -> Option<&'c str> {
        self.names.get(value).copied()
    }
}

/// Dependency targets the file does not hold: declared `external`, absolute, in the order first named.
fn externals(cluster: &Cluster) -> Vec<String> {
    let mut ids = rustc_hash::FxHashSet::default();
    let mut deps: Vec<&str> = Vec::new();
    let mut stack = vec![&cluster.root];
    while let Some(g) = stack.pop() {
        ids.insert(g.id.as_str());
        deps.extend(g.dependencies.iter().map(|d| d.absolute.as_str()));
        for a in &g.apps {
            ids.insert(a.id.as_str());
            deps.extend(a.dependencies.iter().map(|d| d.absolute.as_str()));
        }
        stack.extend(g.groups.iter().rev());
    }
    let mut out: Vec<String> = Vec::new();
    for d in deps {
        if !ids.contains(d) && !out.iter().any(|o| o == d) {
            out.push(d.to_string());
        }
    }
    out
}

impl Writer<'_> {
    fn line(&mut self, depth: usize, text: &str) {
        for _ in 0..depth {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn cannot(&mut self, span: Span, what: &str) {
        self.diagnostics.push(messages::import_lost(span, what));
    }

    fn group(&mut self, g: &Group, parent: &str, depth: usize) {
        let name = relative(parent, &g.id);
        self.line(depth, &format!("{} {} {{", name_of(Id::Group), word_or_string(&name)));
        self.group_body(g, depth + 1);
        self.line(depth, "}");
    }

    /// A group's statements, apps and groups. Every field of `Group` is named (no `..`), as in `app_lines`.
    fn group_body(&mut self, g: &Group, depth: usize) {
        let Group {
            id,
            // The id says the name (`group` writes it relative to the parent).
            name: _name_span,
            apps,
            groups,
            dependencies,
            passthrough,
            // pkw's own declaration, which Marathon JSON has no field for: the import declares what the
            // dependencies name outside the file (`externals`).
            externals: _,
        } = g;
        if !dependencies.is_empty() {
            let deps: Vec<String> = dependencies.iter().map(|d| path_arg(&relative_path(id, dependency(d)))).collect();
            self.line(depth, &format!("{} {}", name_of(Id::DependsOn), deps.join(" ")));
        }
        for p in passthrough {
            self.passthrough(p, depth);
        }
        let bodies: Vec<Vec<String>> = apps.iter().map(|a| self.app_lines(a, id)).collect();
        let template = shared(&bodies);
        let common: rustc_hash::FxHashSet<&str> =
            template.iter().flat_map(|(_, common)| common.iter().map(String::as_str)).collect();
        if let Some((tname, common)) = &template {
            self.line(depth, &format!("{} {tname} {{", name_of(Id::Template)));
            for l in common {
                self.line(depth + 1, l);
            }
            self.line(depth, "}");
        }
        for (a, body) in apps.iter().zip(&bodies) {
            let name = relative(id, &a.id);
            if name.contains('/') {
                self.cannot(a.name.span, &format!("the app `{}`, whose id is not a child of its group `{id}`", a.id));
                continue;
            }
            // Every body holds the template's lines (`shared`): the app uses it and writes the rest.
            let (from, lines): (String, Vec<&String>) = match &template {
                Some((tname, _)) => {
                    (format!(" from {tname}"), body.iter().filter(|l| !common.contains(l.as_str())).collect())
                }
                None => (String::new(), body.iter().collect()),
            };
            if lines.is_empty() {
                self.line(depth, &format!("{} {}{from}", name_of(Id::App), word_or_string(&name)));
            } else {
                self.line(depth, &format!("{} {}{from} {{", name_of(Id::App), word_or_string(&name)));
                for l in lines {
                    self.line(depth + 1, l);
                }
                self.line(depth, "}");
            }
        }
        for child in groups {
            self.group(child, id, depth);
        }
    }

    /// The statements of an app, in the order `docs/language.md` lists the directives.
    ///
    /// Every field of the model is named here and in the helpers below (no `..`): a field added to `App` or
    /// to what it holds does not compile until the import writes it, says why it need not, or reports it
    /// with `cannot`. That is how the import keeps its guarantee without building its output again
    /// (`pkwc import --verify` does that too).
    fn app_lines(&mut self, a: &App, group: &str) -> Vec<String> {
        let App {
            // Written as the app's name, by `group_body`.
            id: _,
            name: _name_span,
            image,
            networks,
            privileged,
            force_pull,
            docker_params,
            volumes,
            cmd,
            args,
            user,
            instances,
            cpus,
            mem,
            disk,
            gpus,
            ports,
            require_ports,
            env,
            labels,
            constraints,
            health_checks,
            upgrade,
            backoff,
            kill_grace,
            fetch,
            dependencies,
            // The checks' own state: nothing Marathon reads.
            incomplete: _,
            named_by: _,
            passthrough,
            mesos_containerizer,
            roles,
            no_ports,
            secrets,
            unreachable,
            kill_selection,
            tty,
            role,
            executor,
            pull_secret,
            readiness,
            mesos_check,
            residency,
            limit_cpus,
            limit_mem,
        } = a;
        let mut l = Vec::new();
        if let Some(image) = image {
            l.push(format!("{} {}", name_of(Id::Image), string(&image.value)));
        }
        if mesos_containerizer.is_some() {
            l.push(format!("{} mesos", name_of(Id::Containerizer)));
        }
        if let Some(roles) = roles {
            let words: Vec<String> = roles.value.iter().map(|r| key(r)).collect();
            l.push(format!("{} {}", name_of(Id::Roles), words.join(" ")));
        }
        if let Some(role) = role {
            l.push(format!("{} {}", name_of(Id::Role), key(&role.value)));
        }
        for n in networks {
            l.push(network(n));
        }
        if privileged.is_some() {
            l.push(name_of(Id::Privileged).to_string());
        }
        if force_pull.is_some() {
            l.push(name_of(Id::ForcePull).to_string());
        }
        if tty.is_some() {
            l.push(name_of(Id::Tty).to_string());
        }
        if let Some(e) = executor {
            l.push(format!("{} {}", name_of(Id::Executor), string(&e.value)));
        }
        if let Some(p) = pull_secret {
            l.push(format!("{} {}", name_of(Id::PullSecret), key(&p.value)));
        }
        for p in docker_params {
            let (k, v) = entry(p);
            l.push(format!("{} {} {}", name_of(Id::DockerParam), key(k), string(v)));
        }
        for v in volumes {
            if let Some(line) = self.volume(v) {
                l.push(line);
            }
        }
        if let Some(c) = cmd {
            l.push(format!("{} {}", name_of(Id::Cmd), string(&c.value)));
        }
        // An empty `args` is no `args` (Marathon reads them the same).
        if let Some(args) = args.as_ref().filter(|a| !a.value.is_empty()) {
            let items: Vec<String> = args.value.iter().map(|x| string(x)).collect();
            l.push(format!("{} {}", name_of(Id::Args), items.join(" ")));
        }
        if let Some(u) = user {
            l.push(format!("{} {}", name_of(Id::User), string(&u.value)));
        }
        if let Some(i) = instances {
            l.push(format!("{} {}", name_of(Id::Instances), i.value));
        }
        if let Some(c) = cpus {
            l.push(format!("{} {}", name_of(Id::Cpus), number(c.value)));
        }
        if let Some(m) = mem {
            l.push(format!("{} {}", name_of(Id::Mem), size(m.value)));
        }
        if let Some(d) = disk {
            l.push(format!("{} {}", name_of(Id::Disk), size(d.value)));
        }
        for (resource, limit) in [("cpus", limit_cpus), ("mem", limit_mem)] {
            if let Some(Limit { value, span: _ }) = limit {
                let value = match value.value {
                    LimitValue::Unlimited => "unlimited".to_string(),
                    LimitValue::Amount(n) if resource == "mem" => size(n.value),
                    LimitValue::Amount(n) => number(n),
                };
                l.push(format!("{} {resource} {value}", name_of(Id::Limit)));
            }
        }
        if let Some(g) = gpus {
            l.push(format!("{} {}", name_of(Id::Gpus), g.value));
        }
        if no_ports.is_some() && ports.is_empty() {
            l.push(name_of(Id::NoPorts).to_string());
        }
        // Unnamed ports without options, one after another, are one `ports` line (runs of three or more
        // as a range).
        let mut i = 0;
        while i < ports.len() {
            let run = ports[i..].iter().take_while(|p| is_plain(p)).count();
            if run >= 2 {
                l.push(format!("{} {}", name_of(Id::Ports), port_list(&ports[i..i + run])));
                i += run;
            } else {
                l.push(port(&ports[i]));
                i += 1;
            }
        }
        if require_ports.is_some() {
            l.push(name_of(Id::RequirePorts).to_string());
        }
        for s in secrets {
            let Secret { name, source, env, span: _ } = s;
            let mut line = format!("{} {} {}", name_of(Id::Secret), key(&name.value), string(&source.value));
            if let Some(e) = env {
                let _ = write!(line, " env {}", key(&e.value));
            }
            let files: Vec<&Volume> =
                volumes.iter().filter(|v| v.secret.as_ref().is_some_and(|n| n.value == name.value)).collect();
            if let Some(v) = files.first() {
                let _ = write!(line, " path {}", fs_path(&v.container_path.value));
            }
            for extra in files.iter().skip(1) {
                self.cannot(extra.span, "a secret mounted as a second file");
            }
            l.push(line);
        }
        for v in volumes.iter().filter(|v| v.secret.is_some()) {
            let name = v.secret.as_ref().map(|n| n.value.as_str()).unwrap_or("");
            if !secrets.iter().any(|s| s.name.value == name) {
                self.cannot(v.span, &format!("a secret volume of the undeclared secret `{name}`"));
            }
        }
        for e in env {
            let (k, v) = entry(e);
            let value = match self.dns.app_named(v) {
                Some(target) => format!("dns({})", path_arg(&relative_path(group, target))),
                None => string(v),
            };
            l.push(format!("{} {} {value}", name_of(Id::Env), key(k)));
        }
        for e in labels {
            let (k, v) = entry(e);
            l.push(format!("{} {} {}", name_of(Id::Label), key(k), string(v)));
        }
        for c in constraints {
            l.push(constraint(c));
        }
        for h in health_checks {
            l.push(health(h));
        }
        if let Some(r) = readiness {
            l.push(readiness_line(r));
        }
        if let Some(c) = mesos_check {
            l.push(mesos_check_line(c));
        }
        if let Some(u) = unreachable {
            let Unreachable { disabled, inactive_after, expunge_after, span } = u;
            let mut s = name_of(Id::Unreachable).to_string();
            if *disabled {
                s.push_str(" disabled");
            } else if inactive_after.is_none() && expunge_after.is_none() {
                self.cannot(*span, "an `unreachableStrategy` object with neither time");
            }
            if let Some(i) = inactive_after {
                let _ = write!(s, " inactive-after {}", duration(i.value));
            }
            if let Some(e) = expunge_after {
                let _ = write!(s, " expunge-after {}", duration(e.value));
            }
            if *disabled || inactive_after.is_some() || expunge_after.is_some() {
                l.push(s);
            }
        }
        if let Some(r) = residency {
            let Residency { relaunch_escalation, task_lost, span: _ } = r;
            let mut s = name_of(Id::Residency).to_string();
            if let Some(e) = relaunch_escalation {
                let _ = write!(s, " relaunch-escalation {}", duration(e.value));
            }
            if let Some(t) = task_lost {
                s.push_str(if t.value == "WAIT_FOREVER" {
                    " task-lost wait-forever"
                } else {
                    " task-lost relaunch-after-timeout"
                });
            }
            l.push(s);
        }
        if let Some(k) = kill_selection {
            let order = if k.value == "OLDEST_FIRST" { "oldest-first" } else { "youngest-first" };
            l.push(format!("{} {order}", name_of(Id::KillSelection)));
        }
        if let Some(u) = upgrade {
            let Upgrade { min_health, max_over, span: _ } = u;
            let mut s = name_of(Id::Upgrade).to_string();
            // The emitter writes Marathon's default (1) for a fraction left out: write both.
            let min = min_health.as_ref().map_or(1.0, |f| f.value);
            let max = max_over.as_ref().map_or(1.0, |f| f.value);
            let _ = write!(s, " min-health {} max-over {}", fraction(min), fraction(max));
            l.push(s);
        }
        if let Some(b) = backoff {
            let Backoff { delay, factor, max_delay, span: _ } = b;
            let mut s = name_of(Id::Backoff).to_string();
            if let Some(d) = delay {
                let _ = write!(s, " {}", duration(d.value));
            }
            if let Some(f) = factor {
                let _ = write!(s, " factor {}", number(f.value));
            }
            if let Some(m) = max_delay {
                let _ = write!(s, " max-delay {}", duration(m.value));
            }
            l.push(s);
        }
        if let Some(k) = kill_grace {
            l.push(format!("{} {}", name_of(Id::KillGrace), duration(k.value)));
        }
        for f in fetch {
            let Fetch { uri, extract, executable, cache, dest, span: _ } = f;
            let mut s = format!("{} {}", name_of(Id::Fetch), string(&uri.value));
            for (flag, on) in [("extract", extract), ("executable", executable), ("cache", cache)] {
                if *on {
                    let _ = write!(s, " {flag}");
                }
            }
            if let Some(d) = dest {
                let _ = write!(s, " dest {}", string(&d.value));
            }
            l.push(s);
        }
        if !dependencies.is_empty() {
            let deps: Vec<String> =
                dependencies.iter().map(|d| path_arg(&relative_path(group, dependency(d)))).collect();
            l.push(format!("{} {}", name_of(Id::DependsOn), deps.join(" ")));
        }
        for p in passthrough {
            match passthrough_lines(p) {
                Ok(lines) => l.extend(lines),
                Err(what) => self.cannot(p.span, what),
            }
        }
        l
    }

    /// A volume's statement; `None` for a secret's file, written with its `secret … path`.
    fn volume(&mut self, v: &Volume) -> Option<String> {
        let Volume { container_path, host_path, read_write, persistent, external, secret, span } = v;
        let mode = if *read_write { "rw" } else { "ro" };
        let kinds = [persistent.is_some(), external.is_some(), secret.is_some()].iter().filter(|k| **k).count();
        if kinds > 1 {
            self.cannot(*span, "a volume that is more than one of persistent, external and a secret's file");
            return None;
        }
        // A host path is written for a host volume only, a mode for all but a secret's file.
        if host_path.is_some() && kinds > 0 {
            self.cannot(*span, "a host path on a persistent or external volume or a secret's file");
        }
        if secret.is_some() {
            if *read_write {
                self.cannot(*span, "a read-write secret file");
            }
            // Written with its `secret … path`.
            return None;
        }
        if let Some(p) = persistent {
            if !*read_write {
                self.cannot(*span, "a read-only persistent volume");
            }
            let PersistentVolume { size: size_mib, kind, max_size, profile, path_like } = p;
            let mut s = format!(
                "{} {} {}",
                name_of(Id::PersistentVolume),
                fs_path(&container_path.value),
                size(size_mib.value)
            );
            if let Some(k) = kind {
                let _ = write!(s, " type {}", k.value);
            }
            if let Some(m) = max_size {
                let _ = write!(s, " max-size {}", size(m.value));
            }
            if let Some(pr) = profile {
                let _ = write!(s, " profile {}", key(&pr.value));
            }
            if let Some(r) = path_like {
                let _ = write!(s, " path-like {}", string(&r.value));
            }
            return Some(s);
        }
        if let Some(e) = external {
            let ExternalVolume { name, provider, options, size: size_mib } = e;
            let mut s = format!(
                "{} {} {} {mode}",
                name_of(Id::ExternalVolume),
                fs_path(&container_path.value),
                key(&name.value)
            );
            if let Some(p) = provider {
                let _ = write!(s, " provider {}", key(&p.value));
            }
            for o in options {
                let (k, v) = entry(o);
                if k == "dvdi/driver" {
                    let _ = write!(s, " driver {}", key(v));
                } else {
                    let _ = write!(s, " option {} {}", string(k), string(v));
                }
            }
            if let Some(size_mib) = size_mib {
                let _ = write!(s, " size {}", size(size_mib.value));
            }
            return Some(s);
        }
        let mut s = format!("{} {}", name_of(Id::Volume), fs_path(&container_path.value));
        if let Some(h) = host_path {
            let _ = write!(s, " {}", fs_path(&h.value));
        }
        let _ = write!(s, " {mode}");
        Some(s)
    }

    fn passthrough(&mut self, p: &Passthrough, depth: usize) {
        match passthrough_lines(p) {
            Ok(lines) => {
                for line in lines {
                    self.line(depth, &line);
                }
            }
            Err(what) => self.cannot(p.span, what),
        }
    }
}

/// An `env`, `label`, `docker-param` or option entry: its key and value.
fn entry(e: &Entry) -> (&str, &str) {
    let Entry { key, value } = e;
    (&key.value, &value.value)
}

/// A dependency's target, absolute (the path as written in the file is Marathon's to resolve, as it did).
fn dependency(d: &Dependency) -> &str {
    let Dependency { written: _, absolute } = d;
    absolute
}

fn network(n: &Network) -> String {
    let Network { mode, name, labels, groups, span: _ } = n;
    let mut s = format!("{} ", name_of(Id::Network));
    s.push_str(match mode {
        NetworkMode::Host => "host",
        NetworkMode::Bridge => "bridge",
        NetworkMode::Container => "container",
    });
    if let Some(name) = name {
        let _ = write!(s, " {}", word_or_string(&name.value));
    }
    for e in labels {
        let (k, v) = entry(e);
        let _ = write!(s, " label {} {}", key(k), string(v));
    }
    for g in groups {
        let _ = write!(s, " group {}", key(&g.value));
    }
    s
}

/// A port with nothing but its number and protocol: written in a `ports` list.
fn is_plain(p: &Port) -> bool {
    let Port { number: _, protocol: _, protocol_written: _, name, host, service, vip, labels, networks, statement: _ } =
        p;
    name.is_none() && service.is_none() && host.is_none() && vip.is_none() && labels.is_empty() && networks.is_empty()
}

fn port(p: &Port) -> String {
    let Port {
        number,
        protocol,
        // The protocol is written unless it is tcp, the default: how the JSON said tcp builds the same.
        protocol_written: _,
        name,
        host,
        service,
        vip,
        labels,
        networks,
        statement: _,
    } = p;
    let mut s = name_of(Id::Port).to_string();
    if let Some(n) = name {
        let _ = write!(s, " {}", word_or_string(&n.value));
    }
    let _ = write!(s, " {}", number.value);
    s.push_str(protocol_suffix(protocol.value));
    if let Some(sp) = service {
        let _ = write!(s, " service {}", sp.value);
    }
    if let Some(h) = host {
        let _ = write!(s, " host {}", h.value);
    }
    if let Some(v) = vip {
        let _ = write!(s, " vip {}", string(&v.value));
    }
    for e in labels {
        let (k, v) = entry(e);
        let _ = write!(s, " label {} {}", key(k), string(v));
    }
    for n in networks {
        let _ = write!(s, " network {}", word_or_string(&n.value));
    }
    s
}

fn protocol_suffix(p: Protocol) -> &'static str {
    match p {
        Protocol::Tcp => "",
        Protocol::Udp => "/udp",
        Protocol::UdpTcp => "/udp+tcp",
    }
}

fn constraint(c: &Constraint) -> String {
    let Constraint { field, operator, value, span: _ } = c;
    if field.value == "hostname" && operator.value == Operator::Unique && value.is_none() {
        return name_of(Id::UniqueHost).to_string();
    }
    let mut line = format!("{} {} {}", name_of(Id::Constraint), word_or_string(&field.value), operator.value.word());
    if let Some(v) = value {
        let _ = write!(line, " {}", string(&v.value));
    }
    line
}

fn health(h: &HealthCheck) -> String {
    let HealthCheck {
        protocol,
        path,
        command,
        port_index,
        port,
        grace,
        interval,
        timeout,
        max_failures,
        delay,
        ignore_1xx,
        ip_protocol,
        span: _,
    } = h;
    let proto = match protocol.value {
        HealthProtocol::Http => "http",
        HealthProtocol::Https => "https",
        HealthProtocol::Tcp => "tcp",
        HealthProtocol::Command => "command",
        HealthProtocol::MesosHttp => "mesos-http",
        HealthProtocol::MesosHttps => "mesos-https",
        HealthProtocol::MesosTcp => "mesos-tcp",
    };
    let mut s = format!("{} {proto}", name_of(Id::Health));
    // `health command "…"`: the command follows the protocol.
    if let Some(c) = command {
        if protocol.value == HealthProtocol::Command {
            let _ = write!(s, " {}", string(&c.value));
        } else {
            let _ = write!(s, " command {}", string(&c.value));
        }
    }
    if let Some(p) = path {
        let _ = write!(s, " path {}", string(&p.value));
    }
    if let Some(i) = port_index {
        let _ = write!(s, " port-index {}", i.value);
    }
    if let Some(p) = port {
        let _ = write!(s, " port {}", p.value);
    }
    for (word, d) in [("grace", grace), ("interval", interval), ("timeout", timeout), ("delay", delay)] {
        if let Some(d) = d {
            let _ = write!(s, " {word} {}", duration(d.value));
        }
    }
    if let Some(m) = max_failures {
        let _ = write!(s, " max-failures {}", m.value);
    }
    if ignore_1xx.is_some() {
        s.push_str(" ignore-1xx");
    }
    if let Some(ip) = ip_protocol {
        let _ = write!(s, " ip-protocol {}", ip.value.to_ascii_lowercase());
    }
    s
}

fn readiness_line(r: &Readiness) -> String {
    let Readiness { name, protocol, path, port_name, interval, timeout, statuses, preserve_last_response, span: _ } = r;
    let mut s = format!("{} {}", name_of(Id::Readiness), protocol.value.to_ascii_lowercase());
    if let Some(p) = port_name {
        let _ = write!(s, " port {}", word_or_string(&p.value));
    }
    if let Some(p) = path {
        let _ = write!(s, " path {}", string(&p.value));
    }
    if let Some(i) = interval {
        let _ = write!(s, " interval {}", duration(i.value));
    }
    if let Some(t) = timeout {
        let _ = write!(s, " timeout {}", duration(t.value));
    }
    for st in statuses {
        let _ = write!(s, " status {}", st.value);
    }
    if preserve_last_response.is_some() {
        s.push_str(" keep-response");
    }
    if let Some(n) = name {
        let _ = write!(s, " name {}", key(&n.value));
    }
    s
}

fn mesos_check_line(c: &MesosCheck) -> String {
    let MesosCheck { kind, port_index, path, interval, timeout, delay, span: _ } = c;
    let mut s = format!("{} ", name_of(Id::MesosCheck));
    match &kind.value {
        CheckKind::Command(cmd) => {
            let _ = write!(s, "command {}", string(&cmd.value));
        }
        CheckKind::Http => s.push_str("http"),
        CheckKind::Tcp => s.push_str("tcp"),
    }
    if let Some(i) = port_index {
        let _ = write!(s, " port-index {}", i.value);
    }
    if let Some(p) = path {
        let _ = write!(s, " path {}", string(&p.value));
    }
    for (word, d) in [("interval", interval), ("timeout", timeout), ("delay", delay)] {
        if let Some(d) = d {
            let _ = write!(s, " {word} {}", duration(d.value));
        }
    }
    s
}

/// Plain ports as `ports` arguments: `7199 7000 53/udp 10000-10099` (runs of three or more consecutive tcp
/// ports as a range).
fn port_list(ports: &[Port]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < ports.len() {
        let p = &ports[i];
        let tcp = |p: &Port| p.protocol.value == Protocol::Tcp;
        let mut j = i + 1;
        while j < ports.len()
            && tcp(&ports[j])
            && tcp(p)
            && u32::from(ports[j].number.value) == u32::from(ports[j - 1].number.value) + 1
        {
            j += 1;
        }
        if j - i >= 3 {
            parts.push(format!("{}-{}", p.number.value, ports[j - 1].number.value));
            i = j;
            continue;
        }
        parts.push(match p.protocol.value {
            Protocol::Tcp => p.number.value.to_string(),
            Protocol::Udp => format!("{}/udp", p.number.value),
            Protocol::UdpTcp => format!("{}/udp+tcp", p.number.value),
        });
        i += 1;
    }
    parts.join(" ")
}

fn name_of(id: Id) -> &'static str {
    name(id)
}

/// The statements every app of a group shares, when enough apps share enough of them: a template named
/// after the group. Only statements whose directive no app also writes differently are shared, so that
/// the override rule keeps each app's statements as they were.
fn shared(bodies: &[Vec<String>]) -> Option<(String, Vec<String>)> {
    if bodies.len() < TEMPLATE_MIN_APPS {
        return None;
    }
    // How many bodies hold each line (a body that holds it twice counts once): a line is common iff every
    // body holds it.
    let mut holders: rustc_hash::FxHashMap<&str, (usize, usize)> = rustc_hash::FxHashMap::default();
    for (i, body) in bodies.iter().enumerate() {
        for l in body {
            let entry = holders.entry(l.as_str()).or_insert((0, usize::MAX));
            if entry.1 != i {
                *entry = (entry.0 + 1, i);
            }
        }
    }
    let in_all = |l: &str| holders.get(l).is_some_and(|&(n, _)| n == bodies.len());
    // A directive some app writes beyond the shared lines stays in the apps (list directives keep their
    // order, and an app's own line replaces the template's).
    let divergent: rustc_hash::FxHashSet<Head> =
        bodies.iter().flatten().filter(|l| !in_all(l)).map(|l| head(l)).collect();
    let common: Vec<String> =
        bodies[0].iter().filter(|l| in_all(l) && !divergent.contains(&head(l))).cloned().collect();
    if common.len() < TEMPLATE_MIN_SHARED {
        return None;
    }
    // Named after the image the apps share (`docker.touk.pl/cassandra:3` → `cassandra`), else `shared`.
    let image = common.iter().find_map(|l| l.strip_prefix("image \"")).map(|i| i.trim_end_matches('"'));
    let base = image.map(|i| i.rsplit('/').next().unwrap_or(i).split(':').next().unwrap_or(i).to_ascii_lowercase());
    let name = base
        .filter(|b| {
            !b.is_empty()
                && b.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
                && b.as_bytes()[0].is_ascii_alphabetic()
        })
        .unwrap_or_else(|| "shared".to_string());
    Some((name, common))
}

/// What the override rule replaces as one: a single-valued directive, a whole list (`port` and `ports`
/// together, `constraint` and `unique-host` together), or one key of `env`, `label`, `secret`, `limit` and
/// `marathon`: the directive, and the key when it has one.
type Head<'l> = (&'l str, &'l str);

fn head(line: &str) -> Head<'_> {
    let mut words = line.split(' ');
    let first = words.next().unwrap_or("");
    match first {
        "env" | "label" | "secret" | "limit" | "marathon" => (first, words.next().unwrap_or("")),
        "port" | "ports" => ("ports", ""),
        "constraint" | "unique-host" => ("constraint", ""),
        _ => (first, ""),
    }
}

/// `id` relative to `parent` when it lies under it, else absolute.
fn relative(parent: &str, id: &str) -> String {
    let prefix = if parent == "/" { "/".to_string() } else { format!("{parent}/") };
    id.strip_prefix(&prefix).map_or_else(|| id.to_string(), str::to_string)
}

/// A path from group `from` to `to`: `../db/redis`, `db/redis` or `/infra/zk` when nothing is shared.
fn relative_path(from: &str, to: &str) -> String {
    let a: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let b: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return to.to_string();
    }
    let mut parts: Vec<&str> = std::iter::repeat_n("..", a.len() - common).collect();
    parts.extend(&b[common..]);
    if parts.is_empty() {
        return to.to_string();
    }
    parts.join("/")
}

fn is_word(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// A name or a key: a bare word when it is one, else a string.
fn key(s: &str) -> String {
    if is_word(s) && s.parse::<f64>().is_err() {
        s.to_string()
    } else {
        string(s)
    }
}

fn word_or_string(s: &str) -> String {
    key(s)
}

/// A path argument (`depends-on`, `dns()`): a path or word when it reads as one.
fn path_arg(p: &str) -> String {
    p.to_string()
}

/// A file-system path: bare when it is a plain path, else a string.
fn fs_path(p: &str) -> String {
    if !p.is_empty()
        && p.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/'))
        && !p.starts_with('.')
    {
        p.to_string()
    } else {
        string(p)
    }
}

/// A pkw string literal: `"`, `\`, `${`, newlines and tabs escaped (`$PORT0` stays as it is).
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '$' if chars.peek() == Some(&'{') => out.push_str("\\$"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn number(n: Num) -> String {
    if n.integer && n.value.fract() == 0.0 && n.value.abs() < 1e15 {
        format!("{}", n.value as i64)
    } else {
        let s = format!("{}", n.value);
        if s.contains('.') || s.contains('e') {
            s
        } else {
            format!("{s}.0")
        }
    }
}

/// MiB in the largest unit that keeps it whole: `4096` → `4GiB`, `512` → `512MiB`, `0.5` → `512KiB`.
fn size(mib: f64) -> String {
    for (unit, scale) in [("TiB", 1024.0 * 1024.0), ("GiB", 1024.0), ("MiB", 1.0), ("KiB", 1.0 / 1024.0)] {
        let n = mib / scale;
        if mib != 0.0 && n.fract() == 0.0 && n.abs() < 1e15 {
            return format!("{}{unit}", n as i64);
        }
    }
    format!("{mib}MiB")
}

/// Seconds in the largest unit that keeps it whole: `3600` → `1h`, `90` → `90s`.
fn duration(seconds: u64) -> String {
    for (unit, scale) in [("d", 86_400), ("h", 3_600), ("m", 60)] {
        if seconds != 0 && seconds.is_multiple_of(scale) {
            return format!("{}{unit}", seconds / scale);
        }
    }
    format!("{seconds}s")
}

/// A fraction as a percentage when that is exact (`0.5` → `50%`), else as the fraction.
fn fraction(f: f64) -> String {
    let pct = f * 100.0;
    if (pct - pct.round()).abs() < 1e-9 && (pct.round() / 100.0) == f {
        format!("{}%", pct.round() as i64)
    } else {
        format!("{f}")
    }
}

/// A passthrough as `marathon FIELD …` lines: a list of objects is one line per object (the lines of a
/// list field append); `Err` names what pkw cannot write back exactly.
fn passthrough_lines(p: &Passthrough) -> Result<Vec<String>, &'static str> {
    let head = format!("{} {}", name(Id::Marathon), p.path.value);
    // A list field's type says it is a list, so one value or one block is a list of one.
    let list_typed = passthrough_is_list(&p.path.value);
    match &p.value.value {
        Json::List(items) if items.is_empty() => Err("an empty array in a passthrough"),
        Json::List(items) if items.iter().all(|i| matches!(i, Json::Obj(_))) && (list_typed || items.len() > 1) => {
            items
                .iter()
                .map(|i| {
                    let mut line = head.clone();
                    value(i, &mut line)?;
                    Ok(line)
                })
                .collect()
        }
        Json::List(items) if items.len() == 1 && !list_typed => Err("a one-element array in a passthrough"),
        // A list field: its values on one line (one value is a list of one).
        Json::List(items) if list_typed => {
            let mut line = head;
            for item in items {
                if matches!(item, Json::List(_) | Json::Obj(_)) {
                    return Err("an array mixing objects and other values in a passthrough");
                }
                value(item, &mut line)?;
            }
            Ok(vec![line])
        }
        v => {
            let mut line = head;
            value(v, &mut line)?;
            Ok(vec![line])
        }
    }
}

fn passthrough_is_list(path: &str) -> bool {
    use crate::marathon::fields::{self, Field, Ty};
    let members = |table: &'static [Field], name: &str| fields::field(table, name).and_then(|f| fields::members(&f.ty));
    let (table, field): (Option<&'static [Field]>, &str) = match path.strip_prefix("container.docker.") {
        Some(f) => (members(fields::APP, "container").and_then(|c| members(c, "docker")), f),
        None => match path.strip_prefix("container.") {
            Some(f) => (members(fields::APP, "container"), f),
            None => (Some(fields::APP), path),
        },
    };
    let found = table.and_then(|t| fields::field(t, field)).or_else(|| fields::field(fields::GROUP, field));
    matches!(found.map(|f| &f.ty), Some(Ty::List(_)))
}

/// ` value`: scalars plain, an array as several scalars, an object as a block of member lines.
fn value(v: &Json, out: &mut String) -> Result<(), &'static str> {
    match v {
        Json::Null => out.push_str(" null"),
        Json::Bool(b) => {
            let _ = write!(out, " {b}");
        }
        Json::Num(n) => {
            let _ = write!(out, " {}", number(*n));
        }
        Json::Str(s) => {
            let _ = write!(out, " {}", string(s));
        }
        Json::List(items) => {
            if items.len() < 2 {
                return Err("an array of fewer than two values inside a passthrough");
            }
            for item in items {
                if matches!(item, Json::List(_) | Json::Obj(_)) {
                    return Err("an array of arrays or objects inside a passthrough value");
                }
                value(item, out)?;
            }
        }
        Json::Obj(members) => {
            out.push_str(" {");
            let mut first = true;
            for (k, v) in members {
                // A list of objects is the key repeated, one block each.
                let repeated: Vec<&Json> = match v {
                    Json::List(items) if items.len() >= 2 && items.iter().all(|i| matches!(i, Json::Obj(_))) => {
                        items.iter().collect()
                    }
                    v => vec![v],
                };
                for v in repeated {
                    out.push_str(if first { " " } else { "; " });
                    first = false;
                    out.push_str(&key(k));
                    value(v, out)?;
                }
            }
            out.push_str(" }");
        }
    }
    Ok(())
}
