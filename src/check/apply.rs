//! Directive semantics: how each app directive's typed arguments land in the model.

use super::args::{match_args, Matched, Typed, TypedArg};
use super::ids;
use super::lower::{Lowerer, ScopeRef};
use crate::diagnostics::messages;
use crate::marathon::fields::{self, Field, Ty};
use crate::model::*;
use crate::schema::{Directive, Id};
use crate::source::{Span, Spanned};
use crate::syntax::{Arg, Statement, Value};

impl Lowerer<'_> {
    pub(super) fn dependencies(&mut self, m: &Matched, base: &str) -> Vec<Dependency> {
        let mut out = Vec::new();
        for arg in m.positional.iter().flatten() {
            let Typed::Path(path) = &arg.value else { continue };
            match ids::resolve(base, path) {
                Some(absolute) if absolute != "/" => {
                    out.push(Dependency { written: Spanned::new(path.clone(), arg.span), absolute })
                }
                _ => self.diags.push(messages::out_of_range(
                    arg.span,
                    "depends-on",
                    path,
                    "a path to an app or group below the root",
                )),
            }
        }
        out
    }

    /// `env NAME value`, `env { NAME value … }` and the same for `label`.
    pub(super) fn entries(
        &mut self,
        d: &'static Directive,
        stmt: &Statement,
        scope: &ScopeRef,
        app: &mut App,
        keys: &mut Keys,
    ) {
        let mut pairs: Vec<(Spanned<String>, Spanned<String>)> = Vec::new();
        if !stmt.args.is_empty() || stmt.block.is_none() {
            let Some(m) = self.matched(d, stmt, scope) else { return };
            match (m.arg(0), m.arg(1)) {
                (Some(k), Some(v)) => pairs.push((text(k), text(v))),
                (Some(k), None) if m.positional[1].is_empty() && stmt.args.len() < 2 => {
                    self.diags.push(messages::missing_argument(k.span, d.name, "value", &d.args[1].kind.describe()));
                }
                _ => {}
            }
            if let (Some(block), false) = (&stmt.block, stmt.args.is_empty()) {
                self.diags.push(messages::unexpected_block(block.span, &format!("{} NAME value", d.name)));
            }
        }
        if stmt.args.is_empty() {
            for entry in stmt.block_statements() {
                let key = Arg { value: Value::Word(entry.name.value.clone()), span: entry.name.span };
                let mut args = vec![key];
                args.extend(entry.args.iter().cloned());
                let fake = Statement { name: stmt.name.clone(), args: Vec::new(), block: None, span: entry.span };
                if entry.args.is_empty() {
                    let kind = d.args[1].kind.describe();
                    self.diags.push(messages::missing_argument(
                        entry.name.span,
                        &format!("{} {}", d.name, entry.name.value),
                        "value",
                        &kind,
                    ));
                    continue;
                }
                let Some(args) = self.eval(&args, scope) else { continue };
                let m = match_args(d, &fake, &args, &mut self.diags);
                if let Some(block) = &entry.block {
                    self.diags.push(messages::unexpected_block(block.span, &entry.name.value));
                }
                if let (Some(k), Some(v)) = (m.arg(0), m.arg(1)) {
                    pairs.push((text(k), text(v)));
                }
            }
        }
        for (key, value) in pairs {
            if let Some(first) = keys.first(d.name, &key.value) {
                self.diags.push(messages::duplicate_key(key.span, first, d.name, &key.value));
                continue;
            }
            keys.push(d.name, key.value.clone(), key.span);
            let entry = Entry { key, value };
            if d.name == "env" {
                push_lean(&mut app.env, entry);
            } else {
                push_lean(&mut app.labels, entry);
            }
        }
    }

    pub(super) fn apply(
        &mut self,
        d: &'static Directive,
        stmt: &Statement,
        m: &Matched,
        group_id: &str,
        app: &mut App,
    ) {
        let span = stmt.span;
        let first = m.arg(0);
        match d.id {
            Id::Image => app.image = first.map(text),
            Id::Cmd => app.cmd = first.map(text),
            Id::User => app.user = first.map(text),
            Id::Args => {
                let values: Vec<String> = m.positional[0].iter().map(|a| text(a).value).collect();
                if !values.is_empty() {
                    app.args = Some(Spanned::new(values, span));
                }
            }
            Id::Network => {
                let Some(Typed::Enum(mode)) = first.map(|a| &a.value) else { return };
                let name = m.arg(1).map(text);
                let mode = match *mode {
                    "host" => NetworkMode::Host,
                    "bridge" => NetworkMode::Bridge,
                    _ => NetworkMode::Container,
                };
                match (mode, &name) {
                    // Unnamed: Marathon's default network (the rules say where that exists).
                    (NetworkMode::Container, _) => {}
                    (_, Some(n)) => {
                        self.diags.push(messages::extra_argument(
                            n.span,
                            "network",
                            "only `network container` takes a network name",
                        ));
                        return;
                    }
                    _ => {}
                }
                let labels: Vec<Entry> =
                    m.pairs("label").map(|(k, v)| Entry { key: k.clone(), value: v.clone() }).collect();
                let groups: Vec<Spanned<String>> = m.all("group").map(text).collect();
                let extra = labels.first().map(|l| l.key.span).or(groups.first().map(|g| g.span));
                if let (NetworkMode::Host | NetworkMode::Bridge, Some(at)) = (mode, extra) {
                    let word = if mode == NetworkMode::Host { "host" } else { "bridge" };
                    self.diags.push(messages::network_option_not_container(at, word));
                    return;
                }
                let network = Network { mode, name, labels, groups, span };
                app.networks.push(network);
            }
            Id::Privileged => app.privileged = Some(span),
            Id::ForcePull => app.force_pull = Some(span),
            Id::Containerizer if first.is_some_and(|a| a.value == Typed::Enum("mesos")) => {
                app.mesos_containerizer = Some(span);
            }
            Id::Roles => {
                let roles: Vec<String> = m.positional[0].iter().map(|a| text(a).value).collect();
                app.roles = Some(Spanned::new(roles, span));
            }
            Id::NoPorts => app.no_ports = Some(span),
            Id::Unreachable => {
                app.unreachable = Some(Unreachable {
                    disabled: first.is_some(),
                    inactive_after: seconds(m.option("inactive-after")),
                    expunge_after: seconds(m.option("expunge-after")),
                    span,
                })
            }
            Id::KillSelection => {
                app.kill_selection = first.map(|a| {
                    let order = if a.value == Typed::Enum("oldest-first") { "OLDEST_FIRST" } else { "YOUNGEST_FIRST" };
                    Spanned::new(order, span)
                })
            }
            Id::Secret => {
                let (Some(name), Some(source)) = (first, m.arg(1)) else { return };
                let name = text(name);
                if let Some(earlier) = app.secrets.iter().find(|s| s.name.value == name.value) {
                    self.diags.push(messages::duplicate_key(name.span, earlier.name.span, "secret", &name.value));
                    return;
                }
                let env = m.option("env").map(text);
                if let Some(path) = m.option("path") {
                    app.volumes.push(Volume {
                        container_path: text(path),
                        host_path: None,
                        read_write: false,
                        persistent: None,
                        external: None,
                        secret: Some(name.clone()),
                        span,
                    });
                }
                app.secrets.push(Secret { name, source: text(source), env, span });
            }
            Id::RequirePorts => app.require_ports = Some(span),
            Id::DockerParam => {
                if let (Some(k), Some(v)) = (first, m.arg(1)) {
                    app.docker_params.push(Entry { key: text(k), value: text(v) });
                }
            }
            Id::Volume => {
                let (Some(container), Some(Typed::Enum(mode))) = (first, m.arg(2).map(|a| &a.value)) else { return };
                app.volumes.push(Volume {
                    container_path: text(container),
                    host_path: m.arg(1).map(text),
                    read_write: *mode == "rw",
                    persistent: None,
                    external: None,
                    secret: None,
                    span,
                });
            }
            Id::ExternalVolume => {
                let (Some(container), Some(name), Some(Typed::Enum(mode))) =
                    (first, m.arg(1), m.arg(2).map(|a| &a.value))
                else {
                    return;
                };
                let mut options: Vec<Entry> = Vec::new();
                if let Some(driver) = m.option("driver") {
                    let key = Spanned::new("dvdi/driver".to_string(), m.flag_span("driver").unwrap_or(driver.span));
                    options.push(Entry { key, value: text(driver) });
                }
                for (k, v) in m.pairs("option") {
                    if let Some(earlier) = options.iter().find(|e| e.key.value == k.value) {
                        self.diags.push(messages::duplicate_key(k.span, earlier.key.span, "option", &k.value));
                        continue;
                    }
                    options.push(Entry { key: k.clone(), value: v.clone() });
                }
                let size = match m.option("size") {
                    Some(Spanned { value: Typed::Size(s), span }) => Some(Spanned::new(*s, *span)),
                    _ => None,
                };
                app.volumes.push(Volume {
                    container_path: text(container),
                    host_path: None,
                    read_write: *mode == "rw",
                    persistent: None,
                    external: Some(ExternalVolume {
                        name: text(name),
                        provider: m.option("provider").map(text),
                        options,
                        size,
                    }),
                    secret: None,
                    span,
                });
            }
            Id::Tty => app.tty = Some(span),
            Id::Role => app.role = first.map(text),
            Id::Executor => app.executor = first.map(text),
            Id::PullSecret => app.pull_secret = first.map(text),
            Id::Residency => {
                app.residency = Some(Residency {
                    relaunch_escalation: seconds(m.option("relaunch-escalation")),
                    task_lost: m.option("task-lost").map(|a| {
                        let word = if a.value == Typed::Enum("wait-forever") {
                            "WAIT_FOREVER"
                        } else {
                            "RELAUNCH_AFTER_TIMEOUT"
                        };
                        Spanned::new(word, a.span)
                    }),
                    span,
                })
            }
            Id::Limit => {
                let (Some(Spanned { value: Typed::Enum(resource), .. }), Some(arg)) = (first, m.arg(1)) else { return };
                let value = match (&arg.value, *resource) {
                    (Typed::Enum(_), _) => LimitValue::Unlimited,
                    (Typed::Num(n), "cpus") => LimitValue::Amount(*n),
                    (Typed::Size(mib), "mem") => LimitValue::Amount(Num { value: *mib, integer: mib.fract() == 0.0 }),
                    (Typed::Num(n), _) => LimitValue::Amount(*n),
                    _ => {
                        self.diags.push(messages::wrong_kind(
                            arg.span,
                            "limit cpus",
                            "a number of CPU shares like 2, or `unlimited`",
                            "a size",
                        ));
                        return;
                    }
                };
                let limit = Some(Limit { value: Spanned::new(value, arg.span), span });
                if *resource == "cpus" {
                    app.limit_cpus = limit
                } else {
                    app.limit_mem = limit
                }
            }
            Id::Readiness => {
                let Some(Spanned { value: Typed::Enum(proto), span: pspan }) = first else { return };
                let statuses = m
                    .all("status")
                    .filter_map(|a| match a.value {
                        Typed::Int(i) => Some(Spanned::new(i, a.span)),
                        _ => None,
                    })
                    .collect();
                app.readiness = Some(Readiness {
                    name: m.option("name").map(text),
                    protocol: Spanned::new(if *proto == "https" { "HTTPS" } else { "HTTP" }, *pspan),
                    path: m.option("path").map(text),
                    port_name: m.option("port").map(text),
                    interval: seconds(m.option("interval")),
                    timeout: seconds(m.option("timeout")),
                    statuses,
                    preserve_last_response: m.flag_span("keep-response"),
                    span,
                });
            }
            Id::MesosCheck => {
                let Some(Spanned { value: Typed::Enum(kind), span: kspan }) = first else { return };
                let kind = match (*kind, m.arg(1)) {
                    ("command", Some(command)) => CheckKind::Command(text(command)),
                    ("command", None) => {
                        self.diags.push(messages::missing_argument(
                            span,
                            "mesos-check command",
                            "command",
                            "a string like \"test -f /tmp/ready\"",
                        ));
                        return;
                    }
                    (_, Some(extra)) => {
                        self.diags.push(messages::extra_argument(
                            extra.span,
                            "mesos-check",
                            "only `mesos-check command` takes a command",
                        ));
                        return;
                    }
                    ("http", None) => CheckKind::Http,
                    _ => CheckKind::Tcp,
                };
                let port_index = self.int(m.option("port-index"), "port-index", 0, 65535, "an index from 0 up");
                app.mesos_check = Some(MesosCheck {
                    kind: Spanned::new(kind, *kspan),
                    port_index: port_index.map(|s| Spanned::new(s.value as u32, s.span)),
                    path: m.option("path").map(text),
                    interval: seconds(m.option("interval")),
                    timeout: seconds(m.option("timeout")),
                    delay: seconds(m.option("delay")),
                    span,
                });
            }
            Id::PersistentVolume => {
                let (Some(container), Some(Spanned { value: Typed::Size(size), span: size_span })) = (first, m.arg(1))
                else {
                    return;
                };
                let max_size = match m.option("max-size") {
                    Some(Spanned { value: Typed::Size(s), span }) => Some(Spanned::new(*s, *span)),
                    _ => None,
                };
                app.volumes.push(Volume {
                    container_path: text(container),
                    host_path: None,
                    read_write: true,
                    persistent: Some(PersistentVolume {
                        size: Spanned::new(*size, *size_span),
                        kind: m.option("type").map(text),
                        max_size,
                        profile: m.option("profile").map(text),
                        path_like: m.option("path-like").map(text),
                    }),
                    external: None,
                    secret: None,
                    span,
                });
            }
            Id::Instances => {
                app.instances = self
                    .int(first, "instances", 0, i32::MAX as i64, "an integer from 0 up")
                    .map(|s| Spanned::new(s.value as u32, s.span))
            }
            Id::Gpus => {
                app.gpus = self
                    .int(first, "gpus", 0, i32::MAX as i64, "an integer from 0 up")
                    .map(|s| Spanned::new(s.value as u32, s.span));
            }
            Id::Cpus => {
                if let Some(Spanned { value: Typed::Num(n), span }) = first {
                    if n.value.is_finite() && n.value >= 0.0 {
                        app.cpus = Some(Spanned::new(*n, *span));
                    } else {
                        self.diags.push(messages::out_of_range(
                            *span,
                            "cpus",
                            &n.value.to_string(),
                            "a number of CPU shares above 0, e.g. 0.5",
                        ));
                    }
                }
            }
            Id::Mem | Id::Disk => {
                if let Some(Spanned { value: Typed::Size(mib), span }) = first {
                    let size = if mib.is_finite() && *mib >= 0.0 {
                        Some(Spanned::new(*mib, *span))
                    } else {
                        self.diags.push(messages::out_of_range(
                            *span,
                            d.name,
                            &mib.to_string(),
                            "a size of 0 or more, e.g. 512MiB",
                        ));
                        None
                    };
                    if d.name == "mem" {
                        app.mem = size
                    } else {
                        app.disk = size
                    }
                }
            }
            Id::KillGrace => app.kill_grace = seconds(first),
            Id::Ports => {
                app.ports.reserve_exact(m.positional[0].len());
                for arg in &m.positional[0] {
                    if let Typed::Range(start, end) = arg.value {
                        self.port_range(arg.span, start, end, stmt, app);
                    } else if let Some(port) = self.port(arg, None, stmt) {
                        app.ports.push(port);
                    }
                }
            }
            Id::Port => {
                let Some(arg) = m.arg(1) else { return };
                if let Typed::Range(..) = arg.value {
                    self.diags.push(messages::port_range_on_port(arg.span));
                    return;
                }
                let Some(mut port) = self.port(arg, m.arg(0).map(text), stmt) else { return };
                port.service = self.port_option(m, "service");
                port.host = self.port_option(m, "host");
                port.vip = m.option("vip").map(text);
                for (k, v) in m.pairs("label") {
                    // `vip` is the `VIP_0` label.
                    let vip = port.vip.as_ref().filter(|_| k.value == "VIP_0").map(|v| v.span);
                    let earlier = port.labels.iter().find(|e| e.key.value == k.value).map(|e| e.key.span);
                    if let Some(earlier) = vip.or(earlier) {
                        self.diags.push(messages::duplicate_key(k.span, earlier, "port label", &k.value));
                        continue;
                    }
                    port.labels.push(Entry { key: k.clone(), value: v.clone() });
                }
                port.networks = m.all("network").map(text).collect();
                push_lean(&mut app.ports, port);
            }
            Id::Constraint => {
                let (Some(field), Some(Spanned { value: Typed::Enum(op), span: op_span })) = (first, m.arg(1)) else {
                    return;
                };
                let Some(operator) = Operator::from_word(op) else { return };
                push_lean(
                    &mut app.constraints,
                    Constraint {
                        field: text(field),
                        operator: Spanned::new(operator, *op_span),
                        value: m.arg(2).map(text),
                        span,
                    },
                );
            }
            Id::UniqueHost => push_lean(
                &mut app.constraints,
                Constraint {
                    field: Spanned::new("hostname".into(), span),
                    operator: Spanned::new(Operator::Unique, span),
                    value: None,
                    span,
                },
            ),
            Id::Health => {
                let Some(Spanned { value: Typed::Enum(proto), span: pspan }) = first else { return };
                if let (Some(_), Some(opt)) = (m.arg(1), m.option("command")) {
                    self.diags.push(messages::duplicate_option(
                        opt.span,
                        m.arg(1).map_or(opt.span, |a| a.span),
                        "command",
                    ));
                }
                let Some(protocol) = HealthProtocol::from_word(proto) else { return };
                if let Some(arg) = m.arg(1).filter(|_| protocol != HealthProtocol::Command) {
                    self.diags.push(messages::health_text_not_command(
                        arg.span,
                        *pspan,
                        protocol.marathon(),
                        protocol.is_http(),
                    ));
                }
                let port_index = self.int(m.option("port-index"), "port-index", 0, 65535, "an index from 0 up");
                let port = self.int(m.option("port"), "port", 0, 65535, "a port number from 0 to 65535");
                let max_failures =
                    self.int(m.option("max-failures"), "max-failures", 0, i32::MAX as i64, "an integer from 0 up");
                push_lean(
                    &mut app.health_checks,
                    HealthCheck {
                        protocol: Spanned::new(protocol, *pspan),
                        path: m.option("path").map(text),
                        command: m
                            .arg(1)
                            .filter(|_| protocol == HealthProtocol::Command)
                            .or(m.option("command"))
                            .map(text),
                        port_index: port_index.map(|s| Spanned::new(s.value as u32, s.span)),
                        port: port.map(|s| Spanned::new(s.value as u16, s.span)),
                        grace: seconds(m.option("grace")),
                        interval: seconds(m.option("interval")),
                        timeout: seconds(m.option("timeout")),
                        max_failures: max_failures.map(|s| Spanned::new(s.value as u32, s.span)),
                        delay: seconds(m.option("delay")),
                        ignore_1xx: m.flag_span("ignore-1xx"),
                        ip_protocol: m.option("ip-protocol").and_then(|a| match a.value {
                            Typed::Enum("ipv6") => Some(Spanned::new("IPv6", a.span)),
                            Typed::Enum("ipv4") => Some(Spanned::new("IPv4", a.span)),
                            _ => None,
                        }),
                        span,
                    },
                );
            }
            Id::Upgrade => {
                app.upgrade = Some(Upgrade {
                    min_health: fraction(m.option("min-health")),
                    max_over: fraction(m.option("max-over")),
                    span,
                });
            }
            Id::Backoff => {
                let factor = match m.option("factor") {
                    Some(Spanned { value: Typed::Num(n), span }) if n.value.is_finite() => {
                        Some(Spanned::new(*n, *span))
                    }
                    Some(Spanned { span, .. }) => {
                        self.diags.push(messages::out_of_range(
                            *span,
                            "backoff factor",
                            "this number",
                            "a number from 1 up, e.g. 1.15",
                        ));
                        None
                    }
                    _ => None,
                };
                app.backoff =
                    Some(Backoff { delay: seconds(first), factor, max_delay: seconds(m.option("max-delay")), span });
            }
            Id::Fetch => {
                let Some(uri) = first else { return };
                let (executable, cache) = (m.flag("executable"), m.flag("cache"));
                let dest = m.option("dest").map(text);
                app.fetch.push(Fetch { uri: text(uri), extract: m.flag("extract"), executable, cache, dest, span });
            }
            Id::DependsOn => {
                let deps = self.dependencies(m, group_id);
                app.dependencies.extend(deps);
            }
            // `containerizer docker` is the default: nothing to record.
            Id::Containerizer => {}
            // Lowered where they appear: definitions and blocks (`check::lower`), `env`/`label` entries and
            // passthroughs (their own functions), group-level `depends-on`/`external`.
            Id::Group
            | Id::App
            | Id::Template
            | Id::Param
            | Id::Let
            | Id::If
            | Id::Import
            | Id::DnsNames
            | Id::External
            | Id::Marathon
            | Id::Env
            | Id::Label => {}
        }
    }

    fn int(&mut self, arg: Option<&TypedArg>, what: &str, min: i64, max: i64, allowed: &str) -> Option<Spanned<i64>> {
        let Spanned { value: Typed::Int(i), span } = arg? else { return None };
        if *i < min || *i > max {
            self.diags.push(messages::out_of_range(*span, what, &i.to_string(), allowed));
            return None;
        }
        Some(Spanned::new(*i, *span))
    }

    fn port_option(&mut self, m: &Matched, name: &str) -> Option<Spanned<u16>> {
        self.int(m.option(name), name, 0, 65535, "a port number from 0 to 65535 (0: any free port)")
            .map(|s| Spanned::new(s.value as u16, s.span))
    }

    /// `ports 10000-10099`: every port of the range, in order (tcp, unnamed).
    fn port_range(&mut self, span: Span, start: u16, end: u16, stmt: &Statement, app: &mut App) {
        if end < start {
            self.diags.push(messages::out_of_range(
                span,
                "ports",
                &format!("{start}-{end}"),
                "a range from the lower port to the higher",
            ));
            return;
        }
        app.ports.reserve_exact(usize::from(end - start) + 1);
        for number in start..=end {
            let mut port = Port::plain(Spanned::new(number, span), stmt.span);
            port.protocol.span = span;
            app.ports.push(port);
        }
    }

    fn port(&mut self, arg: &TypedArg, name: Option<Spanned<String>>, stmt: &Statement) -> Option<Port> {
        let Typed::Port { number, protocol, written } = arg.value else { return None };
        if let Some(n) = &name {
            if !is_port_name(&n.value) {
                self.diags.push(messages::invalid_port_name(n.span, &n.value));
                return None;
            }
        }
        Some(Port {
            number: Spanned::new(number, arg.span),
            protocol: Spanned::new(protocol, arg.span),
            protocol_written: written,
            name,
            host: None,
            service: None,
            vip: None,
            labels: Vec::new(),
            networks: Vec::new(),
            statement: stmt.span,
        })
    }
}

/// Port names: lowercase letters, digits and `-`, starting with a letter (valid in every Marathon version).
fn is_port_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && !name.ends_with('-')
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn text(arg: &TypedArg) -> Spanned<String> {
    let s = match &arg.value {
        Typed::Text(s) | Typed::Path(s) => s.clone(),
        Typed::Enum(s) => s.to_string(),
        other => format!("{other:?}"),
    };
    Spanned::new(s, arg.span)
}

fn seconds(arg: Option<&TypedArg>) -> Option<Spanned<u64>> {
    match arg? {
        Spanned { value: Typed::Seconds(s), span } => Some(Spanned::new(*s, *span)),
        _ => None,
    }
}

fn fraction(arg: Option<&TypedArg>) -> Option<Spanned<f64>> {
    match arg? {
        Spanned { value: Typed::Fraction(f), span } => Some(Spanned::new(*f, *span)),
        _ => None,
    }
}

/// The `env` and `label` keys an app has set, for duplicates. An app has a handful: a list, which
/// becomes a map once it holds more (an app may have thousands).
#[derive(Default)]
pub(super) struct Keys {
    list: Vec<(&'static str, String, Span)>,
    index: rustc_hash::FxHashMap<(&'static str, String), Span>,
}

impl Keys {
    const SMALL: usize = 16;

    fn first(&self, directive: &'static str, key: &str) -> Option<Span> {
        if self.list.len() <= Self::SMALL {
            return self.list.iter().find(|(d, k, _)| *d == directive && k == key).map(|(_, _, s)| *s);
        }
        self.index.get(&(directive, key.to_string())).copied()
    }

    fn push(&mut self, directive: &'static str, key: String, span: Span) {
        if self.list.len() == Self::SMALL {
            self.index = self.list.iter().map(|(d, k, s)| ((*d, k.clone()), *s)).collect();
        }
        if self.list.len() >= Self::SMALL {
            self.index.insert((directive, key.clone()), span);
        }
        self.list.push((directive, key, span));
    }
}

impl Lowerer<'_> {
    /// `marathon FIELD …`: the field and its value as JSON, shaped by the field's type where the table
    /// knows it (one value for a list field is a one-element list). Whether Marathon reads the field, and
    /// whether the value has its type, is the rules' to say (`check::passthrough`).
    pub(super) fn passthrough(
        &mut self,
        stmt: &Statement,
        scope: &ScopeRef,
        root: &'static [Field],
        out: &mut Vec<Passthrough>,
    ) {
        let Some(first) = stmt.args.first() else {
            self.diags.push(messages::missing_argument(
                stmt.span,
                "marathon",
                "field",
                "a Marathon field like `killSelection`",
            ));
            return;
        };
        let path = match &first.value {
            Value::Word(w) => w.clone(),
            other => match other.plain_string() {
                Some(s) => s,
                None => {
                    self.diags.push(messages::wrong_kind(
                        first.span,
                        "marathon",
                        "a Marathon field like `killSelection`",
                        other.describe(),
                    ));
                    return;
                }
            },
        };
        let ty = path
            .split('.')
            .try_fold(None::<&'static Ty>, |ty, segment| {
                let fields = match ty {
                    None => root,
                    Some(t) => fields::members(t)?,
                };
                Some(Some(&fields::field(fields, segment)?.ty))
            })
            .flatten();
        let earlier = out.iter().position(|p| p.path.value == path);
        // A list field written again adds to its list, as `health` does; any other field is set once.
        if let (Some(i), false) = (earlier, matches!(ty, Some(Ty::List(_)))) {
            self.diags.push(messages::duplicate_key(first.span, out[i].path.span, "marathon", &path));
            return;
        }
        let Some(args) = self.eval(&stmt.args[1..], scope) else { return };
        let span = stmt.args.get(1).map_or(stmt.span, |a| Span { end: stmt.span.end, ..a.span });
        let what = format!("marathon {path}");
        let Some(value) = self.json_value(&what, stmt, &args, ty, scope) else { return };
        if let Some(i) = earlier {
            if let (Json::List(items), Json::List(more)) = (&mut out[i].value.value, value) {
                items.extend(more);
            }
            return;
        }
        out.push(Passthrough {
            path: Spanned::new(path, first.span),
            value: Spanned::new(value, span),
            span: stmt.span,
        });
    }

    /// A value written as the arguments or the block of `stmt`.
    fn json_value(
        &mut self,
        what: &str,
        stmt: &Statement,
        args: &[Arg],
        ty: Option<&'static Ty>,
        scope: &ScopeRef,
    ) -> Option<Json> {
        let element = match ty {
            Some(Ty::List(t)) => Some(*t),
            _ => None,
        };
        let value = match (args, &stmt.block) {
            ([], None) => {
                self.diags.push(messages::missing_argument(stmt.span, what, "value", "a value, or a block of fields"));
                return None;
            }
            ([first, ..], Some(block)) => {
                let _ = first;
                self.diags.push(messages::unexpected_block(block.span, &format!("{what} value…")));
                return None;
            }
            ([], Some(_)) => {
                let obj = self.json_object(stmt, element.or(ty), scope)?;
                return Some(if element.is_some() { Json::List(vec![obj]) } else { obj });
            }
            ([one], None) if element.is_none() => return self.json_scalar(what, one, ty),
            (many, None) => {
                many.iter().map(|a| self.json_scalar(what, a, element)).collect::<Option<Vec<_>>>().map(Json::List)?
            }
        };
        Some(value)
    }

    /// A block of `key value` statements as an object; a key repeated makes an array.
    fn json_object(&mut self, stmt: &Statement, ty: Option<&'static Ty>, scope: &ScopeRef) -> Option<Json> {
        let mut members: Vec<(String, Json)> = Vec::new();
        let mut ok = true;
        for entry in stmt.block_statements() {
            let key = entry.name.value.clone();
            let member_ty = match ty {
                Some(Ty::Obj(fields)) => fields::field(fields, &key).map(|f| &f.ty),
                Some(Ty::Map(t)) => Some(*t),
                _ => None,
            };
            let Some(args) = self.eval(&entry.args, scope) else {
                ok = false;
                continue;
            };
            let Some(value) = self.json_value(&key, entry, &args, member_ty, scope) else {
                ok = false;
                continue;
            };
            match members.iter_mut().find(|(k, _)| *k == key) {
                Some((_, Json::List(items))) => match value {
                    Json::List(more) => items.extend(more),
                    one => items.push(one),
                },
                Some((_, earlier)) => {
                    let first = std::mem::replace(earlier, Json::Null);
                    *earlier = Json::List(vec![first, value]);
                }
                None => members.push((key, value)),
            }
        }
        ok.then_some(Json::Obj(members))
    }

    fn json_scalar(&mut self, what: &str, arg: &Arg, ty: Option<&'static Ty>) -> Option<Json> {
        let text_wanted = matches!(ty, Some(Ty::Str));
        Some(match &arg.value {
            Value::Number(n) => Json::Num(Num { value: n.text.parse().unwrap_or(f64::NAN), integer: n.is_integer() }),
            Value::Word(w) if w == "true" && !text_wanted => Json::Bool(true),
            Value::Word(w) if w == "false" && !text_wanted => Json::Bool(false),
            Value::Word(w) if w == "null" && !text_wanted => Json::Null,
            Value::Word(w) | Value::Path(w) => Json::Str(w.clone()),
            Value::Quantity { .. } | Value::Percent(_) => {
                self.diags.push(messages::wrong_kind(
                    arg.span,
                    what,
                    "a plain number, as Marathon reads it (seconds, MiB, a fraction)",
                    arg.value.describe(),
                ));
                return None;
            }
            other => match other.plain_string() {
                Some(s) => Json::Str(s),
                None => {
                    self.diags.push(messages::wrong_kind(
                        arg.span,
                        what,
                        "a JSON value: a number, a string, a word, true, false or null",
                        other.describe(),
                    ));
                    return None;
                }
            },
        })
    }
}
