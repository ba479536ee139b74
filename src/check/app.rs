//! Per-app rules: command or image, container settings that need an image, resources.

use super::cluster::Index;
use crate::diagnostics::messages::{term, Refusal, Term};
use crate::diagnostics::wording::Wording;
use crate::diagnostics::{messages, Diagnostic};
use crate::model::{App, Fetch, Limit, LimitValue, NetworkMode};
use crate::schema::closest;
use crate::source::Spanned;
use crate::version::Version;

/// The task variables Marathon and Mesos set (`$HOST`, `$PORT0`, `$PORT_HTTP`, `$MESOS_TASK_ID`, …): an `env`
/// value that names one gets the text, not the value. Returns the first one named.
fn task_variable(value: &str) -> Option<&str> {
    let bytes = value.as_bytes();
    let mut i = 0;
    while let Some(at) = value[i..].find('$').map(|a| a + i) {
        let braced = bytes.get(at + 1) == Some(&b'{');
        let start = at + 1 + usize::from(braced);
        let len = value[start..].bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
        let name = &value[start..start + len];
        let known = matches!(name, "HOST" | "PORT" | "PORTS")
            || name
                .strip_prefix("PORT")
                .is_some_and(|n| !n.is_empty() && (n.bytes().all(|b| b.is_ascii_digit()) || n.starts_with('_')))
            || name.starts_with("MESOS_")
            || name.starts_with("MARATHON_APP_");
        if known && len > 0 {
            let end = start + len + usize::from(braced && bytes.get(start + len) == Some(&b'}'));
            return Some(&value[at..end]);
        }
        i = at + 1;
    }
    None
}

pub fn check(index: &Index, diags: &mut Vec<Diagnostic>) {
    for app in &index.apps {
        for e in &app.env {
            if let Some(variable) = task_variable(&e.value.value) {
                diags.push(messages::env_not_expanded(e.value.span, &e.key.value, variable, index.wording));
            }
        }
        // A handful of volumes: pairs are fine.
        for (i, v) in app.volumes.iter().enumerate() {
            let path = v.container_path.value.trim_end_matches('/');
            if let Some(first) = app.volumes[..i].iter().find(|w| w.container_path.value.trim_end_matches('/') == path)
            {
                diags.push(messages::duplicate_mount(
                    v.container_path.span,
                    first.container_path.span,
                    &v.container_path.value,
                ));
            }
        }
        if let (Some(no_ports), Some(port)) = (app.no_ports, app.ports.first()) {
            diags.push(messages::no_ports_with_ports(no_ports, port.statement));
        }
        for (i, s) in app.secrets.iter().enumerate() {
            if s.source.value.trim().is_empty() {
                diags.push(messages::empty_value(
                    s.source.span,
                    "secret source",
                    "a path in the secret store like \"/shop/db/password\"",
                ));
            }
            // One variable, one value: an `env` or another secret already sets it.
            let Some(key) = &s.env else { continue };
            let earlier = app.env.iter().map(|e| &e.key).chain(app.secrets[..i].iter().filter_map(|o| o.env.as_ref()));
            if let Some(first) = earlier.into_iter().find(|k| k.value == key.value) {
                diags.push(messages::duplicate_key(key.span, first.span, "env", &key.value));
            }
        }
        if let Some(roles) = &app.roles {
            if roles.value.iter().any(|r| r.trim().is_empty()) {
                diags.push(messages::empty_value(roles.span, "roles", "a role name like slave_public, or \"*\""));
            }
        }
        if let (Some(cmd), Some(args)) = (&app.cmd, &app.args) {
            diags.push(messages::cmd_and_args(cmd.span, args.span));
        }
        if app.cmd.is_none() && app.args.is_none() && app.image.is_none() && !app.incomplete {
            diags.push(messages::no_command(app.name.span, &app.id, index.wording));
        }
        if let Some(cmd) = &app.cmd {
            if cmd.value.trim().is_empty() {
                diags.push(messages::empty_value(cmd.span, "cmd", "a command of at least two characters"));
            } else if cmd.value.trim().chars().count() == 1 {
                diags.push(messages::cmd_too_short(cmd.span, index.wording));
            }
        }
        if let Some(image) = &app.image {
            if image.value.trim().is_empty() {
                diags.push(messages::empty_value(image.span, "image", "an image name like \"nginx:1.25\""));
            }
            if let Some(gpus) = app.gpus.as_ref().filter(|g| g.value > 0 && app.mesos_containerizer.is_none()) {
                diags.push(messages::gpus_with_docker(gpus.span, image.span, index.wording));
            }
            if let Some(mesos) = app.mesos_containerizer {
                if let Some(span) = app.privileged {
                    diags.push(messages::docker_only(
                        span,
                        term(Term::Privileged, index.wording),
                        mesos,
                        index.wording,
                    ));
                }
                if let Some(p) = app.docker_params.first() {
                    diags.push(messages::docker_only(
                        p.key.span,
                        term(Term::DockerParam, index.wording),
                        mesos,
                        index.wording,
                    ));
                }
                // Before 1.5 the network of an image is docker's own (`docker.network`).
                if let Some(n) = app.network().filter(|n| n.mode != NetworkMode::Host && index.version.is_legacy()) {
                    diags.push(messages::needs_newer_marathon(
                        n.span,
                        "bridge or container networking in the Mesos containerizer",
                        Version::NETWORKS_API,
                        index.version,
                    ));
                }
            }
        } else {
            let mut needs = |span, what: &str| diags.push(messages::needs_image(span, what, index.wording));
            if let Some(span) = app.mesos_containerizer {
                needs(span, term(Term::MesosContainerizer, index.wording));
            }
            // From 1.5 the Mesos containerizer runs bridge and container networking without an image.
            if let Some(n) = app.network().filter(|n| n.mode != NetworkMode::Host && index.version.is_legacy()) {
                needs(n.span, "before Marathon 1.5, bridge and container networking");
            }
            if let Some(span) = app.privileged {
                needs(span, term(Term::Privileged, index.wording));
            }
            if let Some(span) = app.force_pull {
                needs(span, term(Term::ForcePull, index.wording));
            }
            if let Some(p) = app.docker_params.first() {
                needs(p.key.span, term(Term::DockerParam, index.wording));
            }
            if let Some(v) = app.volumes.iter().find(|v| v.is_host()) {
                needs(v.span, term(Term::HostVolume, index.wording));
            }
        }
        networks(app, index.version, index.wording, diags);
        port_networks(app, index.wording, diags);
        pull_secret(app, index.wording, diags);
        limits(app, index.wording, diags);
        executor(app, index.wording, diags);
        let unnamed = app.networks.iter();
        for n in unnamed.filter(|n| n.mode == NetworkMode::Container && n.name.is_none()) {
            if !index.version.is_legacy() {
                diags.push(messages::default_network(n.span, index.wording));
            }
        }
        if let Some(u) = &app.unreachable {
            let times = u.inactive_after.as_ref().or(u.expunge_after.as_ref());
            if let (true, Some(t)) = (u.disabled, times) {
                diags.push(messages::refusal(Refusal::UnreachableDisabledTimes, t.span, index.wording));
            }
            if let (Some(i), Some(e)) = (&u.inactive_after, &u.expunge_after) {
                if i.value > e.value {
                    diags.push(
                        messages::refusal(Refusal::ExpungeBeforeInactive, e.span, index.wording)
                            .secondary(i.span, "inactive after this"),
                    );
                }
            }
            if let (false, Some(resident)) = (u.disabled, app.resident()) {
                diags.push(
                    messages::refusal(Refusal::ResidentUnreachable, u.span, index.wording)
                        .secondary(resident, "resident because of this"),
                );
            }
        }
        for v in &app.volumes {
            if let Some(h) = v.host_path.as_ref().filter(|h| h.value.is_empty()) {
                diags.push(messages::empty_value(h.span, "volume host path", "a host path like /data/app"));
            }
            if v.container_path.value.is_empty() {
                diags.push(messages::empty_value(
                    v.container_path.span,
                    "volume container path",
                    "a path like /var/lib/app",
                ));
            }
        }
        for f in &app.fetch {
            let java = index.version >= Version::new(0, 15);
            if f.uri.value.trim().is_empty() {
                diags.push(messages::empty_value(f.uri.span, "fetch", "a URI like \"https://example.org/app.tgz\""));
            } else if java {
                // From 0.15 Marathon refuses a URI `java.net.URI` cannot parse; from 1.5 one over 1,024.
                if let Err(e) = super::java_uri::check(&f.uri.value) {
                    diags.push(messages::bad_java_uri(f.uri.span, &f.uri.value, &e));
                } else if index.version >= Version::NETWORKS_API && f.uri.value.chars().count() > 1024 {
                    diags.push(messages::too_long(f.uri.span, "fetch URI", 1024));
                }
            } else if let Some(bad) =
                f.uri.value.chars().find(|c| c.is_whitespace() || c.is_control() || "<>\"{}|\\^`".contains(*c))
            {
                diags.push(messages::bad_uri(f.uri.span, &format!("it contains {bad:?}")));
            } else if f.uri.value.contains('%') && !valid_percent_escapes(&f.uri.value) {
                diags.push(messages::bad_uri(f.uri.span, "a `%` not followed by two hex digits"));
            }
            if let Some(dest) = &f.dest {
                if dest.value.is_empty() {
                    diags.push(messages::empty_value(dest.span, "fetch … dest", "a file name like \"bin/app\""));
                } else if index.version >= Version::NETWORKS_API && dest.value.chars().count() > 1024 {
                    diags.push(messages::too_long(dest.span, "fetch destination", 1024));
                }
            }
            if !java {
                let archive = Fetch::is_archive(&f.uri.value);
                if archive != f.extract {
                    diags.push(messages::legacy_fetch_extract(f.span, archive));
                }
            }
        }
        labels(app, index.wording, diags);
        if let Some(n) = app.network().and_then(|n| n.name.as_ref()) {
            if !is_network_name(&n.value) {
                diags.push(messages::invalid_network_name(n.span, &n.value));
            }
        }
        for e in app.env.iter().chain(&app.labels).chain(&app.docker_params) {
            if e.key.value.is_empty() {
                diags.push(messages::empty_value(e.key.span, "key", "a non-empty name"));
            }
        }
        if let Some(cpus) = &app.cpus {
            let min = if index.version >= Version::NETWORKS_API { 0.001 } else { f64::MIN_POSITIVE };
            if cpus.value.value < min {
                diags.push(messages::cpus_not_positive(
                    cpus.span,
                    cpus.value.value,
                    index.version >= Version::NETWORKS_API,
                    index.wording,
                ));
            }
        }
        if let Some(mem) = app.mem.as_ref().filter(|m| m.value < 32.0) {
            diags.push(messages::mem_low(mem.span, mem.value, index.wording));
        }
        if let Some(factor) = app.backoff.as_ref().and_then(|b| b.factor.as_ref()).filter(|f| f.value.value < 1.0) {
            diags.push(messages::backoff_factor(factor.span, factor.value.value, index.wording));
        }
    }
}

/// Several networks: container networks only, each named once, from 1.5, at most one with Docker, and no
/// host port (which would have to name its network, `networkNames`, which pkw cannot say yet).
fn networks(app: &crate::model::App, version: crate::version::Version, w: Wording, diags: &mut Vec<Diagnostic>) {
    let (Some(first), Some(second)) = (app.networks.first(), app.networks.get(1)) else { return };
    if version.is_legacy() {
        diags.push(messages::needs_newer_marathon(
            second.span,
            "several container networks",
            crate::version::Version::NETWORKS_API,
            version,
        ));
        return;
    }
    let all = &app.networks;
    for (i, n) in all.iter().enumerate().skip(1) {
        if n.mode != NetworkMode::Container || first.mode != NetworkMode::Container {
            diags.push(
                messages::refusal(Refusal::NetworksMixedModes, n.span, w)
                    .secondary(first.span, "the app's first network"),
            );
            return;
        }
        let name = n.name.as_ref().map(|x| x.value.as_str());
        if let Some(earlier) = all[..i].iter().find(|e| e.name.as_ref().map(|x| x.value.as_str()) == name) {
            diags
                .push(messages::refusal(Refusal::NetworkTwice, n.span, w).secondary(earlier.span, "joined here first"));
        }
    }
    if app.image.is_some() && app.mesos_containerizer.is_none() {
        diags.push(
            messages::refusal(Refusal::DockerOneNetwork, second.span, w)
                .secondary(first.span, "the app's first network"),
        );
    }
    // `AppValidation.portMappingIsCompatibleWithNetworks`: a host port is published on one network.
    for p in app.ports.iter().filter(|p| p.host.is_some() && p.networks.len() != 1) {
        let at = p.networks.get(1).map_or(p.statement, |n| n.span);
        diags.push(
            messages::refusal(Refusal::HostPortNetworkName, at, w).secondary(first.span, "the app's first network"),
        );
    }
}

/// A port's `network` names one of the app's container networks (`portMappingNetworkNameValidator`).
fn port_networks(app: &App, w: Wording, diags: &mut Vec<Diagnostic>) {
    let all = &app.networks;
    let declared: Vec<&str> = all.iter().filter_map(|n| n.name.as_ref()).map(|n| n.value.as_str()).collect();
    for n in app.ports.iter().flat_map(|p| &p.networks) {
        if !declared.contains(&n.value.as_str()) {
            let first = all.first().map(|n| n.span);
            diags.push(messages::port_network_undeclared(n.span, &n.value, first, &declared, w));
        }
    }
}

/// `pull-secret`: Mesos containerizer, an image, a declared secret (`AppValidation`, `pullConfig`).
fn pull_secret(app: &App, w: Wording, diags: &mut Vec<Diagnostic>) {
    let Some(secret) = &app.pull_secret else { return };
    if app.image.is_none() {
        diags.push(messages::pull_secret_no_image(secret.span, w));
    } else if app.mesos_containerizer.is_none() {
        diags.push(messages::pull_secret_docker(secret.span, w));
    }
    if !app.secrets.iter().any(|s| s.name.value == secret.value) {
        let names = app.secrets.iter().map(|s| s.name.value.as_str());
        diags.push(messages::pull_secret_undeclared(secret.span, &secret.value, closest(&secret.value, names), w));
    }
}

/// `limit`: at least what the app requests (`AppValidation.validResourceLimit`); Marathon requests 1 CPU and
/// 128 MiB when `cpus` and `mem` are not written.
fn limits(app: &App, w: Wording, diags: &mut Vec<Diagnostic>) {
    let requests = [
        (&app.limit_cpus, "cpus", app.cpus.as_ref().map(|c| (c.value.value, c.span)), 1.0, "CPUs"),
        (&app.limit_mem, "mem", app.mem.as_ref().map(|m| (m.value, m.span)), 128.0, "memory"),
    ];
    for (limit, resource, request, default, asked) in requests {
        let Some(Limit { value: Spanned { value: LimitValue::Amount(n), span }, .. }) = limit else { continue };
        let shown = if resource == "mem" { format!("{}MiB", n.value) } else { n.value.to_string() };
        match request {
            Some((r, rspan)) if n.value < r => {
                diags.push(messages::resource_limit(*span, rspan, resource, &shown, asked, w))
            }
            None if n.value < default => {
                diags.push(messages::resource_limit_default(*span, resource, &shown, asked, w))
            }
            _ => {}
        }
    }
}

/// `executor`: Marathon's pattern `^(//cmd)|(/?[^/]+(/[^/]+)*)|$`, matched whole.
fn executor(app: &App, w: Wording, diags: &mut Vec<Diagnostic>) {
    let Some(e) = &app.executor else { return };
    let v = e.value.as_str();
    let path = v.strip_prefix('/').unwrap_or(v);
    let valid =
        v.is_empty() || v == "//cmd" || (!path.is_empty() && path.split('/').all(|segment| !segment.is_empty()));
    if !valid {
        diags.push(messages::executor(e.span, v, w));
    }
}

/// Marathon's label rules: single-instance apps and DC/OS migration labels.
fn labels(app: &crate::model::App, w: Wording, diags: &mut Vec<Diagnostic>) {
    let label = |key: &str| app.labels.iter().find(|e| e.key.value == key);
    if let Some(single) = label("MARATHON_SINGLE_INSTANCE_APP").filter(|e| e.value.value == "true") {
        if let Some(i) = app.instances.as_ref().filter(|i| i.value > 1) {
            diags.push(messages::single_instance(i.span, single.key.span, "more than one instance", w));
        }
        let strategy = app.upgrade.as_ref();
        let overlaps = strategy.is_none_or(|u| {
            u.min_health.as_ref().is_none_or(|f| f.value != 0.0) || u.max_over.as_ref().is_none_or(|f| f.value != 0.0)
        });
        if overlaps {
            let at = strategy.map_or(app.name.span, |u| u.span);
            diags.push(messages::single_instance(at, single.key.span, term(Term::OverlappingUpgrade, w), w));
        }
    }
    if let Some(version) = label("DCOS_MIGRATION_API_VERSION") {
        if version.value.value != "v1" {
            diags.push(messages::migration_labels(version.value.span, "the only version is \"v1\""));
        }
        for needed in ["DCOS_PACKAGE_FRAMEWORK_NAME", "DCOS_MIGRATION_API_PATH"] {
            if label(needed).is_none() {
                diags.push(messages::migration_labels(version.key.span, &format!("`{needed}` is missing")));
            }
        }
    }
}

fn valid_percent_escapes(uri: &str) -> bool {
    let b = uri.as_bytes();
    b.iter().enumerate().filter(|(_, c)| **c == b'%').all(|(i, _)| {
        b.get(i + 1).is_some_and(u8::is_ascii_hexdigit) && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
    })
}

/// Container network names: `^[a-z0-9]([-a-z0-9_]*[a-z0-9])?$`, at most 63 characters.
fn is_network_name(name: &str) -> bool {
    let ok_end = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    name.len() <= 63
        && ok_end(name.chars().next())
        && ok_end(name.chars().last())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}
