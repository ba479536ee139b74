//! Ports: duplicates within an app, options that do not fit the network mode, and the conflicts Marathon
//! never checks across apps: shared fixed host ports and shared service ports.

use rustc_hash::FxHashMap as HashMap;

use super::cluster::Index;
use crate::diagnostics::wording::Wording;
use crate::diagnostics::{messages, Diagnostic};
use crate::model::{App, NetworkMode, Operator, Port, Protocol};
use crate::source::Span;
use crate::version::{Feature, Version};

/// The single protocols a port binds (`udp+tcp` binds both).
fn protocols(p: Protocol) -> &'static [Protocol] {
    match p {
        Protocol::Tcp => &[Protocol::Tcp],
        Protocol::Udp => &[Protocol::Udp],
        Protocol::UdpTcp => &[Protocol::Udp, Protocol::Tcp],
    }
}

/// A fixed host port an app's tasks bind on their agent.
pub struct HostPort<'a> {
    pub number: u16,
    pub protocol: Protocol,
    pub port: &'a Port,
    /// Where the host port number is written (the port itself, or its `host` option).
    pub span: Span,
}

/// Host ports an app's tasks bind on their agent: fixed, non-zero ones only.
pub fn fixed_host_ports(app: &App) -> Vec<HostPort<'_>> {
    let mut out = Vec::new();
    for p in &app.ports {
        let host = match app.network_mode() {
            NetworkMode::Host if app.require_ports.is_some() => Some((p.number.value, p.number.span)),
            NetworkMode::Bridge | NetworkMode::Container => p.host.as_ref().map(|h| (h.value, h.span)),
            NetworkMode::Host => None,
        };
        if let Some((number, span)) = host.filter(|(n, _)| *n != 0) {
            out.extend(protocols(p.protocol.value).iter().map(|protocol| HostPort {
                number,
                protocol: *protocol,
                port: p,
                span,
            }));
        }
    }
    out
}

/// The agent an app is pinned to with `constraint hostname cluster "…"`, if any.
fn pinned_host(app: &App) -> Option<&str> {
    app.constraints.iter().find_map(|c| {
        (matches!(c.field.value.as_str(), "hostname" | "@hostname") && c.operator.value == Operator::Cluster)
            .then(|| c.value.as_ref().map(|v| v.value.as_str()))
            .flatten()
    })
}

/// Service ports the app declares (load-balancer ports): bridge `service` ports, and host-network ports
/// without `require-ports`, which Marathon treats as service ports.
fn service_ports(app: &App) -> Vec<(u16, Span)> {
    app.ports
        .iter()
        .filter_map(|p| match app.network_mode() {
            NetworkMode::Host if app.require_ports.is_none() => Some((p.number.value, p.number.span)),
            NetworkMode::Host => None,
            _ => p.service.as_ref().map(|s| (s.value, s.span)),
        })
        .filter(|(n, _)| *n != 0)
        .collect()
}

pub fn instances(app: &App) -> u64 {
    app.instances.as_ref().map_or(1, |i| i.value as u64)
}

/// Whether at most one task of the app runs per agent.
pub fn one_per_host(app: &App) -> bool {
    app.constraints.iter().any(|c| {
        matches!(c.field.value.as_str(), "hostname" | "@hostname")
            && (c.operator.value == Operator::Unique
                || (c.operator.value == Operator::MaxPer && c.value.as_ref().is_some_and(|v| v.value.trim() == "1")))
    })
}

pub fn check(index: &Index, diags: &mut Vec<Diagnostic>) {
    for app in &index.apps {
        within_app(app, index.version, index.wording, diags);
    }
    shared_host_ports(index, diags);
    shared_service_ports(index, diags);
}

fn within_app(app: &App, version: Version, w: Wording, diags: &mut Vec<Diagnostic>) {
    let mode = app.network_mode();
    if let (Some(span), false) = (app.require_ports, mode == NetworkMode::Host) {
        diags.push(messages::require_ports_not_host(span, app.network().map(|n| n.span), w));
    }
    let mut numbers: HashMap<(u16, Protocol), Span> = HashMap::default();
    let mut hosts: HashMap<(u16, Protocol), Span> = HashMap::default();
    let mut services: HashMap<u16, Span> = HashMap::default();
    let mut names: HashMap<&str, Span> = HashMap::default();
    for p in &app.ports {
        if mode == NetworkMode::Host {
            for opt in [&p.service, &p.host].into_iter().flatten() {
                diags.push(messages::service_port_on_host(opt.span, app.network().map(|n| n.span)));
            }
            {
                let need = |feature: Feature, span: Span, diags: &mut Vec<Diagnostic>| {
                    if version < feature.info().1 {
                        diags.push(messages::needs_feature(span, feature, version, w));
                    }
                };
                if p.protocol.value != Protocol::Tcp {
                    need(Feature::HostPortProtocol, p.protocol.span, diags);
                }
                if let Some(n) = &p.name {
                    need(Feature::HostPortName, n.span, diags);
                }
            }
        } else if let Some(n) = p.name.as_ref().filter(|_| version < Feature::PortMappingName.info().1) {
            diags.push(messages::needs_feature(n.span, Feature::PortMappingName, version, w));
        }
        // Host networking: the numbers are host or service ports and must be unique (Marathon checks this
        // for any protocol). Bridge: a container port mapped twice is allowed, but rarely meant.
        if p.number.value != 0 {
            let keys: Vec<(u16, Protocol)> = if mode == NetworkMode::Host {
                vec![(p.number.value, Protocol::Tcp)]
            } else {
                protocols(p.protocol.value).iter().map(|proto| (p.number.value, *proto)).collect()
            };
            for key in keys {
                if let Some(first) = numbers.insert(key, p.number.span) {
                    // One container port published on two host ports is valid (Marathon and Docker take it).
                    if mode == NetworkMode::Host {
                        diags.push(messages::duplicate_port(p.number.span, first, p.number.value));
                    } else {
                        diags.push(messages::container_port_mapped_twice(p.number.span, first, p.number.value));
                    }
                    break;
                }
            }
        }
        if let Some(h) = p.host.as_ref().filter(|h| h.value != 0 && mode != NetworkMode::Host) {
            for proto in protocols(p.protocol.value) {
                if let Some(first) = hosts.insert((h.value, *proto), h.span) {
                    diags.push(messages::duplicate_port(h.span, first, h.value));
                    break;
                }
            }
        }
        if let Some(s) = p.service.as_ref().filter(|s| s.value != 0 && mode != NetworkMode::Host) {
            if let Some(first) = services.insert(s.value, s.span) {
                diags.push(messages::duplicate_port(s.span, first, s.value));
            }
        }
        if let Some(n) = &p.name {
            if let Some(first) = names.insert(&n.value, n.span) {
                diags.push(messages::duplicate_port_name(n.span, first, &n.value));
            }
        }
    }
    let fixed = fixed_host_ports(app);
    if let Some(first) = fixed.first() {
        if instances(app) > 1 && !one_per_host(app) {
            diags.push(messages::host_port_no_unique_host(
                first.span,
                app.instances.as_ref().map(|i| i.span),
                instances(app),
                w,
            ));
        }
    }
}

/// Apps that bind the same fixed host port and protocol: one warning per set of apps sharing ports.
fn shared_host_ports(index: &Index, diags: &mut Vec<Diagnostic>) {
    // Every (port, protocol, app) binding, sorted: the apps that share a port end up side by side.
    let mut bindings: Vec<(u16, Protocol, usize, &Port)> = Vec::new();
    for (i, app) in index.apps.iter().enumerate() {
        // An app scaled to zero binds nothing.
        if instances(app) > 0 {
            bindings.extend(fixed_host_ports(app).into_iter().map(|hp| (hp.number, hp.protocol, i, hp.port)));
        }
    }
    bindings.sort_by_key(|b| (b.0, b.1, b.2));
    bindings.dedup_by_key(|b| (b.0, b.1, b.2));
    // Group ports by the exact set of apps that share them, so one conflict is reported once.
    let mut by_apps: HashMap<Vec<usize>, Vec<(u16, Protocol)>> = HashMap::default();
    let mut port_of: HashMap<(usize, u16, Protocol), &Port> = HashMap::default();
    for run in bindings.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        if run.len() > 1 {
            by_apps.entry(run.iter().map(|b| b.2).collect()).or_default().push((run[0].0, run[0].1));
            port_of.extend(run.iter().map(|b| ((b.2, b.0, b.1), b.3)));
        }
    }
    type Conflict = (Vec<usize>, Vec<(u16, Protocol)>);
    let mut conflicts: Vec<Conflict> = by_apps.into_iter().collect();
    conflicts.sort();
    for (apps, mut ports) in conflicts {
        // Apps pinned to different agents never meet on one.
        let pins: Vec<Option<&str>> = apps.iter().map(|&i| pinned_host(index.apps[i])).collect();
        let mut distinct: Vec<&str> = pins.iter().flatten().copied().collect();
        distinct.sort_unstable();
        distinct.dedup();
        if pins.iter().all(Option::is_some) && distinct.len() == pins.len() {
            continue;
        }
        // Apps pinned to one agent can never all run: no number of agents helps.
        let mut pinned_together = false;
        for host in &distinct {
            let on_host: Vec<(&App, Span)> = apps
                .iter()
                .zip(&pins)
                .filter(|(_, p)| **p == Some(*host))
                .map(|(&i, _)| {
                    (index.apps[i], index.apps[i].ports.first().map_or(index.apps[i].name.span, |p| p.statement))
                })
                .collect();
            if on_host.len() > 1 {
                diags.push(messages::pinned_port_conflict(&on_host, host, &ports));
                pinned_together = true;
            }
        }
        if pinned_together {
            continue;
        }
        // Keep the order the first app declares them in.
        ports.sort_by_key(|k| port_of.get(&(apps[0], k.0, k.1)).map(|p| (p.number.span.start, k.1)));
        let involved: Vec<(&App, Span)> = apps
            .iter()
            .map(|&i| {
                let span = ports
                    .iter()
                    .find_map(|k| port_of.get(&(i, k.0, k.1)))
                    .map_or(index.apps[i].name.span, |p| p.statement);
                (index.apps[i], span)
            })
            .collect();
        let agents: u64 = apps.iter().map(|&i| instances(index.apps[i])).sum();
        diags.push(messages::host_port_shared(&involved, &ports, agents));
    }
}

/// The same non-zero service port in two apps: the load balancer cannot tell them apart.
fn shared_service_ports(index: &Index, diags: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<u16, (&App, Span)> = HashMap::default();
    for app in &index.apps {
        let mut mine: Vec<u16> = Vec::new();
        for (port, span) in service_ports(app) {
            if mine.contains(&port) {
                continue;
            }
            mine.push(port);
            match seen.get(&port) {
                // Marathon rejects it before 1.3; later, it breaks routing where one marathon-lb group
                // serves both apps, and is only suspicious elsewhere.
                Some((other, first)) => {
                    let group = |a: &App| {
                        a.labels.iter().find(|l| l.key.value == "HAPROXY_GROUP").map(|l| l.value.value.clone())
                    };
                    let same_lb = group(app).is_some_and(|g| Some(g) == group(other));
                    if index.version < crate::version::Version::new(1, 3) || same_lb {
                        diags.push(messages::service_port_shared(span, &app.id, *first, &other.id, port))
                    } else {
                        diags.push(messages::service_port_reused(span, &app.id, *first, &other.id, port))
                    }
                }
                None => {
                    seen.insert(port, (app, span));
                }
            }
        }
    }
}
