//! Marathon JSON into the model: the apps and groups of a spanned tree (`read`, `shape`) become
//! `model::Cluster`, normalised the way Marathon reads both dialects (REFERENCE.md §3.2), so that every rule
//! that runs on pkw runs on them. Every model field keeps the span of the JSON value it came from.
//!
//! Invariant: like the lowering, this reports only what stops a value from being read (a wrong JSON type,
//! a word Marathon does not know, an unknown field); Marathon's rules are the cluster checks', on the model.
//! Fields the model does not hold become passthroughs, which the checks compare against the field table.

use super::shape::{Shape, APP_SERVER_FIELDS, GROUP_SERVER_FIELDS};
use super::tree::{JMember, JNode, JValue};
use crate::check::ids;
use crate::diagnostics::{messages, Diagnostic};
use crate::marathon::fields::{self, Field};
use crate::model::*;
use crate::schema::closest;
use crate::source::{Span, Spanned};
use crate::version::Version;

/// The app fields the model holds (the rest pass through). `container`'s own fields are read one by one.
const MODELLED: &[&str] = &[
    "id",
    "cmd",
    "args",
    "user",
    "env",
    "secrets",
    "labels",
    "instances",
    "cpus",
    "mem",
    "disk",
    "gpus",
    "constraints",
    "acceptedResourceRoles",
    "role",
    "executor",
    "ports",
    "portDefinitions",
    "requirePorts",
    "container",
    "networks",
    "ipAddress",
    "healthChecks",
    "readinessChecks",
    "check",
    "upgradeStrategy",
    "backoffSeconds",
    "backoffFactor",
    "maxLaunchDelaySeconds",
    "taskKillGracePeriodSeconds",
    "unreachableStrategy",
    "killSelection",
    "dependencies",
    "fetch",
    "uris",
    "residency",
    "tty",
    "resourceLimits",
];

/// The container fields the model holds.
const MODELLED_CONTAINER: &[&str] = &["type", "docker", "volumes", "portMappings"];
const MODELLED_DOCKER: &[&str] =
    &["image", "network", "portMappings", "privileged", "parameters", "forcePullImage", "pullConfig"];

/// Which network dialect a file is written in, from the fields that only one of them has.
#[derive(Default)]
pub struct Dialect {
    /// The first legacy network field (`container.docker.network`, `docker.portMappings`, `ipAddress`,
    /// `ports`) and its name.
    pub legacy: Option<(Span, &'static str)>,
    /// The first 1.5 network field (`networks`, `container.portMappings`).
    pub modern: Option<(Span, &'static str)>,
}

pub struct Reader<'d> {
    pub version: Version,
    pub diags: &'d mut Vec<Diagnostic>,
    pub dialect: Dialect,
    /// This reader is the second thread's half of a list: it forks no further.
    pub forked: bool,
}

/// A list of apps or groups this long is read on two threads, half each.
const FORK_AT: usize = 256;

impl Reader<'_> {
    /// Reads each item of a list with `read`; a long list on two threads, the second half on a scoped
    /// thread with its own diagnostics, appended after the first half's (the order one thread gives).
    fn each<N, T>(&mut self, items: &[N], read: impl Fn(&mut Reader, &JNode) -> Option<T> + Sync) -> Vec<T>
    where
        N: std::borrow::Borrow<JNode> + Sync,
        T: Send,
    {
        if self.forked || items.len() < FORK_AT {
            return items.iter().filter_map(|item| read(self, item.borrow())).collect();
        }
        let (first, second) = items.split_at(items.len() / 2);
        let version = self.version;
        let (mut out, (rest, mut diags, dialect)) = std::thread::scope(|scope| {
            let other = scope.spawn(|| {
                let mut diags = Vec::new();
                let mut reader = Reader { version, diags: &mut diags, dialect: Dialect::default(), forked: true };
                let rest: Vec<T> = second.iter().filter_map(|item| read(&mut reader, item.borrow())).collect();
                let dialect = reader.dialect;
                (rest, diags, dialect)
            });
            let out: Vec<T> = first.iter().filter_map(|item| read(self, item.borrow())).collect();
            // The second half panicking is a bug, and it is one here too.
            (out, other.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
        });
        out.extend(rest);
        self.diags.append(&mut diags);
        self.dialect.legacy = self.dialect.legacy.or(dialect.legacy);
        self.dialect.modern = self.dialect.modern.or(dialect.modern);
        out
    }

    /// The apps or group of a file as a group: a group file is its group, apps go into the root group.
    pub fn shape(&mut self, shape: &Shape) -> Group {
        match shape {
            Shape::Group(node) => self.group(node, "/"),
            Shape::App(node) => {
                let mut root = root_group(node.span);
                root.apps.extend(self.app(node, "/"));
                root
            }
            Shape::Apps(nodes) => {
                let mut root = root_group(nodes.first().map_or(Span::default(), |n| n.span));
                let apps = self.each(nodes, |r, app| r.app(app, "/"));
                root.apps.extend(apps);
                root
            }
        }
    }

    fn group(&mut self, node: &JNode, parent: &str) -> Group {
        let (id, name) = match node.get("id") {
            Some(id) => match self.id(id, parent) {
                Some(x) => x,
                None => (parent.to_string(), Spanned::new(String::new(), id.span)),
            },
            None => (parent.to_string(), Spanned::new(String::new(), node.span)),
        };
        let mut group = Group { id, name, ..Group::default() };
        for m in node.members().unwrap_or_default() {
            match m.key.as_str() {
                "id" => {}
                "apps" => {
                    let items = self.list(m);
                    let id = group.id.as_str();
                    let apps = self.each(items, |r, app| r.app(app, id));
                    group.apps.extend(apps);
                }
                "groups" => {
                    let items = self.list(m);
                    let id = group.id.as_str();
                    let groups = self.each(items, |r, child| {
                        if child.is_object() {
                            Some(r.group(child, id))
                        } else {
                            r.wrong_type(child, "a group", "an object");
                            None
                        }
                    });
                    group.groups.extend(groups);
                }
                "dependencies" => group.dependencies = self.dependencies(m, &group.id),
                "pods" if m.value.items().is_some_and(|p| p.is_empty()) => {}
                "pods" => self.diags.push(messages::json_not_checked(m.key_span, "pods")),
                key if GROUP_SERVER_FIELDS.contains(&key) => {}
                _ => self.other_field(m, fields::GROUP, "a group", &mut group.passthrough),
            }
        }
        group
    }

    fn app(&mut self, node: &JNode, group_id: &str) -> Option<App> {
        if !node.is_object() {
            self.wrong_type(node, "an app", "an object");
            return None;
        }
        let Some(id_node) = node.get("id") else {
            self.diags.push(messages::json_missing_field(node.span, "id", "an app"));
            return None;
        };
        let (id, name) = self.id(id_node, group_id)?;
        let mut app = App { id, name, ..App::default() };
        let errors_before = self.errors();
        let mut env_secrets = Vec::new();
        let container = node.get("container");
        // The network mode decides what ports mean, so networks are read before ports.
        self.networks(node, container, &mut app);
        for m in node.members().unwrap_or_default() {
            let v = &m.value;
            match m.key.as_str() {
                "id" | "container" | "networks" | "ipAddress" => {}
                "cmd" => app.cmd = self.string(v, "cmd"),
                // An empty `args` is no `args` (Marathon's rules read it so).
                "args" => app.args = self.strings(v, "args").filter(|a| !a.is_empty()).map(|a| Spanned::new(a, v.span)),
                "user" => app.user = self.string(v, "user"),
                "env" => self.env(v, &mut app, &mut env_secrets),
                "secrets" => self.secrets(v, &mut app),
                "labels" => app.labels = self.entries(v, "labels"),
                "instances" => {
                    app.instances = self.int(v, "instances", 0, i32::MAX as i64).map(|i| i.map(|n| n as u32))
                }
                "cpus" => app.cpus = self.num(v, "cpus"),
                "mem" => app.mem = self.num(v, "mem").map(|n| Spanned::new(n.value.value, n.span)),
                "disk" => app.disk = self.num(v, "disk").map(|n| Spanned::new(n.value.value, n.span)),
                "gpus" => app.gpus = self.int(v, "gpus", 0, i32::MAX as i64).map(|i| i.map(|n| n as u32)),
                "constraints" => app.constraints = self.constraints(v),
                "acceptedResourceRoles" => {
                    app.roles = self.strings(v, "acceptedResourceRoles").map(|r| Spanned::new(r, v.span))
                }
                "role" => app.role = self.string(v, "role"),
                "executor" => app.executor = self.string(v, "executor"),
                "ports" => {
                    self.dialect.legacy.get_or_insert((m.key_span, "ports"));
                    if let Some(items) = self.items(v, "ports") {
                        for p in items {
                            if let Some(n) = self.int(p, "ports", 0, 65535) {
                                app.ports.push(port(n.map(|x| x as u16), p.span));
                            }
                        }
                        if items.is_empty() {
                            app.no_ports = Some(v.span);
                        }
                    }
                }
                "portDefinitions" => self.port_definitions(v, &mut app),
                "requirePorts" => app.require_ports = self.flag(v, "requirePorts"),
                "healthChecks" => {
                    for h in self.items(v, "healthChecks").unwrap_or_default() {
                        if let Some(h) = self.health_check(h) {
                            app.health_checks.push(h);
                        }
                    }
                }
                "readinessChecks" => {
                    let items = self.items(v, "readinessChecks").unwrap_or_default();
                    if let Some(extra) = items.get(1) {
                        self.diags.push(messages::json_bad_value(
                            extra.span,
                            "readinessChecks",
                            "a second readiness check",
                            "at most one readiness check per app",
                        ));
                    }
                    app.readiness = items.first().and_then(|r| self.readiness(r));
                }
                "check" => app.mesos_check = self.mesos_check(v),
                "upgradeStrategy" => app.upgrade = self.upgrade(v),
                "backoffSeconds" | "backoffFactor" | "maxLaunchDelaySeconds" => {
                    let backoff =
                        app.backoff.get_or_insert(Backoff { delay: None, factor: None, max_delay: None, span: v.span });
                    match m.key.as_str() {
                        "backoffSeconds" => backoff.delay = self.seconds(v, "backoffSeconds"),
                        "backoffFactor" => backoff.factor = self.num(v, "backoffFactor"),
                        _ => backoff.max_delay = self.seconds(v, "maxLaunchDelaySeconds"),
                    }
                }
                "taskKillGracePeriodSeconds" => app.kill_grace = self.seconds(v, "taskKillGracePeriodSeconds"),
                "unreachableStrategy" => app.unreachable = self.unreachable(v),
                "killSelection" => {
                    app.kill_selection = self.word(v, "killSelection", &["YOUNGEST_FIRST", "OLDEST_FIRST"])
                }
                "dependencies" => app.dependencies = self.dependencies(m, group_id),
                "fetch" => {
                    for f in self.items(v, "fetch").unwrap_or_default() {
                        if let Some(f) = self.fetch(f) {
                            app.fetch.push(f);
                        }
                    }
                }
                "uris" => {
                    for u in self.items(v, "uris").unwrap_or_default() {
                        if let Some(uri) = self.string(u, "uris") {
                            // Before 0.15 Marathon extracts archives, and only archives.
                            let extract = Fetch::is_archive(&uri.value);
                            app.fetch.push(Fetch {
                                uri,
                                extract,
                                executable: false,
                                cache: false,
                                dest: None,
                                span: u.span,
                            });
                        }
                    }
                }
                "residency" => app.residency = self.residency(v),
                "tty" => app.tty = self.flag(v, "tty"),
                "resourceLimits" => self.limits(v, &mut app),
                key if APP_SERVER_FIELDS.contains(&key) => {}
                _ => self.other_field(m, fields::APP, "an app", &mut app.passthrough),
            }
        }
        if let Some(c) = container {
            self.container(c, &mut app);
        }
        app.incomplete = self.errors() > errors_before;
        // `"env": {"KEY": {"secret": "name"}}` hands a declared secret to the task.
        for (key, name) in env_secrets {
            match app.secrets.iter_mut().find(|s| s.name.value == name.value) {
                Some(secret) if secret.env.is_none() => secret.env = Some(key),
                Some(_) => self
                    .diags
                    .push(messages::json_not_checked(key.span, "a secret handed to a second environment variable")),
                None => {
                    let near = closest(&name.value, app.secrets.iter().map(|s| s.name.value.as_str()));
                    self.diags.push(messages::json_undeclared_secret(name.span, &name.value, near));
                }
            }
        }
        Some(app)
    }

    fn errors(&self) -> usize {
        self.diags.iter().filter(|d| d.is_error()).count()
    }

    // ---- ids and references ----

    /// An id, absolute or relative to the group, and its last segment.
    fn id(&mut self, node: &JNode, parent: &str) -> Option<(String, Spanned<String>)> {
        let written = self.string(node, "id")?;
        let Some(absolute) = ids::resolve(parent, &written.value) else {
            self.diags.push(messages::json_bad_value(node.span, "id", &written.value, "an app or group path"));
            return None;
        };
        let last = absolute.rsplit('/').next().unwrap_or("").to_string();
        if absolute != "/" && !ids::is_valid_segment(&last) {
            let suggestion = ids::suggest_segment(&last);
            let mut d = messages::invalid_id(node.span, &last, suggestion.clone());
            // The fix writes the whole JSON string, the last segment renamed.
            d.fixes.clear();
            if let (Some(s), Some(head)) = (suggestion, written.value.strip_suffix(last.as_str())) {
                d = d.replace_with(node.span, serde_json::Value::String(format!("{head}{s}")).to_string());
            }
            self.diags.push(d);
            return None;
        }
        Some((absolute, Spanned::new(last, written.span)))
    }

    fn dependencies(&mut self, m: &JMember, base: &str) -> Vec<Dependency> {
        let mut out = Vec::new();
        for d in self.items(&m.value, "dependencies").unwrap_or_default() {
            let Some(written) = self.string(d, "dependencies") else { continue };
            match ids::resolve(base, &written.value) {
                Some(absolute) => out.push(Dependency { written, absolute }),
                None => self.diags.push(messages::json_bad_value(
                    d.span,
                    "dependencies",
                    &written.value,
                    "an app or group path",
                )),
            }
        }
        out
    }

    // ---- networks, containers and ports ----

    fn networks(&mut self, node: &JNode, container: Option<&JNode>, app: &mut App) {
        let docker = container.and_then(|c| c.get("docker"));
        let docker_network = docker.and_then(|d| d.member("network"));
        if let Some(m) = docker_network {
            self.dialect.legacy.get_or_insert((m.key_span, "container.docker.network"));
            let mode = self.word(&m.value, "container.docker.network", &["HOST", "BRIDGE", "USER", "NONE"]);
            match mode.as_ref().map(|w| w.value) {
                Some("HOST") => app.networks.push(network(NetworkMode::Host, m.value.span)),
                Some("BRIDGE") => app.networks.push(network(NetworkMode::Bridge, m.value.span)),
                Some("USER") => {
                    let mut n = network(NetworkMode::Container, m.value.span);
                    if let Some(ip) = node.get("ipAddress") {
                        self.ip_address(ip, &mut n);
                    }
                    app.networks.push(n);
                }
                Some(_) => self.diags.push(messages::json_bad_value(
                    m.value.span,
                    "container.docker.network",
                    "NONE",
                    "`HOST`, `BRIDGE` or `USER` (Marathon does not support `NONE`)",
                )),
                None => {}
            }
        } else if let Some(ip) = node.member("ipAddress") {
            // IP-per-task without a docker network: the Mesos containerizer's container network.
            self.dialect.legacy.get_or_insert((ip.key_span, "ipAddress"));
            let mut n = network(NetworkMode::Container, ip.value.span);
            self.ip_address(&ip.value, &mut n);
            app.networks.push(n);
        }
        if let Some(m) = node.member("networks") {
            self.dialect.modern.get_or_insert((m.key_span, "networks"));
            if let Some((legacy, field)) = docker_network
                .map(|d| (d.key_span, "container.docker.network"))
                .or(node.member("ipAddress").map(|i| (i.key_span, "ipAddress")))
            {
                self.diags.push(messages::json_mixed_dialect(m.key_span, legacy, field, "networks"));
                return;
            }
            for n in self.items(&m.value, "networks").unwrap_or_default() {
                let Some(mode) = n
                    .get("mode")
                    .and_then(|mode| self.word(mode, "networks[].mode", &["host", "container/bridge", "container"]))
                else {
                    if n.get("mode").is_none() && n.is_object() {
                        // Marathon's default mode is `container`.
                        let mut net = network(NetworkMode::Container, n.span);
                        self.network_fields(n, &mut net);
                        app.networks.push(net);
                    }
                    continue;
                };
                let mode = match mode.value {
                    "host" => NetworkMode::Host,
                    "container/bridge" => NetworkMode::Bridge,
                    _ => NetworkMode::Container,
                };
                let mut net = network(mode, n.span);
                self.network_fields(n, &mut net);
                app.networks.push(net);
            }
        }
    }

    fn network_fields(&mut self, n: &JNode, net: &mut Network) {
        net.name = n.get("name").and_then(|v| self.string(v, "networks[].name"));
        if let Some(labels) = n.get("labels") {
            net.labels = self.entries(labels, "networks[].labels");
        }
    }

    fn ip_address(&mut self, ip: &JNode, n: &mut Network) {
        n.name = ip.get("networkName").and_then(|v| self.string(v, "ipAddress.networkName"));
        if let Some(g) = ip.get("groups") {
            n.groups = self
                .items(g, "ipAddress.groups")
                .unwrap_or_default()
                .iter()
                .filter_map(|x| self.string(x, "ipAddress.groups"))
                .collect();
        }
        if let Some(l) = ip.get("labels") {
            n.labels = self.entries(l, "ipAddress.labels");
        }
        if let Some(d) = ip.member("discovery") {
            self.diags.push(messages::json_not_checked(d.key_span, "ipAddress.discovery"));
        }
    }

    fn container(&mut self, c: &JNode, app: &mut App) {
        if !c.is_object() {
            self.wrong_type(c, "container", "an object");
            return;
        }
        let kind = c.get("type").and_then(|t| self.word(t, "container.type", &["DOCKER", "MESOS"]));
        let docker = c.get("docker");
        if let Some(d) = docker {
            for m in d.members().unwrap_or_default() {
                let v = &m.value;
                match m.key.as_str() {
                    "image" => app.image = self.string(v, "container.docker.image"),
                    "network" => {}
                    "portMappings" => {
                        self.dialect.legacy.get_or_insert((m.key_span, "container.docker.portMappings"));
                        self.port_mappings(v, app);
                    }
                    "privileged" => app.privileged = self.flag(v, "container.docker.privileged"),
                    "forcePullImage" => app.force_pull = self.flag(v, "container.docker.forcePullImage"),
                    "parameters" => {
                        for p in self.items(v, "container.docker.parameters").unwrap_or_default() {
                            let key = p.get("key").and_then(|k| self.string(k, "parameters[].key"));
                            let value = p.get("value").and_then(|k| self.string(k, "parameters[].value"));
                            if let (Some(key), Some(value)) = (key, value) {
                                app.docker_params.push(Entry { key, value });
                            }
                        }
                    }
                    "pullConfig" => app.pull_secret = v.get("secret").and_then(|s| self.string(s, "pullConfig.secret")),
                    _ => self.container_field(m, "container.docker.", &mut app.passthrough),
                }
            }
        }
        if let (Some(k), Some(_)) = (&kind, docker) {
            if k.value == "MESOS" {
                app.mesos_containerizer = Some(k.span);
            }
        }
        for m in c.members().unwrap_or_default() {
            match m.key.as_str() {
                "type" | "docker" => {}
                "volumes" => {
                    for v in self.items(&m.value, "container.volumes").unwrap_or_default() {
                        if let Some(v) = self.volume(v) {
                            app.volumes.push(v);
                        }
                    }
                }
                "portMappings" => {
                    self.dialect.modern.get_or_insert((m.key_span, "container.portMappings"));
                    self.port_mappings(&m.value, app);
                }
                _ => self.container_field(m, "container.", &mut app.passthrough),
            }
        }
    }

    fn port_definitions(&mut self, v: &JNode, app: &mut App) {
        let Some(items) = self.items(v, "portDefinitions") else { return };
        if items.is_empty() {
            app.no_ports = Some(v.span);
        }
        for p in items {
            let Some(n) = p.get("port").and_then(|n| self.int(n, "portDefinitions[].port", 0, 65535)) else {
                if p.get("port").is_none() {
                    self.diags.push(messages::json_missing_field(p.span, "port", "a port definition"));
                }
                continue;
            };
            let mut port = port(n.map(|x| x as u16), p.span);
            self.port_common(p, &mut port, "portDefinitions[]");
            app.ports.push(port);
        }
    }

    fn port_mappings(&mut self, v: &JNode, app: &mut App) {
        let Some(items) = self.items(v, "portMappings") else { return };
        if items.is_empty() {
            app.no_ports = Some(v.span);
        }
        for p in items {
            // `containerPort` defaults to 0.
            let number = match p.get("containerPort") {
                Some(n) => self.int(n, "portMappings[].containerPort", 0, 65535).map(|n| n.map(|x| x as u16)),
                None => Some(Spanned::new(0, p.span)),
            };
            let Some(number) = number else { continue };
            let mut port = port(number, p.span);
            port.host = p
                .get("hostPort")
                .and_then(|h| self.int(h, "portMappings[].hostPort", 0, 65535))
                .map(|h| h.map(|x| x as u16));
            port.service = p
                .get("servicePort")
                .and_then(|h| self.int(h, "portMappings[].servicePort", 0, 65535))
                .map(|h| h.map(|x| x as u16));
            if let Some(names) = p.get("networkNames") {
                port.networks = self
                    .items(names, "portMappings[].networkNames")
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|n| self.string(n, "networkNames"))
                    .collect();
            }
            self.port_common(p, &mut port, "portMappings[]");
            app.ports.push(port);
        }
    }

    /// A port's protocol, name and labels (`VIP_0` is its `vip`).
    fn port_common(&mut self, p: &JNode, port: &mut Port, at: &str) {
        if let Some(proto) = p.get("protocol") {
            if let Some(w) = self.word(proto, &format!("{at}.protocol"), &["tcp", "udp", "udp,tcp", "tcp,udp"]) {
                let protocol = match w.value {
                    "tcp" => Protocol::Tcp,
                    "udp" => Protocol::Udp,
                    _ => Protocol::UdpTcp,
                };
                port.protocol = Spanned::new(protocol, w.span);
                port.protocol_written = true;
            }
        }
        port.name = p.get("name").and_then(|n| self.string(n, &format!("{at}.name")));
        if let Some(labels) = p.get("labels") {
            for e in self.entries(labels, &format!("{at}.labels")) {
                if e.key.value == "VIP_0" && port.vip.is_none() {
                    port.vip = Some(e.value);
                } else {
                    port.labels.push(e);
                }
            }
        }
    }

    fn volume(&mut self, v: &JNode) -> Option<Volume> {
        if !v.is_object() {
            self.wrong_type(v, "container.volumes[]", "an object");
            return None;
        }
        let container_path = match v.get("containerPath") {
            Some(p) => self.string(p, "containerPath")?,
            None => {
                self.diags.push(messages::json_missing_field(v.span, "containerPath", "a volume"));
                return None;
            }
        };
        let mode = v.get("mode").and_then(|m| self.word(m, "mode", &["RW", "RO"]));
        let mut volume = Volume {
            container_path,
            host_path: v.get("hostPath").and_then(|h| self.string(h, "hostPath")),
            read_write: mode.as_ref().is_some_and(|m| m.value == "RW"),
            persistent: None,
            external: None,
            secret: v.get("secret").and_then(|s| self.string(s, "secret")),
            span: v.span,
        };
        if let Some(p) = v.get("persistent") {
            let size = p.get("size").and_then(|s| self.num(s, "persistent.size"));
            let path_like = p.get("constraints").and_then(|c| {
                let c = self.items(c, "persistent.constraints")?;
                let first = c.first()?;
                let parts = self.strings(first, "persistent.constraints[]")?;
                match parts.as_slice() {
                    [field, op, regex] if field == "path" && op == "LIKE" => {
                        Some(Spanned::new(regex.clone(), first.span))
                    }
                    _ => {
                        self.diags.push(messages::json_not_checked(
                            first.span,
                            "a persistent volume constraint other than [\"path\", \"LIKE\", …]",
                        ));
                        None
                    }
                }
            });
            volume.persistent = Some(PersistentVolume {
                size: size.map_or(Spanned::new(0.0, p.span), |s| Spanned::new(s.value.value, s.span)),
                kind: p.get("type").and_then(|t| self.string(t, "persistent.type")),
                max_size: p
                    .get("maxSize")
                    .and_then(|s| self.num(s, "persistent.maxSize"))
                    .map(|s| Spanned::new(s.value.value, s.span)),
                profile: p.get("profileName").and_then(|s| self.string(s, "persistent.profileName")),
                path_like,
            });
        }
        if let Some(e) = v.get("external") {
            let name = e
                .get("name")
                .and_then(|n| self.string(n, "external.name"))
                .unwrap_or_else(|| Spanned::new(String::new(), e.span));
            let options = e.get("options").map(|o| self.entries(o, "external.options")).unwrap_or_default();
            volume.external = Some(ExternalVolume {
                name,
                provider: e.get("provider").and_then(|p| self.string(p, "external.provider")),
                options,
                // GiB in JSON, MiB in the model.
                size: e
                    .get("size")
                    .and_then(|s| self.num(s, "external.size"))
                    .map(|s| Spanned::new(s.value.value * 1024.0, s.span)),
            });
        }
        Some(volume)
    }

    // ---- env and secrets ----

    fn env(&mut self, v: &JNode, app: &mut App, secrets: &mut Vec<(Spanned<String>, Spanned<String>)>) {
        let Some(members) = self.object(v, "env") else { return };
        for m in members {
            match &m.value.value {
                JValue::Obj(_) => {
                    let Some(secret) = m.value.get("secret").and_then(|s| self.string(s, "env secret")) else {
                        continue;
                    };
                    secrets.push((Spanned::new(m.key.clone(), m.key_span), secret));
                }
                _ => {
                    if let Some(value) = self.scalar(&m.value, "env") {
                        app.env.push(Entry { key: Spanned::new(m.key.clone(), m.key_span), value });
                    }
                }
            }
        }
    }

    fn secrets(&mut self, v: &JNode, app: &mut App) {
        let Some(members) = self.object(v, "secrets") else { return };
        for m in members {
            let Some(source) = m.value.get("source").and_then(|s| self.string(s, "secrets.source")) else {
                self.diags.push(messages::json_missing_field(m.value.span, "source", "a secret"));
                continue;
            };
            app.secrets.push(Secret {
                name: Spanned::new(m.key.clone(), m.key_span),
                source,
                env: None,
                span: m.value.span,
            });
        }
    }

    // ---- checks ----

    fn health_check(&mut self, h: &JNode) -> Option<HealthCheck> {
        if !h.is_object() {
            self.wrong_type(h, "healthChecks[]", "an object");
            return None;
        }
        let words = &["HTTP", "HTTPS", "TCP", "COMMAND", "MESOS_HTTP", "MESOS_HTTPS", "MESOS_TCP"];
        let protocol = match h.get("protocol") {
            Some(p) => self.word(p, "healthChecks[].protocol", words)?,
            // Marathon's default.
            None => Spanned::new("HTTP", h.span),
        };
        let protocol = Spanned::new(
            match protocol.value {
                "HTTP" => HealthProtocol::Http,
                "HTTPS" => HealthProtocol::Https,
                "TCP" => HealthProtocol::Tcp,
                "COMMAND" => HealthProtocol::Command,
                "MESOS_HTTP" => HealthProtocol::MesosHttp,
                "MESOS_HTTPS" => HealthProtocol::MesosHttps,
                _ => HealthProtocol::MesosTcp,
            },
            protocol.span,
        );
        let u32_of = |s: Spanned<i64>| s.map(|n| n as u32);
        Some(HealthCheck {
            protocol,
            path: h.get("path").and_then(|p| self.string(p, "healthChecks[].path")),
            command: h
                .get("command")
                .and_then(|c| c.get("value"))
                .and_then(|c| self.string(c, "healthChecks[].command.value")),
            port_index: h.get("portIndex").and_then(|p| self.int(p, "portIndex", 0, 65535)).map(u32_of),
            port: h.get("port").and_then(|p| self.int(p, "port", 0, 65535)).map(|p| p.map(|n| n as u16)),
            grace: h.get("gracePeriodSeconds").and_then(|s| self.seconds(s, "gracePeriodSeconds")),
            interval: h.get("intervalSeconds").and_then(|s| self.seconds(s, "intervalSeconds")),
            timeout: h.get("timeoutSeconds").and_then(|s| self.seconds(s, "timeoutSeconds")),
            max_failures: h
                .get("maxConsecutiveFailures")
                .and_then(|p| self.int(p, "maxConsecutiveFailures", 0, i32::MAX as i64))
                .map(u32_of),
            delay: h.get("delaySeconds").and_then(|s| self.seconds(s, "delaySeconds")),
            ignore_1xx: h.get("ignoreHttp1xx").and_then(|b| self.flag(b, "ignoreHttp1xx")),
            ip_protocol: h.get("ipProtocol").and_then(|p| self.word(p, "ipProtocol", &["IPv4", "IPv6"])),
            span: h.span,
        })
    }

    fn readiness(&mut self, r: &JNode) -> Option<Readiness> {
        if !r.is_object() {
            self.wrong_type(r, "readinessChecks[]", "an object");
            return None;
        }
        let protocol = match r.get("protocol") {
            Some(p) => self.word(p, "readinessChecks[].protocol", &["HTTP", "HTTPS"])?,
            None => Spanned::new("HTTP", r.span),
        };
        let statuses = match r.get("httpStatusCodesForReady") {
            Some(s) => self
                .items(s, "httpStatusCodesForReady")
                .unwrap_or_default()
                .iter()
                .filter_map(|c| self.int(c, "httpStatusCodesForReady", i32::MIN as i64, i32::MAX as i64))
                .collect(),
            None => Vec::new(),
        };
        Some(Readiness {
            name: r.get("name").and_then(|n| self.string(n, "readinessChecks[].name")),
            protocol,
            path: r.get("path").and_then(|p| self.string(p, "readinessChecks[].path")),
            port_name: r.get("portName").and_then(|p| self.string(p, "readinessChecks[].portName")),
            interval: r.get("intervalSeconds").and_then(|s| self.seconds(s, "intervalSeconds")),
            timeout: r.get("timeoutSeconds").and_then(|s| self.seconds(s, "timeoutSeconds")),
            statuses,
            preserve_last_response: r.get("preserveLastResponse").and_then(|b| self.flag(b, "preserveLastResponse")),
            span: r.span,
        })
    }

    fn mesos_check(&mut self, c: &JNode) -> Option<MesosCheck> {
        if !c.is_object() {
            self.wrong_type(c, "check", "an object");
            return None;
        }
        let (kind, port_index, path) = if let Some(http) = c.member("http") {
            let kind = Spanned::new(CheckKind::Http, http.key_span);
            (kind, http.value.get("portIndex"), http.value.get("path").and_then(|p| self.string(p, "check.http.path")))
        } else if let Some(tcp) = c.member("tcp") {
            (Spanned::new(CheckKind::Tcp, tcp.key_span), tcp.value.get("portIndex"), None)
        } else if let Some(exec) = c.member("exec") {
            let shell = exec
                .value
                .get("command")
                .and_then(|c| c.get("shell"))
                .and_then(|s| self.string(s, "check.exec.command.shell"));
            let Some(shell) = shell else {
                self.diags.push(messages::json_missing_field(exec.value.span, "command.shell", "a command check"));
                return None;
            };
            (Spanned::new(CheckKind::Command(shell), exec.key_span), None, None)
        } else {
            self.diags.push(messages::json_missing_field(c.span, "http, tcp or exec", "a check"));
            return None;
        };
        Some(MesosCheck {
            kind,
            port_index: port_index.and_then(|p| self.int(p, "portIndex", 0, 65535)).map(|p| p.map(|n| n as u32)),
            path,
            interval: c.get("intervalSeconds").and_then(|s| self.seconds(s, "intervalSeconds")),
            timeout: c.get("timeoutSeconds").and_then(|s| self.seconds(s, "timeoutSeconds")),
            delay: c.get("delaySeconds").and_then(|s| self.seconds(s, "delaySeconds")),
            span: c.span,
        })
    }

    // ---- strategies ----

    fn upgrade(&mut self, u: &JNode) -> Option<Upgrade> {
        self.object(u, "upgradeStrategy")?;
        let fraction = |r: &mut Self, key: &str| {
            u.get(key).and_then(|f| r.num(f, key)).map(|n| Spanned::new(n.value.value, n.span))
        };
        Some(Upgrade {
            min_health: fraction(self, "minimumHealthCapacity"),
            max_over: fraction(self, "maximumOverCapacity"),
            span: u.span,
        })
    }

    fn unreachable(&mut self, u: &JNode) -> Option<Unreachable> {
        if let Some(word) = u.as_str() {
            if word == "disabled" {
                return Some(Unreachable { disabled: true, inactive_after: None, expunge_after: None, span: u.span });
            }
            self.diags.push(messages::json_bad_value(
                u.span,
                "unreachableStrategy",
                word,
                "`\"disabled\"` or an object",
            ));
            return None;
        }
        self.object(u, "unreachableStrategy")?;
        Some(Unreachable {
            disabled: false,
            inactive_after: u.get("inactiveAfterSeconds").and_then(|s| self.seconds(s, "inactiveAfterSeconds")),
            expunge_after: u.get("expungeAfterSeconds").and_then(|s| self.seconds(s, "expungeAfterSeconds")),
            span: u.span,
        })
    }

    fn residency(&mut self, r: &JNode) -> Option<Residency> {
        self.object(r, "residency")?;
        Some(Residency {
            relaunch_escalation: r
                .get("relaunchEscalationTimeoutSeconds")
                .and_then(|s| self.seconds(s, "relaunchEscalationTimeoutSeconds")),
            task_lost: r
                .get("taskLostBehavior")
                .and_then(|t| self.word(t, "taskLostBehavior", &["WAIT_FOREVER", "RELAUNCH_AFTER_TIMEOUT"])),
            span: r.span,
        })
    }

    fn limits(&mut self, v: &JNode, app: &mut App) {
        if self.object(v, "resourceLimits").is_none() {
            return;
        }
        for (key, slot) in [("cpus", &mut app.limit_cpus), ("mem", &mut app.limit_mem)] {
            let Some(l) = v.get(key) else { continue };
            let value = match &l.value {
                JValue::Str(s) if s == "unlimited" => LimitValue::Unlimited,
                JValue::Num(n) => match n.as_f64() {
                    Some(x) => LimitValue::Amount(Num { value: x, integer: n.is_integer() }),
                    None => continue,
                },
                _ => {
                    self.diags.push(messages::json_bad_value(
                        l.span,
                        &format!("resourceLimits.{key}"),
                        &snippet(l),
                        "a number or \"unlimited\"",
                    ));
                    continue;
                }
            };
            *slot = Some(Limit { value: Spanned::new(value, l.span), span: l.span });
        }
    }

    fn fetch(&mut self, f: &JNode) -> Option<Fetch> {
        self.object(f, "fetch[]")?;
        let uri = match f.get("uri") {
            Some(u) => self.string(u, "fetch[].uri")?,
            None => {
                self.diags.push(messages::json_missing_field(f.span, "uri", "a fetch entry"));
                return None;
            }
        };
        let flag = |r: &mut Self, key: &str, default: bool| match f.get(key) {
            None => default,
            Some(b) => match b.as_bool() {
                Some(x) => x,
                None => {
                    r.wrong_type(b, key, "a boolean");
                    default
                }
            },
        };
        Some(Fetch {
            uri,
            extract: flag(self, "extract", true),
            executable: flag(self, "executable", false),
            cache: flag(self, "cache", false),
            dest: f.get("destPath").or(f.get("outputFile")).and_then(|d| self.string(d, "fetch[].destPath")),
            span: f.span,
        })
    }

    fn constraints(&mut self, v: &JNode) -> Vec<Constraint> {
        let mut out = Vec::new();
        for c in self.items(v, "constraints").unwrap_or_default() {
            let Some(parts) = self.items(c, "constraints[]") else { continue };
            let texts: Vec<Spanned<String>> = parts.iter().filter_map(|p| self.scalar(p, "constraints[]")).collect();
            if texts.len() != parts.len() {
                continue;
            }
            let (field, op, value) = match texts.as_slice() {
                [f, o] => (f, o, None),
                [f, o, v] => (f, o, Some(v.clone())),
                _ => {
                    self.diags.push(messages::json_bad_value(
                        c.span,
                        "constraints[]",
                        &snippet(c),
                        "[field, OPERATOR] or [field, OPERATOR, value]",
                    ));
                    continue;
                }
            };
            let operator = match op.value.to_ascii_uppercase().as_str() {
                "UNIQUE" => Operator::Unique,
                "CLUSTER" => Operator::Cluster,
                "GROUP_BY" => Operator::GroupBy,
                "LIKE" => Operator::Like,
                "UNLIKE" => Operator::Unlike,
                "MAX_PER" => Operator::MaxPer,
                "IS" => Operator::Is,
                _ => {
                    let words = ["UNIQUE", "CLUSTER", "GROUP_BY", "LIKE", "UNLIKE", "MAX_PER", "IS"];
                    let near = closest(&op.value, words);
                    self.diags.push(messages::json_unknown_word(op.span, "constraints[]", &op.value, near, &words));
                    continue;
                }
            };
            out.push(Constraint {
                field: field.clone(),
                operator: Spanned::new(operator, op.span),
                value,
                span: c.span,
            });
        }
        out
    }

    // ---- fields the model does not hold ----

    /// A field of an app or group the model does not hold: known to the table, it passes through (the
    /// checks compare it with the target version); unknown, it is a warning with "did you mean".
    fn other_field(&mut self, m: &JMember, table: &'static [Field], what: &str, into: &mut Vec<Passthrough>) {
        match fields::field(table, &m.key) {
            Some(_) => into.push(passthrough(m, &m.key)),
            None => {
                let names = table.iter().map(|f| f.name).chain(
                    if table.as_ptr() == fields::APP.as_ptr() { APP_SERVER_FIELDS } else { GROUP_SERVER_FIELDS }
                        .iter()
                        .copied(),
                );
                let near = closest(&m.key, names);
                self.diags.push(messages::json_unknown_field(m.key_span, &m.key, what, near));
            }
        }
    }

    fn container_field(&mut self, m: &JMember, prefix: &str, into: &mut Vec<Passthrough>) {
        let table = if prefix == "container." { container_fields() } else { docker_fields() };
        let modelled = if prefix == "container." { MODELLED_CONTAINER } else { MODELLED_DOCKER };
        debug_assert!(!modelled.contains(&m.key.as_str()));
        match fields::field(table, &m.key) {
            Some(_) => into.push(passthrough(m, &format!("{prefix}{}", m.key))),
            None => {
                let near = closest(&m.key, table.iter().map(|f| f.name));
                let what = if prefix == "container." { "a container" } else { "a Docker container" };
                self.diags.push(messages::json_unknown_field(m.key_span, &m.key, what, near));
            }
        }
    }

    // ---- typed values ----

    fn wrong_type(&mut self, v: &JNode, field: &str, expected: &str) {
        self.diags.push(messages::json_wrong_type(v.span, field, expected, v.value.kind()));
    }

    fn string(&mut self, v: &JNode, field: &str) -> Option<Spanned<String>> {
        match &v.value {
            JValue::Str(s) => Some(Spanned::new(s.clone(), v.span)),
            _ => {
                self.wrong_type(v, field, "a string");
                None
            }
        }
    }

    /// A string, or a number or boolean Marathon reads as its text (env and label values, constraint parts).
    fn scalar(&mut self, v: &JNode, field: &str) -> Option<Spanned<String>> {
        match &v.value {
            JValue::Str(s) => Some(Spanned::new(s.clone(), v.span)),
            JValue::Num(n) => Some(Spanned::new(n.text().to_string(), v.span)),
            JValue::Bool(b) => Some(Spanned::new(b.to_string(), v.span)),
            _ => {
                self.wrong_type(v, field, "a string");
                None
            }
        }
    }

    fn strings(&mut self, v: &JNode, field: &str) -> Option<Vec<String>> {
        let items = self.items(v, field)?;
        Some(items.iter().filter_map(|i| self.string(i, field)).map(|s| s.value).collect())
    }

    fn items<'n>(&mut self, v: &'n JNode, field: &str) -> Option<&'n [JNode]> {
        match &v.value {
            JValue::Arr(items) => Some(items),
            _ => {
                self.wrong_type(v, field, "an array");
                None
            }
        }
    }

    fn list<'n>(&mut self, m: &'n JMember) -> &'n [JNode] {
        self.items(&m.value, &m.key).unwrap_or_default()
    }

    fn object<'n>(&mut self, v: &'n JNode, field: &str) -> Option<&'n [JMember]> {
        match &v.value {
            JValue::Obj(m) => Some(m),
            _ => {
                self.wrong_type(v, field, "an object");
                None
            }
        }
    }

    fn entries(&mut self, v: &JNode, field: &str) -> Vec<Entry> {
        let Some(members) = self.object(v, field) else { return Vec::new() };
        members
            .iter()
            .filter_map(|m| {
                let value = self.scalar(&m.value, field)?;
                Some(Entry { key: Spanned::new(m.key.clone(), m.key_span), value })
            })
            .collect()
    }

    /// `true` as a flag's span; `false` is the same as leaving it out.
    fn flag(&mut self, v: &JNode, field: &str) -> Option<Span> {
        match v.value {
            JValue::Bool(true) => Some(v.span),
            JValue::Bool(false) => None,
            _ => {
                self.wrong_type(v, field, "a boolean");
                None
            }
        }
    }

    fn num(&mut self, v: &JNode, field: &str) -> Option<Spanned<Num>> {
        match &v.value {
            JValue::Num(n) => {
                let value = n.as_f64()?;
                Some(Spanned::new(Num { value: value + 0.0, integer: n.is_integer() }, v.span))
            }
            _ => {
                self.wrong_type(v, field, "a number");
                None
            }
        }
    }

    fn int(&mut self, v: &JNode, field: &str, min: i64, max: i64) -> Option<Spanned<i64>> {
        let JValue::Num(n) = &v.value else {
            self.wrong_type(v, field, "an integer");
            return None;
        };
        match n.as_i64() {
            Some(i) if (min..=max).contains(&i) => Some(Spanned::new(i, v.span)),
            _ => {
                let range = format!("an integer from {min} to {max}");
                self.diags.push(messages::json_bad_value(v.span, field, n.text(), &range));
                None
            }
        }
    }

    fn seconds(&mut self, v: &JNode, field: &str) -> Option<Spanned<u64>> {
        self.int(v, field, 0, i32::MAX as i64).map(|s| s.map(|n| n as u64))
    }

    fn word(&mut self, v: &JNode, field: &str, words: &[&'static str]) -> Option<Spanned<&'static str>> {
        let s = self.string(v, field)?;
        match words.iter().find(|w| **w == s.value) {
            Some(w) => Some(Spanned::new(*w, s.span)),
            None => {
                let near = closest(&s.value, words.iter().copied());
                self.diags.push(messages::json_unknown_word(s.span, field, &s.value, near, words));
                None
            }
        }
    }
}

fn root_group(span: Span) -> Group {
    Group { id: "/".into(), name: Spanned::new(String::new(), span), ..Group::default() }
}

fn network(mode: NetworkMode, span: Span) -> Network {
    Network { mode, name: None, labels: Vec::new(), groups: Vec::new(), span }
}

fn port(number: Spanned<u16>, span: Span) -> Port {
    Port::plain(number, span)
}

fn container_fields() -> &'static [Field] {
    fields::field(fields::APP, "container").and_then(|f| fields::members(&f.ty)).unwrap_or_default()
}

fn docker_fields() -> &'static [Field] {
    fields::field(container_fields(), "docker").and_then(|f| fields::members(&f.ty)).unwrap_or_default()
}

fn passthrough(m: &JMember, path: &str) -> Passthrough {
    Passthrough {
        path: Spanned::new(path.to_string(), m.key_span),
        value: Spanned::new(json(&m.value), m.value.span),
        span: m.key_span.to(m.value.span),
    }
}

fn json(v: &JNode) -> Json {
    match &v.value {
        JValue::Null => Json::Null,
        JValue::Bool(b) => Json::Bool(*b),
        JValue::Num(n) => Json::Num(Num { value: n.as_f64().unwrap_or(0.0), integer: n.is_integer() }),
        JValue::Str(s) => Json::Str(s.clone()),
        JValue::Arr(items) => Json::List(items.iter().map(json).collect()),
        JValue::Obj(members) => Json::Obj(members.iter().map(|m| (m.key.clone(), json(&m.value))).collect()),
    }
}

/// A short rendering of a value for messages.
fn snippet(v: &JNode) -> String {
    match &v.value {
        JValue::Str(s) => format!("\"{s}\""),
        JValue::Num(n) => n.text().to_string(),
        other => other.kind().to_string(),
    }
}

/// Whether the model holds this app field (the rest pass through).
pub fn is_modelled(field: &str) -> bool {
    MODELLED.contains(&field)
}

/// A file in one network dialect checked for a version of the other is a warning (REFERENCE.md §3.2: 1.5+
/// translates the legacy fields; before 1.5 the 1.5 fields are not read).
pub fn dialect_warnings(dialect: &Dialect, version: Version, diags: &mut Vec<Diagnostic>) {
    match (dialect.legacy, dialect.modern, version.is_legacy()) {
        (Some((span, field)), None, false) => diags.push(messages::json_dialect(span, field, true, version)),
        (None, Some((span, field)), true) => diags.push(messages::json_dialect(span, field, false, version)),
        _ => {}
    }
}
