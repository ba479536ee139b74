//! The schema table: every directive pkw knows, where it may appear, its arguments and options.
//! It drives argument parsing and checking (`check::args`), the language reference test, `explain`
//! and, later, hover and completion. Nothing else repeats its contents.

/// Where a statement appears.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Top,
    Group,
    App,
}

impl Place {
    pub fn describe(self) -> &'static str {
        match self {
            Place::Top => "at the top level",
            Place::Group => "inside a group",
            Place::App => "inside an app",
        }
    }
}

/// The kind of value an argument or option takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A Marathon id segment: `cassandra-seed`.
    Name,
    /// A bare word naming something inside an app, e.g. a port name: `http`.
    Ident,
    /// A key of `env`, `label` or `docker-param`: a word or a string.
    Key,
    /// A string: `"docker.io/nginx"`.
    Text,
    /// A string or a number, for environment and label values.
    Scalar,
    Integer,
    /// An integer or a decimal.
    Number,
    Size,
    Duration,
    /// `50%` or `0.5`.
    Fraction,
    /// `8080`, `53/udp`.
    Port,
    /// `31000-32000`
    PortRange,
    /// An app or group path: `../db/cassandra-seed`, `/ctrlpkw/db`, `cassandra-seed`.
    Path,
    /// A container or host file-system path: `/var/lib/cassandra`, `data`.
    FsPath,
    /// One of a fixed set of words.
    Enum(&'static [&'static str]),
    /// Any single value (a `let`'s value, a `param`'s default, an `if` flag).
    Any,
    /// A resource limit: a number, a size, or `unlimited`.
    Limit,
    /// Two values, a key and a value, for an option that may repeat: `label traefik.enable "true"`.
    Entry,
}

impl Kind {
    /// "a size like 512MiB": used in "expected …" messages and the reference.
    pub fn describe(self) -> String {
        match self {
            Kind::Name => "a name like `web-tier`".into(),
            Kind::Ident => "a port name like `http`".into(),
            Kind::Key => "a name like `LOG_LEVEL`".into(),
            Kind::Text => "a string like \"docker.io/nginx\"".into(),
            Kind::Scalar => "a value like \"info\", info or 4".into(),
            Kind::Integer => "an integer like 3".into(),
            Kind::Number => "a number like 0.5".into(),
            Kind::Size => "a size like 512MiB".into(),
            Kind::Duration => "a duration like 30s".into(),
            Kind::Fraction => "a percentage like 50% or a fraction like 0.5".into(),
            Kind::Port => "a port like 8080 or 53/udp".into(),
            Kind::PortRange => "a port range like 31000-32000".into(),
            Kind::Path => "an app or group path like ../db/cassandra".into(),
            Kind::FsPath => "a file-system path like /var/lib/data".into(),
            Kind::Enum(words) => one_of(words),
            Kind::Any => "a value".into(),
            Kind::Limit => "a number like 2, a size like 4GiB, or `unlimited`".into(),
            Kind::Entry => "a key and a value like `traefik.enable \"true\"`".into(),
        }
    }
}

pub fn one_of(words: &[&str]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
    match quoted.len() {
        0 => "nothing".into(),
        1 => quoted[0].clone(),
        n => format!("one of {} or {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

/// A positional argument.
#[derive(Clone, Copy, Debug)]
pub struct Arg {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// Takes all remaining positional values.
    pub variadic: bool,
}

/// A keyword option: `grace 30s`, or a flag when `kind` is `None`: `extract`.
#[derive(Clone, Copy, Debug)]
pub struct Opt {
    pub name: &'static str,
    pub kind: Option<Kind>,
    pub doc: &'static str,
    /// May be written more than once (`label`, `group`); otherwise a second one is an error.
    pub repeat: bool,
}

/// What a directive's block holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Body {
    /// No block.
    None,
    /// The directive's own options, one per line (`health tcp { grace 30s }`).
    Options,
    /// Statements of another place (`group { … }`, `app { … }`).
    Children(Place),
    /// `KEY value` entries (`env { LOG_LEVEL "info" }`).
    Entries,
    /// A JSON value written as statements (`marathon executorResources { cpus 0.1; mem 64 }`).
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Count {
    /// At most once per block (`cpus`); a second one is an error.
    Once,
    /// A list (`constraint`, `health`, `port`).
    Many,
    /// Once per key, the first argument (`env NAME`, `label KEY`).
    PerKey,
}

/// Every directive of the table, one variant each (see `Directive::id`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Id {
    Group,
    App,
    Template,
    Param,
    Let,
    If,
    Import,
    DnsNames,
    DependsOn,
    External,
    Containerizer,
    Roles,
    Image,
    Network,
    Privileged,
    ForcePull,
    DockerParam,
    Volume,
    PersistentVolume,
    Cmd,
    Args,
    User,
    Instances,
    Cpus,
    Mem,
    Disk,
    Gpus,
    NoPorts,
    Ports,
    Port,
    RequirePorts,
    Marathon,
    Secret,
    Env,
    Label,
    Constraint,
    UniqueHost,
    Health,
    Unreachable,
    KillSelection,
    Upgrade,
    Backoff,
    KillGrace,
    Fetch,
    Tty,
    Role,
    Executor,
    PullSecret,
    ExternalVolume,
    Residency,
    Readiness,
    MesosCheck,
    Limit,
}

#[derive(Debug)]
pub struct Directive {
    /// Which directive: the semantics (`check::apply`, the lowering) match on it exhaustively, so a
    /// directive added to the table without its meaning does not compile.
    pub id: Id,
    pub name: &'static str,
    pub places: &'static [Place],
    pub args: &'static [Arg],
    pub options: &'static [Opt],
    pub body: Body,
    pub count: Count,
    pub doc: &'static str,
    pub example: &'static str,
}

const fn req(name: &'static str, kind: Kind) -> Arg {
    Arg { name, kind, required: true, variadic: false }
}
const fn opt(name: &'static str, kind: Kind) -> Arg {
    Arg { name, kind, required: false, variadic: false }
}
const fn many(name: &'static str, kind: Kind) -> Arg {
    Arg { name, kind, required: true, variadic: true }
}
const fn kw(name: &'static str, kind: Kind, doc: &'static str) -> Opt {
    Opt { name, kind: Some(kind), doc, repeat: false }
}
/// An option that may be written several times, each with one value.
const fn kws(name: &'static str, kind: Kind, doc: &'static str) -> Opt {
    Opt { name, kind: Some(kind), doc, repeat: true }
}
/// A repeatable `KEY VALUE` option.
const fn entry(name: &'static str, doc: &'static str) -> Opt {
    Opt { name, kind: Some(Kind::Entry), doc, repeat: true }
}
const fn flag(name: &'static str, doc: &'static str) -> Opt {
    Opt { name, kind: None, doc, repeat: false }
}

const APP: &[Place] = &[Place::App];
const GROUP_APP: &[Place] = &[Place::Group, Place::App];
const CONTAINERS: &[Place] = &[Place::Top, Place::Group];

pub const NETWORK_MODES: &[&str] = &["host", "bridge", "container"];
pub const HEALTH_PROTOCOLS: &[&str] = &["http", "https", "tcp", "command", "mesos-http", "mesos-https", "mesos-tcp"];
pub const CONSTRAINT_OPERATORS: &[&str] = &["unique", "cluster", "group-by", "like", "unlike", "max-per", "is"];
pub const VOLUME_MODES: &[&str] = &["ro", "rw"];

/// The directive catalogue.
/// A `static`, not a `const`: `index` relies on every directive having one address.
pub static DIRECTIVES: &[Directive] = &[
    // ---- structure ----
    Directive {
        id: Id::Group,
        name: "group",
        places: CONTAINERS,
        args: &[req("name", Kind::Name)],
        options: &[],
        body: Body::Children(Place::Group),
        count: Count::Many,
        doc: "A Marathon group. Its id is built from the nesting: `group db` inside `group shop` is `/shop/db`.",
        example: "group db {\n  app redis { image \"redis:7\" }\n}",
    },
    Directive {
        id: Id::App,
        name: "app",
        places: CONTAINERS,
        args: &[req("name", Kind::Name)],
        options: &[kw("from", Kind::Name, "the app template to start from; its parameters follow on the line or in the block")],
        body: Body::Children(Place::App),
        count: Count::Many,
        doc: "A Marathon app, with its directives in the block. `app NAME from TEMPLATE` starts from an app template: the app's own directives override the template's (see the language reference for the rule).",
        example: "app web {\n  image \"nginx:1.25\"\n  instances 2\n}",
    },
    Directive {
        id: Id::Template,
        name: "template",
        places: CONTAINERS,
        args: &[req("name", Kind::Name)],
        options: &[],
        body: Body::Children(Place::App),
        count: Count::Many,
        doc: "A reusable body, `template NAME [from TEMPLATE]` (`from`: start from that template's parameters and body, overridden by the app rule). An app template holds app directives and is used with `app NAME from TEMPLATE`; a group template holds apps or groups and is used as a directive (`cassandra seeds 2`), splicing its apps into the enclosing group. `param NAME default` inside declares a parameter.",
        example: "template web-node {\n  param replicas 2\n  image \"nginx:1.25\"\n  instances $replicas\n}",
    },
    Directive {
        id: Id::Param,
        name: "param",
        places: &[Place::Top],
        args: &[req("name", Kind::Key), req("default", Kind::Any)],
        options: &[],
        body: Body::None,
        count: Count::Many,
        doc: "A parameter with its default, inside a template (set at the use site as `NAME value`, a flag as the bare word) or at the top level (set with `pkwc build --set NAME=VALUE`). Its kind is its default's kind.",
        example: "param nodes 1",
    },
    Directive {
        id: Id::Let,
        name: "let",
        places: CONTAINERS,
        args: &[req("name", Kind::Key), req("value", Kind::Any)],
        options: &[],
        body: Body::None,
        count: Count::Many,
        doc: "Names a value for this group and the groups inside it: `$NAME` stands for it, `${NAME}` inside a string.",
        example: "let registry \"docker.touk.pl\"",
    },
    Directive {
        id: Id::If,
        name: "if",
        places: &[Place::Top, Place::Group, Place::App],
        args: &[req("flag", Kind::Any)],
        options: &[],
        body: Body::Children(Place::App),
        count: Count::Many,
        doc: "Includes its block only when a boolean `param` or `let` is `true`: `if $tls { … }`.",
        example: "if $privileged {\n  privileged\n}",
    },
    Directive {
        id: Id::Import,
        name: "import",
        places: &[Place::Top],
        args: &[req("path", Kind::Text)],
        options: &[],
        body: Body::None,
        count: Count::Many,
        doc: "Brings another file's templates and lets into scope. The path is relative to the importing file.",
        example: "import \"common.pkw\"",
    },
    Directive {
        id: Id::DnsNames,
        name: "dns-names",
        places: &[Place::Top],
        args: &[req("style", Kind::Enum(&["dashed", "dotted"]))],
        options: &[],
        body: Body::None,
        count: Count::Once,
        doc: "How `dns()` and `srv()` write Mesos-DNS names: `dashed` (the default, `redis-storage-shop.marathon.mesos`) or `dotted`, the legacy form older Mesos-DNS setups resolved (`redis.storage.shop.marathon.mesos`).",
        example: "dns-names dotted",
    },
    Directive {
        id: Id::DependsOn,
        name: "depends-on",
        places: &[Place::Group, Place::App],
        args: &[many("path", Kind::Path)],
        options: &[],
        body: Body::None,
        count: Count::Many,
        doc: "Deploy after these apps or groups. Paths are relative to the enclosing group, as Marathon resolves `dependencies`; pkwc emits them absolute.",
        example: "depends-on ../db /shared/cache",
    },
    Directive {
        id: Id::External,
        name: "external",
        places: CONTAINERS,
        args: &[many("path", Kind::Path)],
        options: &[],
        body: Body::None,
        count: Count::Many,
        doc: "Apps or groups that exist in Marathon but not in this file (deployed from elsewhere), so that `depends-on`, `dns()` and `srv()` may name them and what is under them. Paths are relative to the enclosing group, like `depends-on`'s; anything undeclared stays an error.",
        example: "external /infra/zookeeper /infra/kafka",
    },
    // ---- container ----
    Directive {
        id: Id::Containerizer,
        name: "containerizer",
        places: APP,
        args: &[req("containerizer", Kind::Enum(&["docker", "mesos"]))],
        options: &[],
        body: Body::None,
        count: Count::Once,
        doc: "Which Mesos containerizer runs the app's `image`: `docker` (the default: `container.type: DOCKER`) or `mesos`, the Universal Container Runtime (`type: MESOS` with `docker.image`; Marathon 1.3+), which GPUs need. Docker-only settings (`privileged`, `docker-param`) stay with `docker`.",
        example: "containerizer mesos",
    },
    Directive {
        id: Id::Roles,
        name: "roles",
        places: APP,
        args: &[many("role", Kind::Key)],
        options: &[],
        body: Body::None,
        count: Count::Once,
        doc: "The Mesos roles whose resources the app accepts (`acceptedResourceRoles`; Marathon 0.9+): `roles slave_public` runs it on DC/OS public agents, `\"*\"` is the default role.",
        example: "roles slave_public",
    },
    Directive {
        id: Id::Image,
        name: "image",
        places: APP,
        args: &[req("image", Kind::Text)],
        options: &[],
        body: Body::None,
        count: Count::Once,
        doc: "Run the app in a Docker container from this image (`container.type: DOCKER`, `docker.image`).",
        example: "image \"docker.touk.pl/cassandra\"",
    },
    Directive {
        id: Id::Network,
        name: "network",
        places: APP,
        args: &[req("mode", Kind::Enum(NETWORK_MODES)), opt("name", Kind::Name)],
        options: &[
            entry("label", "a label of the container network (`networks[].labels` from 1.5, `ipAddress.labels` before)"),
            kws("group", Kind::Key, "an IP-per-task network group (`ipAddress.groups`; Marathon 1.2 to 1.4)"),
        ],
        body: Body::Options,
        count: Count::Many,
        doc: "Networking mode: `host`, `bridge`, or `container NAME` (a named container network; 1.2+ with an image, 1.5+ without). Written as `docker.network` before 1.5 and `networks` from 1.5. From 1.5 an app may join several container networks, one `network container NAME` line each. A container network may carry labels (`label KEY VALUE`, repeated) and, up to 1.4, IP-per-task groups (`group NAME`).",
        example: "network bridge",
    },
    Directive {
        id: Id::Privileged,
        name: "privileged",
        places: APP,
        args: &[],
        options: &[],
        body: Body::None,
        count: Count::Once,
        doc: "Run the Docker container privileged (`docker.privileged`).",
        example: "privileged",
    },
    Directive {
        id: Id::ForcePull,
        name: "force-pull",
        places: APP,
        args: &[],
        options: &[],
        body: Body::None,
        count: Count::Once,
        doc: "Pull the image on every launch (`docker.forcePullImage`).",
        example: "force-pull",
    },
    Directive {
        id: Id::DockerParam,
        name: "docker-param",
        places: APP,
        args: &[req("key", Kind::Key), req("value", Kind::Scalar)],
        options: &[],
        body: Body::None,
        count: Count::Many,
        doc: "An extra `docker run` parameter (`docker.parameters`); keys may repeat.",
        example: "docker-param log-driver \"journald\"",
    },
    Directive {
        id: Id::Volume,
        name: "volume",
        places: APP,
        args: &[req("container-path", Kind::FsPath), opt("host-path", Kind::FsPath), req("mode", Kind::Enum(VOLUME_MODES))],
        options: &[],
        body: Body::None,
        count: Count::Many,
        doc: "Mount a host path into the container (`container.volumes`): `volume CONTAINER_PATH HOST_PATH ro|rw`. Without a host path the container path is mounted from the same host path.",
        example: "volume /var/lib/cassandra /data/cassandra rw",
    },
    Directive {
        id: Id::PersistentVolume,
        name: "persistent-volume",
        places: APP,
        args: &[req("container-path", Kind::FsPath), req("size", Kind::Size)],
        options: &[
            kw("type", Kind::Enum(&["root", "path", "mount"]), "the kind of Mesos disk: `root` (the default), `path` or `mount`"),
            kw("max-size", Kind::Size, "the largest disk a `mount` volume may take"),
            kw("profile", Kind::Key, "the disk profile the volume's disk must have (`profileName`; Marathon 1.5+)"),
            kw("path-like", Kind::Text, "a `path` or `mount` volume only on disks whose path matches this Java regular expression (`constraints`)"),
        ],
        body: Body::Options,
        count: Count::Many,
        doc: "A local persistent volume (`container.volumes[].persistent`, Marathon 1.0+): `persistent-volume data 10GiB` reserves 10 GiB on the agent, mounted at `data` inside the sandbox, and keeps it across restarts. The app becomes resident: Marathon upgrades it without starting extra tasks (`max-over` must be 0%).",
        example: "persistent-volume pgdata 20GiB",
    },
    Directive {
        id: Id::Tty,
        name: "tty",
        places: APP,
        args: &[],
        options: &[],
        body: Body::None,
        count: Count::Once,
        doc: "Give the task a terminal (`tty`, Marathon 1.5+).",
        example: "tty",
    },
    Directive {
        id: Id::Role,
        name: "role",
        places: APP,
        args: &[req("role", Kind::Key)],
        options: &[],
        body: Body::None,
        count: Count::Once,
        doc: "The Mesos role the app's resources are reserved under (`role`, Marathon 1.9+). Which roles it may take offers from is `roles`.",
        example: "role prod",
    },
    Directive {
        id: Id::Executor,
        name: "executor",
        places: APP,
        args: &[req("executor", Kind::Text)],
        options: &[],
        body: Body::None,
        count: Count::Once,
        doc: "The Mesos executor that runs the task (`executor`): `\"//cmd\"` for the command executor, or the path of a custom one.",
        example: "executor \"//cmd\"",
    },
    Directive {
        id: Id::PullSecret,
        name: "pull-secret",
        places: APP,
        args: &[req("secret", Kind::Key)],
        options: &[],
        body: Body::None,
        count: Count::Once,
        doc: "Pull the image with the registry credentials in a declared `secret` (`docker.pullConfig`, Marathon 1.5+; Mesos containerizer only: `containerizer mesos`).",
        example: "pull-secret registry-auth",
    },
    Directive {
        id: Id::ExternalVolume,
        name: "external-volume",
        places: APP,
        args: &[req("container-path", Kind::FsPath), req("name", Kind::Key), req("mode", Kind::Enum(VOLUME_MODES))],
        options: &[
            kw("provider", Kind::Key, "the volume provider (`dvdi`, the default and the only one Marathon ships)"),
            kw("driver", Kind::Key, "the Docker volume driver, like `rexray` (the `dvdi/driver` option)"),
            entry("option", "another provider option, like `option \"dvdi/volumetype\" \"io1\"`"),
            kw("size", Kind::Size, "the size to create the volume with"),
        ],
        body: Body::Options,
        count: Count::Many,
        doc: "A volume from an external storage provider (`container.volumes[].external`, Marathon 1.1+ with its `external_volumes` feature): `external-volume /data pgdata rw driver rexray`. The app becomes resident, like one with a `persistent-volume`.",
        example: "external-volume /var/lib/data pgdata rw driver rexray",
    },
    // ---- command ----
    Directive {
        id: Id::Cmd,
        name: "cmd",
        places: APP,
        args: &[req("command", Kind::Text)],
        options: &[],
        body: Body::None,
        count: Count::Once,
        doc: "The shell command to run (`cmd`, wrapped in `/bin/sh -c`). Not together with `args`.",
        example: "cmd \"./bin/server --port $PORT0\"",
    },
    Directive {
        id: Id::Args,
        name: "args",
        places: APP,
        args: &[many("arg", Kind::Text)],
        options: &[],
        body: Body::None,
        count: Count::Once,
        doc: "The command as an argument list, run without a shell (`args`). Not together with `cmd`.",
        example: "args \"--port\" \"8080\"",
    },
    Directive {
        id: Id::User,
        name: "user",
        places: APP,
        args: &[req("user", Kind::Text)],
        options: &[],
        body: Body::None,
        count: Count::Once,
        doc: "The user the task runs as (`user`).",
        example: "user \"nobody\"",
    },
    // ---- resources ----
    Directive {
        id: Id::Instances,
        name: "instances",
        places: APP,
        args: &[req("count", Kind::Integer)],
        options: &[],
        body: Body::None,
        count: Count::Once,
        doc: "How many tasks to run (`instances`, 0 or more).",
        example: "instances 3",
    },
    Directive {
        id: Id::Cpus,
        name: "cpus",
        places: APP,
        args: &[req("cpus", Kind::Number)],
        options: &[],
        body: Body::None,
        count: Count::Once,
        doc: "CPU shares per task (`cpus`).",
        example: "cpus 0.5",
    },
    Directive {
        id: Id::Mem,
        name: "mem",
        places: APP,
        args: &[req("size", Kind::Size)],
        options: &[],
        body: Body::None,
        count: Count::Once,
        doc: "Memory per task (`mem`, written in MiB; a bare number means MiB).",
        example: "mem 4GiB",
    },
    Directive {
        id: Id::Disk,
        name: "disk",
        places: APP,
        args: &[req("size", Kind::Size)],
        options: &[],
        body: Body::None,
        count: Count::Once,
        doc: "Scratch disk per task (`disk`, written in MiB; a bare number means MiB).",
        example: "disk 1GiB",
    },
    Directive {
        id: Id::Limit,
        name: "limit",
        places: APP,
        args: &[req("resource", Kind::Enum(&["cpus", "mem"])), req("value", Kind::Limit)],
        options: &[],
        body: Body::None,
        count: Count::PerKey,
        doc: "How far a task may use more than it asked for (`resourceLimits`, Marathon 1.10+): `limit cpus 2` or `limit mem 4GiB`, at least what `cpus` and `mem` request, or `unlimited`.",
        example: "limit mem unlimited",
    },
    Directive {
        id: Id::Gpus,
        name: "gpus",
        places: APP,
        args: &[req("count", Kind::Integer)],
        options: &[],
        body: Body::None,
        count: Count::Once,
        doc: "GPUs per task (`gpus`, Marathon 1.4+).",
        example: "gpus 1",
    },
    // ---- ports ----
    Directive {
        id: Id::NoPorts,
        name: "no-ports",
        places: APP,
        args: &[],
        options: &[],
        body: Body::None,
        count: Count::Once,
        doc: "The app holds no port at all (`portDefinitions: []`, or `portMappings: []` on bridge and container networking). Without any `port`, Marathon gives an app one port it chooses; a worker that listens on nothing says so with this.",
        example: "no-ports",
    },
    Directive {
        id: Id::Ports,
        name: "ports",
        places: APP,
        args: &[many("port", Kind::Port)],
        options: &[],
        body: Body::None,
        count: Count::Many,
        doc: "Several ports at once. On host networking each is a host port (with `require-ports`) or a service port; on bridge networking each is a container port.",
        example: "ports 7199 7000 7001 9160 9042",
    },
    Directive {
        id: Id::Port,
        name: "port",
        places: APP,
        args: &[opt("name", Kind::Ident), req("port", Kind::Port)],
        options: &[
            kw("service", Kind::Integer, "the service port load balancers route by (bridge networking)"),
            kw("host", Kind::Integer, "the host port a bridge-networked container port is published on (0: any)"),
            kw("vip", Kind::Text, "a DC/OS virtual address for the port, like \"/web:80\" (its `VIP_0` label; Marathon 1.0+)"),
            entry("label", "a label of the port (`labels`; Marathon 1.0+), e.g. `label VIP_1 \"/web:8443\"`"),
            kws("network", Kind::Name, "a container network the mapping's host port is published on (`networkNames`; Marathon 1.5+, for an app on several container networks)"),
        ],
        body: Body::Options,
        count: Count::Many,
        doc: "One port, optionally named. On bridge networking the port is the container port, with `host` and `service` options.",
        example: "port http 8080 service 10080 host 0",
    },
    Directive {
        id: Id::RequirePorts,
        name: "require-ports",
        places: APP,
        args: &[],
        options: &[],
        body: Body::None,
        count: Count::Once,
        doc: "Host networking: use the declared ports as host ports, so tasks only land on agents offering them (`requirePorts`).",
        example: "require-ports",
    },
    // ---- anything else Marathon reads ----
    Directive {
        id: Id::Marathon,
        name: "marathon",
        places: GROUP_APP,
        args: &[req("field", Kind::Key), opt("value", Kind::Any)],
        options: &[],
        body: Body::Json,
        count: Count::PerKey,
        doc: "A Marathon field pkw has no directive for, passed through: `marathon FIELD value…` or `marathon FIELD { key value … }` (a JSON object written as statements; several values or repeated keys make an array). FIELD is an app (or group) field, or a `container.` or `container.docker.` one. Checked against the fields the target Marathon version reads: an unknown field, a wrong JSON type or a field a directive covers is an error.",
        example: "marathon executorResources { cpus 0.1; mem 64; disk 10 }",
    },
    Directive {
        id: Id::Secret,
        name: "secret",
        places: APP,
        args: &[req("name", Kind::Key), req("source", Kind::Text)],
        options: &[
            kw("env", Kind::Key, "the environment variable that receives the secret's value"),
            kw("path", Kind::FsPath, "a file in the container that holds the secret's value (a secret volume; Marathon 1.5+)"),
        ],
        body: Body::Options,
        count: Count::PerKey,
        doc: "A secret from the secret store (`secrets`, Marathon 1.3+, with its `secrets` feature enabled): `secret db-password \"/billing/db/password\" env DB_PASSWORD` declares it and hands its value to the task as `DB_PASSWORD` (`\"env\": {\"DB_PASSWORD\": {\"secret\": \"db-password\"}}`); `path FILE` mounts it as a file instead (`container.volumes[].secret`, 1.5+). `pull-secret` names one for the registry.",
        example: "secret db-password \"/billing/db/password\" env DB_PASSWORD",
    },
    // ---- environment ----
    Directive {
        id: Id::Env,
        name: "env",
        places: APP,
        args: &[opt("name", Kind::Key), opt("value", Kind::Scalar)],
        options: &[],
        body: Body::Entries,
        count: Count::PerKey,
        doc: "An environment variable (`env`): `env NAME value`, or an `env { NAME value … }` block.",
        example: "env LOG_LEVEL \"info\"",
    },
    Directive {
        id: Id::Label,
        name: "label",
        places: APP,
        args: &[opt("key", Kind::Key), opt("value", Kind::Scalar)],
        options: &[],
        body: Body::Entries,
        count: Count::PerKey,
        doc: "A Marathon label (`labels`): `label KEY value`, or a `label { KEY value … }` block.",
        example: "label HAPROXY_GROUP \"external\"",
    },
    // ---- placement ----
    Directive {
        id: Id::Constraint,
        name: "constraint",
        places: APP,
        args: &[req("field", Kind::Key), req("operator", Kind::Enum(CONSTRAINT_OPERATORS)), opt("value", Kind::Scalar)],
        options: &[],
        body: Body::None,
        count: Count::Many,
        doc: "A placement constraint (`constraints`): `constraint FIELD OPERATOR [VALUE]`; operators are emitted upper case.",
        example: "constraint rack group-by 3",
    },
    Directive {
        id: Id::UniqueHost,
        name: "unique-host",
        places: APP,
        args: &[],
        options: &[],
        body: Body::None,
        count: Count::Once,
        doc: "At most one task per agent: sugar for `constraint hostname unique`.",
        example: "unique-host",
    },
    // ---- health and lifecycle ----
    Directive {
        id: Id::Health,
        name: "health",
        places: APP,
        args: &[req("protocol", Kind::Enum(HEALTH_PROTOCOLS)), opt("command", Kind::Text)],
        options: &[
            kw("path", Kind::Text, "HTTP path to probe (http, https, mesos-http, mesos-https)"),
            kw("command", Kind::Text, "shell command to run (command checks)"),
            kw("port-index", Kind::Integer, "which of the app's ports to probe (0-based)"),
            kw("port", Kind::Integer, "a fixed port to probe instead of `port-index`"),
            kw("grace", Kind::Duration, "time after start before failures count (`gracePeriodSeconds`)"),
            kw("interval", Kind::Duration, "time between checks (`intervalSeconds`)"),
            kw("timeout", Kind::Duration, "time a check may take (`timeoutSeconds`)"),
            kw("max-failures", Kind::Integer, "consecutive failures before the task is killed (`maxConsecutiveFailures`)"),
            kw("delay", Kind::Duration, "time before the first check of a Mesos check (`delaySeconds`, Marathon 1.4+)"),
            flag("ignore-1xx", "count 1xx answers as neither healthy nor unhealthy (`ignoreHttp1xx`, HTTP checks, Marathon 0.15+)"),
            kw("ip-protocol", Kind::Enum(&["ipv4", "ipv6"]), "the IP protocol of a Mesos HTTP or TCP check (`ipProtocol`, Marathon 1.5+)"),
        ],
        body: Body::Options,
        count: Count::Many,
        doc: "A health check (`healthChecks`). A command check takes its command right after `command`. Options may be written on the line or in the block.",
        example: "health tcp port-index 4 grace 30s interval 30s timeout 20s max-failures 3",
    },
    Directive {
        id: Id::Readiness,
        name: "readiness",
        places: APP,
        args: &[req("protocol", Kind::Enum(&["http", "https"]))],
        options: &[
            kw("port", Kind::Ident, "the name of the port to probe (`portName`; Marathon's default is `http-api`)"),
            kw("path", Kind::Text, "the path to request (`/` unless written)"),
            kw("interval", Kind::Duration, "time between probes (`intervalSeconds`, 30s unless written)"),
            kw("timeout", Kind::Duration, "how long a probe may take, less than the interval (`timeoutSeconds`, 10s unless written)"),
            kws("status", Kind::Integer, "an HTTP status that means ready (`httpStatusCodesForReady`, 200 unless written); repeat for several"),
            flag("keep-response", "keep the last response for the deployment's status (`preserveLastResponse`)"),
            kw("name", Kind::Key, "the check's name (`readinessCheck` unless written)"),
        ],
        body: Body::Options,
        count: Count::Once,
        doc: "A readiness check (`readinessChecks`, Marathon 1.1+): during a deployment, a new task counts only once this HTTP probe answers ready, so the old tasks stay until the new ones can serve. At most one per app.",
        example: "readiness http port http path \"/ready\" interval 10s timeout 5s",
    },
    Directive {
        id: Id::MesosCheck,
        name: "mesos-check",
        places: APP,
        args: &[req("kind", Kind::Enum(&["command", "http", "tcp"])), opt("command", Kind::Text)],
        options: &[
            kw("port-index", Kind::Integer, "the index of the port to probe (`http` and `tcp`)"),
            kw("path", Kind::Text, "the path to request (`http`)"),
            kw("interval", Kind::Duration, "time between checks (`intervalSeconds`)"),
            kw("timeout", Kind::Duration, "how long a check may take (`timeoutSeconds`)"),
            kw("delay", Kind::Duration, "time before the first check (`delaySeconds`)"),
        ],
        body: Body::Options,
        count: Count::Once,
        doc: "A Mesos check (`check`, Marathon 1.8+): Mesos runs it and reports the result with the task's status; unlike `health`, a failing check kills nothing. `mesos-check command \"test -f /tmp/ready\"`, `mesos-check http port-index 0 path \"/ready\"`, `mesos-check tcp port-index 0`.",
        example: "mesos-check http port-index 0 path \"/ready\" interval 10s",
    },
    Directive {
        id: Id::Unreachable,
        name: "unreachable",
        places: APP,
        args: &[opt("disabled", Kind::Enum(&["disabled"]))],
        options: &[
            kw("inactive-after", Kind::Duration, "how long an unreachable task waits before a replacement starts (`inactiveAfterSeconds`)"),
            kw("expunge-after", Kind::Duration, "how long before it is given up (`expungeAfterSeconds`)"),
        ],
        body: Body::Options,
        count: Count::Once,
        doc: "What Marathon does with tasks on an agent it lost (`unreachableStrategy`, Marathon 1.4+): `unreachable inactive-after 5m expunge-after 10m`, or `unreachable disabled` (never replace them; what an app with persistent volumes needs).",
        example: "unreachable inactive-after 5m expunge-after 10m",
    },
    Directive {
        id: Id::Residency,
        name: "residency",
        places: APP,
        args: &[],
        options: &[
            kw("relaunch-escalation", Kind::Duration, "how long to wait for a lost resident task's agent before relaunching elsewhere (`relaunchEscalationTimeoutSeconds`)"),
            kw("task-lost", Kind::Enum(&["wait-forever", "relaunch-after-timeout"]), "what to do with a lost resident task (`taskLostBehavior`)"),
        ],
        body: Body::Options,
        count: Count::Once,
        doc: "Make the app resident (`residency`, Marathon 1.0+): its tasks stay on the agents holding their reservations. An app with a `persistent-volume` is resident without it; `residency` sets how lost tasks are handled.",
        example: "residency task-lost wait-forever",
    },
    Directive {
        id: Id::KillSelection,
        name: "kill-selection",
        places: APP,
        args: &[req("order", Kind::Enum(&["youngest-first", "oldest-first"]))],
        options: &[],
        body: Body::None,
        count: Count::Once,
        doc: "Which tasks go first when the app scales down (`killSelection`, Marathon 1.4+): `youngest-first` (the default) or `oldest-first`.",
        example: "kill-selection oldest-first",
    },
    Directive {
        id: Id::Upgrade,
        name: "upgrade",
        places: APP,
        args: &[],
        options: &[
            kw("min-health", Kind::Fraction, "share of instances that must stay healthy during an upgrade (`minimumHealthCapacity`)"),
            kw("max-over", Kind::Fraction, "share of extra instances an upgrade may start (`maximumOverCapacity`)"),
        ],
        body: Body::Options,
        count: Count::Once,
        doc: "The rolling-upgrade strategy (`upgradeStrategy`). Both fields are always written; an omitted one is Marathon's default, 100%.",
        example: "upgrade min-health 50% max-over 20%",
    },
    Directive {
        id: Id::Backoff,
        name: "backoff",
        places: APP,
        args: &[opt("delay", Kind::Duration)],
        options: &[
            kw("factor", Kind::Number, "multiplier applied to the delay after each failed launch (`backoffFactor`, at least 1)"),
            kw("max-delay", Kind::Duration, "upper bound of the delay (`maxLaunchDelaySeconds`)"),
        ],
        body: Body::Options,
        count: Count::Once,
        doc: "Relaunch back-off: the first delay (`backoffSeconds`), its growth factor and its bound.",
        example: "backoff 1s factor 1.15 max-delay 1h",
    },
    Directive {
        id: Id::KillGrace,
        name: "kill-grace",
        places: APP,
        args: &[req("duration", Kind::Duration)],
        options: &[],
        body: Body::None,
        count: Count::Once,
        doc: "Time between SIGTERM and SIGKILL when a task is stopped (`taskKillGracePeriodSeconds`, Marathon 1.4+).",
        example: "kill-grace 30s",
    },
    Directive {
        id: Id::Fetch,
        name: "fetch",
        places: APP,
        args: &[req("uri", Kind::Text)],
        options: &[
            flag("extract", "unpack the archive in the sandbox"),
            flag("executable", "mark the file executable (Marathon 0.15+)"),
            flag("cache", "let the Mesos fetcher cache it (Marathon 0.15+)"),
            kw("dest", Kind::Text, "file name in the sandbox (`destPath`, Marathon 0.15+)"),
        ],
        body: Body::Options,
        count: Count::Many,
        doc: "A file for the Mesos fetcher to download into the sandbox (`fetch`; `uris` before Marathon 0.15, which extracts archives by their extension).",
        example: "fetch \"https://example.org/app.tgz\" extract",
    },
];

/// The position of a directive in `DIRECTIVES`, for per-directive tables.
pub fn index(d: &'static Directive) -> usize {
    (d as *const Directive as usize - DIRECTIVES.as_ptr() as usize) / std::mem::size_of::<Directive>()
}

/// Where each single-valued directive was first given in a block: a table, not a map, since it is made
/// for every app.
#[derive(Clone, Copy)]
pub struct Seen([Option<crate::source::Span>; MAX_DIRECTIVES]);

/// Room in per-directive tables; a test keeps `DIRECTIVES` within it.
pub const MAX_DIRECTIVES: usize = 64;

impl Default for Seen {
    fn default() -> Self {
        Seen([None; MAX_DIRECTIVES])
    }
}

impl Seen {
    /// The span of the first use of `d`, recording `span` if this is the first.
    pub fn first(&mut self, d: &'static Directive, span: crate::source::Span) -> Option<crate::source::Span> {
        let slot = &mut self.0[index(d)];
        let first = *slot;
        slot.get_or_insert(span);
        first
    }
}

pub fn directive(name: &str) -> Option<&'static Directive> {
    static INDEX: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, &'static Directive>> =
        std::sync::OnceLock::new();
    INDEX.get_or_init(|| DIRECTIVES.iter().map(|d| (d.name, d)).collect()).get(name).copied()
}

/// Directive names allowed at a place, for "did you mean" and completion.
pub fn names_at(place: Place) -> impl Iterator<Item = &'static str> {
    DIRECTIVES.iter().filter(move |d| d.places.contains(&place)).map(|d| d.name)
}

/// The closest candidate to a misspelt word, if any is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    // Marathon spells its words in capitals (`UNIQUE`, `BRIDGE`): the same word in another case first.
    if let Some(same) = candidates.iter().find(|c| c.eq_ignore_ascii_case(word)) {
        return Some(same);
    }
    let lower = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directive_tables_fit_and_index_back() {
        assert!(DIRECTIVES.len() <= MAX_DIRECTIVES);
        for (i, d) in DIRECTIVES.iter().enumerate() {
            assert_eq!(index(directive(d.name).unwrap()), i);
        }
    }
}

#[cfg(test)]
mod id_tests {
    use super::*;

    #[test]
    fn each_directive_has_its_own_id() {
        for (i, d) in DIRECTIVES.iter().enumerate() {
            assert!(DIRECTIVES[..i].iter().all(|e| e.id != d.id && e.name != d.name), "{} twice", d.name);
            let camel: String = d.name.split('-').map(|w| w[..1].to_uppercase() + &w[1..]).collect();
            assert_eq!(format!("{:?}", d.id), camel, "{}'s id", d.name);
        }
    }
}
