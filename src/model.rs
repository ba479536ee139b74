//! The checked cluster: plain data the emitter and the cluster-wide checks read. Every field the user
//! wrote keeps its span. Invariant: ids are absolute and valid, values are within Marathon's ranges,
//! and every `Option` is `Some` exactly when the source declared it (the emitter writes only those).

use crate::source::{Span, Spanned};

/// Pushes onto one of an app's lists, which mostly hold one or a few items: the first push allocates room
/// for one, not the four `Vec` starts with (a large cluster holds tens of thousands of these lists).
pub fn push_lean<T>(list: &mut Vec<T>, item: T) {
    if list.capacity() == 0 {
        list.reserve_exact(1);
    }
    list.push(item);
}

#[derive(Clone, Debug)]
pub struct Cluster {
    pub root: Group,
}

#[derive(Clone, Debug, Default)]
pub struct Group {
    /// Absolute id: `/`, `/ctrlpkw`, `/ctrlpkw/db`.
    pub id: String,
    /// The name as written (`db`); the whole statement for the implicit root group.
    pub name: Spanned<String>,
    pub apps: Vec<App>,
    pub groups: Vec<Group>,
    pub dependencies: Vec<Dependency>,
    /// Marathon group fields pkw has no directive for (`marathon FIELD …` in the group).
    pub passthrough: Vec<Passthrough>,
    /// `external PATH…`: apps and groups deployed from elsewhere, absolute (`depends-on`, `dns()` may name
    /// them and anything under them).
    pub externals: Vec<Dependency>,
}

/// A `depends-on` path as written, and what it resolves to.
#[derive(Clone, Debug)]
pub struct Dependency {
    pub written: Spanned<String>,
    pub absolute: String,
}

/// A number that remembers whether it was written as an integer, so `cpus 4` stays `4` in JSON.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Num {
    pub value: f64,
    pub integer: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetworkMode {
    Host,
    Bridge,
    Container,
}

#[derive(Clone, Debug)]
pub struct Network {
    pub mode: NetworkMode,
    /// The named container network.
    pub name: Option<Spanned<String>>,
    /// `networks[].labels` (1.5+) or `ipAddress.labels` (up to 1.4).
    pub labels: Vec<Entry>,
    /// `ipAddress.groups` (up to 1.4).
    pub groups: Vec<Spanned<String>>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Protocol {
    Tcp,
    Udp,
    UdpTcp,
}

impl Protocol {
    pub fn marathon(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::UdpTcp => "udp,tcp",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Port {
    /// Host networking: the host (or service) port. Bridge and container networking: the container port.
    pub number: Spanned<u16>,
    pub protocol: Spanned<Protocol>,
    /// Whether the protocol was written (`53/udp`) rather than defaulted.
    pub protocol_written: bool,
    pub name: Option<Spanned<String>>,
    pub host: Option<Spanned<u16>>,
    pub service: Option<Spanned<u16>>,
    /// `vip "/web:80"`: the DC/OS virtual address (the port's `VIP_0` label).
    pub vip: Option<Spanned<String>>,
    /// The port's other labels.
    pub labels: Vec<Entry>,
    /// `networkNames`: the container networks a mapping's host port is on.
    pub networks: Vec<Spanned<String>>,
    /// The whole `port`/`ports` statement.
    pub statement: Span,
}

impl Port {
    /// A tcp port with nothing else said: no name, host or service port, labels or networks.
    pub fn plain(number: Spanned<u16>, statement: Span) -> Port {
        Port {
            number,
            protocol: Spanned::new(Protocol::Tcp, statement),
            protocol_written: false,
            name: None,
            host: None,
            service: None,
            vip: None,
            labels: Vec::new(),
            networks: Vec::new(),
            statement,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operator {
    Unique,
    Cluster,
    GroupBy,
    Like,
    Unlike,
    MaxPer,
    Is,
}

impl Operator {
    pub fn from_word(word: &str) -> Option<Operator> {
        Some(match word {
            "unique" => Operator::Unique,
            "cluster" => Operator::Cluster,
            "group-by" => Operator::GroupBy,
            "like" => Operator::Like,
            "unlike" => Operator::Unlike,
            "max-per" => Operator::MaxPer,
            "is" => Operator::Is,
            _ => return None,
        })
    }

    pub fn marathon(self) -> &'static str {
        match self {
            Operator::Unique => "UNIQUE",
            Operator::Cluster => "CLUSTER",
            Operator::GroupBy => "GROUP_BY",
            Operator::Like => "LIKE",
            Operator::Unlike => "UNLIKE",
            Operator::MaxPer => "MAX_PER",
            Operator::Is => "IS",
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Operator::Unique => "unique",
            Operator::Cluster => "cluster",
            Operator::GroupBy => "group-by",
            Operator::Like => "like",
            Operator::Unlike => "unlike",
            Operator::MaxPer => "max-per",
            Operator::Is => "is",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Constraint {
    pub field: Spanned<String>,
    pub operator: Spanned<Operator>,
    pub value: Option<Spanned<String>>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HealthProtocol {
    Http,
    Https,
    Tcp,
    Command,
    MesosHttp,
    MesosHttps,
    MesosTcp,
}

impl HealthProtocol {
    pub fn from_word(word: &str) -> Option<HealthProtocol> {
        Some(match word {
            "http" => HealthProtocol::Http,
            "https" => HealthProtocol::Https,
            "tcp" => HealthProtocol::Tcp,
            "command" => HealthProtocol::Command,
            "mesos-http" => HealthProtocol::MesosHttp,
            "mesos-https" => HealthProtocol::MesosHttps,
            "mesos-tcp" => HealthProtocol::MesosTcp,
            _ => return None,
        })
    }

    pub fn marathon(self) -> &'static str {
        match self {
            HealthProtocol::Http => "HTTP",
            HealthProtocol::Https => "HTTPS",
            HealthProtocol::Tcp => "TCP",
            HealthProtocol::Command => "COMMAND",
            HealthProtocol::MesosHttp => "MESOS_HTTP",
            HealthProtocol::MesosHttps => "MESOS_HTTPS",
            HealthProtocol::MesosTcp => "MESOS_TCP",
        }
    }

    pub fn is_mesos(self) -> bool {
        matches!(self, HealthProtocol::MesosHttp | HealthProtocol::MesosHttps | HealthProtocol::MesosTcp)
    }

    pub fn is_http(self) -> bool {
        matches!(
            self,
            HealthProtocol::Http | HealthProtocol::Https | HealthProtocol::MesosHttp | HealthProtocol::MesosHttps
        )
    }
}

#[derive(Clone, Debug)]
pub struct HealthCheck {
    pub protocol: Spanned<HealthProtocol>,
    pub path: Option<Spanned<String>>,
    pub command: Option<Spanned<String>>,
    pub port_index: Option<Spanned<u32>>,
    pub port: Option<Spanned<u16>>,
    pub grace: Option<Spanned<u64>>,
    pub interval: Option<Spanned<u64>>,
    pub timeout: Option<Spanned<u64>>,
    pub max_failures: Option<Spanned<u32>>,
    pub delay: Option<Spanned<u64>>,
    pub ignore_1xx: Option<Span>,
    /// `IPv4` or `IPv6`.
    pub ip_protocol: Option<Spanned<&'static str>>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Upgrade {
    pub min_health: Option<Spanned<f64>>,
    pub max_over: Option<Spanned<f64>>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Backoff {
    pub delay: Option<Spanned<u64>>,
    pub factor: Option<Spanned<Num>>,
    pub max_delay: Option<Spanned<u64>>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Fetch {
    pub uri: Spanned<String>,
    pub extract: bool,
    pub executable: bool,
    pub cache: bool,
    pub dest: Option<Spanned<String>>,
    pub span: Span,
}

impl Fetch {
    /// The extensions Marathon before 0.15 extracts (its `uris` handling).
    pub fn is_archive(uri: &str) -> bool {
        let path = uri.split(['?', '#']).next().unwrap_or(uri).to_ascii_lowercase();
        [".tgz", ".tar.gz", ".tbz2", ".tar.bz2", ".txz", ".tar.xz", ".zip"].iter().any(|e| path.ends_with(e))
    }
}

#[derive(Clone, Debug)]
pub struct Volume {
    pub container_path: Spanned<String>,
    /// A host volume's host path (absent: the container path).
    pub host_path: Option<Spanned<String>>,
    pub read_write: bool,
    /// `persistent-volume`: a local persistent volume (read-write, no host path).
    pub persistent: Option<PersistentVolume>,
    /// `external-volume`: a volume from a storage provider.
    pub external: Option<ExternalVolume>,
    /// `secret … path FILE`: the secret's value as a file (`volumes[].secret`).
    pub secret: Option<Spanned<String>>,
    pub span: Span,
}

impl Volume {
    /// A host volume: neither persistent, external nor a secret.
    pub fn is_host(&self) -> bool {
        self.persistent.is_none() && self.external.is_none() && self.secret.is_none()
    }
}

#[derive(Clone, Debug)]
pub struct PersistentVolume {
    /// MiB.
    pub size: Spanned<f64>,
    pub kind: Option<Spanned<String>>,
    /// MiB.
    pub max_size: Option<Spanned<f64>>,
    /// `profileName` (1.5+).
    pub profile: Option<Spanned<String>>,
    /// `path-like REGEX`: `constraints: [["path", "LIKE", REGEX]]`.
    pub path_like: Option<Spanned<String>>,
}

#[derive(Clone, Debug)]
pub struct ExternalVolume {
    pub name: Spanned<String>,
    /// `dvdi` unless written.
    pub provider: Option<Spanned<String>>,
    /// `options`, `dvdi/driver` first when `driver` is written.
    pub options: Vec<Entry>,
    /// MiB.
    pub size: Option<Spanned<f64>>,
}

/// `readiness …`: Marathon's readiness check (`readinessChecks`, at most one).
#[derive(Clone, Debug)]
pub struct Readiness {
    pub name: Option<Spanned<String>>,
    /// `HTTP` or `HTTPS`.
    pub protocol: Spanned<&'static str>,
    pub path: Option<Spanned<String>>,
    pub port_name: Option<Spanned<String>>,
    pub interval: Option<Spanned<u64>>,
    pub timeout: Option<Spanned<u64>>,
    pub statuses: Vec<Spanned<i64>>,
    pub preserve_last_response: Option<Span>,
    pub span: Span,
}

/// `mesos-check …`: a Mesos check (`check`, 1.8+): its result is reported, it kills nothing.
#[derive(Clone, Debug)]
pub struct MesosCheck {
    pub kind: Spanned<CheckKind>,
    pub port_index: Option<Spanned<u32>>,
    /// `http` checks only (the rules refuse it on the others).
    pub path: Option<Spanned<String>>,
    pub interval: Option<Spanned<u64>>,
    pub timeout: Option<Spanned<u64>>,
    pub delay: Option<Spanned<u64>>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum CheckKind {
    Command(Spanned<String>),
    Http,
    Tcp,
}

/// `residency …` (1.0+): how long Marathon waits for a resident task's agent.
#[derive(Clone, Debug)]
pub struct Residency {
    pub relaunch_escalation: Option<Spanned<u64>>,
    /// `WAIT_FOREVER` or `RELAUNCH_AFTER_TIMEOUT`.
    pub task_lost: Option<Spanned<&'static str>>,
    pub span: Span,
}

/// A `limit cpus|mem VALUE` (`resourceLimits`, 1.10+).
#[derive(Clone, Debug)]
pub struct Limit {
    pub value: Spanned<LimitValue>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LimitValue {
    Unlimited,
    /// CPU shares, or MiB.
    Amount(Num),
}

/// A `KEY value` entry of `env`, `label` or `docker-param`.
#[derive(Clone, Debug)]
pub struct Entry {
    pub key: Spanned<String>,
    pub value: Spanned<String>,
}

#[derive(Clone, Debug, Default)]
pub struct App {
    /// Absolute id: `/ctrlpkw/db/cassandra-seed`.
    pub id: String,
    pub name: Spanned<String>,
    pub image: Option<Spanned<String>>,
    /// `networks`, in the order written: one host or bridge network, or container networks (several
    /// from 1.5). Empty: host networking.
    pub networks: Vec<Network>,
    pub privileged: Option<Span>,
    pub force_pull: Option<Span>,
    pub docker_params: Vec<Entry>,
    pub volumes: Vec<Volume>,
    pub cmd: Option<Spanned<String>>,
    pub args: Option<Spanned<Vec<String>>>,
    pub user: Option<Spanned<String>>,
    pub instances: Option<Spanned<u32>>,
    pub cpus: Option<Spanned<Num>>,
    pub mem: Option<Spanned<f64>>,
    pub disk: Option<Spanned<f64>>,
    pub gpus: Option<Spanned<u32>>,
    pub ports: Vec<Port>,
    pub require_ports: Option<Span>,
    pub env: Vec<Entry>,
    pub labels: Vec<Entry>,
    pub constraints: Vec<Constraint>,
    pub health_checks: Vec<HealthCheck>,
    pub upgrade: Option<Upgrade>,
    pub backoff: Option<Backoff>,
    pub kill_grace: Option<Spanned<u64>>,
    pub fetch: Vec<Fetch>,
    pub dependencies: Vec<Dependency>,
    /// Some directive of this app was rejected: checks about what is missing stay quiet.
    pub incomplete: bool,
    /// The first `dns()`/`srv()` call that resolves to this app, if any: its name must then resolve.
    pub named_by: Option<Span>,
    /// Marathon fields pkw has no directive for, written with `marathon FIELD …`.
    pub passthrough: Vec<Passthrough>,
    /// `containerizer mesos`: the image runs in the Mesos containerizer (`container.type: MESOS`).
    pub mesos_containerizer: Option<Span>,
    /// `roles …`: `acceptedResourceRoles`.
    pub roles: Option<Spanned<Vec<String>>>,
    /// `no-ports`: an explicitly empty port list.
    pub no_ports: Option<Span>,
    /// `secret NAME SOURCE [env KEY]`.
    pub secrets: Vec<Secret>,
    pub unreachable: Option<Unreachable>,
    /// `YOUNGEST_FIRST` or `OLDEST_FIRST`.
    pub kill_selection: Option<Spanned<&'static str>>,
    /// `tty`: a terminal for the task (1.5+).
    pub tty: Option<Span>,
    /// `role`: the Mesos role the app's resources come from (1.9+).
    pub role: Option<Spanned<String>>,
    /// `executor`: the Mesos executor (`//cmd`, or a path).
    pub executor: Option<Spanned<String>>,
    /// `pull-secret NAME`: the secret holding the registry credentials (`docker.pullConfig`, 1.5+).
    pub pull_secret: Option<Spanned<String>>,
    pub readiness: Option<Readiness>,
    pub mesos_check: Option<MesosCheck>,
    pub residency: Option<Residency>,
    pub limit_cpus: Option<Limit>,
    pub limit_mem: Option<Limit>,
}

/// `unreachable …`: `unreachableStrategy`.
#[derive(Clone, Debug)]
pub struct Unreachable {
    pub disabled: bool,
    pub inactive_after: Option<Spanned<u64>>,
    pub expunge_after: Option<Spanned<u64>>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Secret {
    pub name: Spanned<String>,
    pub source: Spanned<String>,
    /// The environment variable that receives the value.
    pub env: Option<Spanned<String>>,
    pub span: Span,
}

/// A JSON value written in pkw for a `marathon` passthrough, members in the order written.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Num(Num),
    Str(String),
    List(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

/// `marathon FIELD …`: a Marathon field passed through as written (the rules check it against the table
/// of the fields the target version reads). `path` is the field, `container.` or `container.docker.` one.
#[derive(Clone, Debug)]
pub struct Passthrough {
    pub path: Spanned<String>,
    pub value: Spanned<Json>,
    pub span: Span,
}

impl App {
    pub fn network_mode(&self) -> NetworkMode {
        self.network().map_or(NetworkMode::Host, |n| n.mode)
    }

    /// The first network: the app's only one, unless it joins several container networks.
    pub fn network(&self) -> Option<&Network> {
        self.networks.first()
    }

    /// Where the app is made resident: its first persistent or external volume, or its `residency`. Marathon
    /// keeps a resident app's tasks with their volumes and upgrades them without extra tasks.
    pub fn resident(&self) -> Option<Span> {
        self.volumes
            .iter()
            .find(|v| v.persistent.is_some() || v.external.is_some())
            .map(|v| v.span)
            .or(self.residency.as_ref().map(|r| r.span))
    }
}
