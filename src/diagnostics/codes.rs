//! The catalogue of diagnostic codes: one line per code with its default severity and a one-line summary.
//! Each code's long explanation is `docs/codes/<topic>/<name>.md` (`pkwc explain CODE`); a missing file is a
//! compile error, so no code can ship without one.

use super::Severity;

macro_rules! codes {
    ($( $variant:ident = $topic:literal / $name:literal, $severity:ident, $summary:literal; )*) => {
        /// A stable diagnostic code. Codes are never renamed: editors and scripts match on them.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $( $variant, )* }

        impl Code {
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// How many codes there are (for tables indexed by `Code::index`).
            pub const COUNT: usize = Code::ALL.len();

            /// The code's place in `Code::ALL`.
            pub fn index(self) -> usize {
                self as usize
            }

            /// The topic, e.g. `ports` for `pkw::ports::host-port-shared`.
            pub fn topic(self) -> &'static str {
                match self { $( Code::$variant => $topic, )* }
            }

            /// The code as users see it, e.g. `pkw::ports::host-port-shared`.
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => concat!("pkw::", $topic, "::", $name), )* }
            }

            pub fn severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$severity, )* }
            }

            pub fn summary(self) -> &'static str {
                match self { $( Code::$variant => $summary, )* }
            }

            /// The long explanation: what it means, why it breaks deployments, an example, the fix.
            pub fn explanation(self) -> &'static str {
                match self {
                    $( Code::$variant => include_str!(concat!("../../docs/codes/", $topic, "/", $name, ".md")), )*
                }
            }
        }
    };
}

impl Code {
    /// Finds a code by its full name (`pkw::syntax::unexpected`) or without the `pkw::` prefix.
    /// The codes a selector names: a code (`pkw::ports::host-port-shared`, the prefix optional) or a topic
    /// (`ports`). Empty if it names none.
    pub fn select(selector: &str) -> Vec<Code> {
        if let Some(code) = Code::parse(selector) {
            return vec![code];
        }
        let topic = selector.trim().trim_start_matches("pkw::");
        Code::ALL.iter().copied().filter(|c| c.topic() == topic).collect()
    }

    pub fn parse(name: &str) -> Option<Code> {
        let name = name.trim();
        let full = if name.starts_with("pkw::") { name.to_string() } else { format!("pkw::{name}") };
        Code::ALL.iter().copied().find(|c| c.as_str() == full)
    }
}

codes! {
    // Input that is not pkw text at all.
    InvalidUtf8 = "input" / "invalid-utf8", Error, "the file is not valid UTF-8";
    NulByte = "input" / "nul-byte", Error, "the file contains a NUL byte";
    EmptyFile = "input" / "empty", Error, "the file declares no apps or groups";
    BareCarriageReturn = "input" / "bare-cr", Error, "a line ends with a carriage return alone";

    // Syntax.
    Unexpected = "syntax" / "unexpected", Error, "a statement does not parse";
    UnterminatedString = "syntax" / "unterminated-string", Error, "a string has no closing quote";
    BadEscape = "syntax" / "bad-escape", Error, "a string contains an unknown escape";
    UnclosedBrace = "syntax" / "unclosed-brace", Error, "a `{` is never closed";
    UnmatchedBrace = "syntax" / "unmatched-brace", Error, "a `}` closes nothing";
    TooDeep = "syntax" / "too-deep", Error, "blocks or calls are nested too deeply";

    // Directives and their arguments, checked against the schema table.
    UnknownDirective = "directive" / "unknown", Error, "no directive has this name";
    MisplacedDirective = "directive" / "misplaced", Error, "a directive is used where it does not belong";
    DuplicateDirective = "directive" / "duplicate", Error, "a single-valued directive is given twice";
    MissingArgument = "args" / "missing", Error, "a directive lacks a required argument";
    ExtraArgument = "args" / "extra", Error, "a directive is given more arguments than it takes";
    WrongKind = "args" / "wrong-kind", Error, "a value of the wrong kind";
    UnknownOption = "args" / "unknown-option", Error, "a directive has no option or value of this name";
    UnexpectedBlock = "args" / "unexpected-block", Error, "a directive that takes no block is given one";
    OutOfRange = "value" / "out-of-range", Error, "a value lies outside what Marathon accepts";
    UnknownUnit = "value" / "unknown-unit", Error, "a number carries a unit pkw does not know";
    FractionalSeconds = "value" / "fractional-seconds", Error, "a duration is not a whole number of seconds";
    BadProtocol = "value" / "bad-protocol", Error, "a port protocol is not tcp, udp or udp+tcp";
    InvalidId = "id" / "invalid-segment", Error, "a name is not a valid Marathon id segment";
    ReservedId = "id" / "reserved", Error, "a name is reserved by Marathon's REST API";
    NeedsNewerMarathon = "version" / "unsupported", Error, "a feature the target Marathon version lacks";
    PassthroughUnknown = "passthrough" / "unknown-field", Error, "a `marathon` passthrough names a field Marathon does not have";
    PassthroughCovered = "passthrough" / "covered", Error, "a `marathon` passthrough sets what a pkw directive writes";
    PassthroughType = "passthrough" / "wrong-type", Error, "a `marathon` passthrough value is not of the field's JSON type";
    PatchLevelNeeded = "version" / "patch-level", Error, "a field Marathon renamed within a release needs `--marathon` with its patch level";
    UnsupportedValue = "value" / "unsupported", Error, "a value pkw can parse but cannot express in Marathon JSON";
    UnknownReference = "ref" / "unknown", Error, "a `$name` or `${name}` names no `let` or `param`";
    UnknownFunction = "ref" / "unknown-function", Error, "a call names no function pkw has";
    // Ports: within an app and across the cluster.
    HostPortShared = "ports" / "host-port-shared", Warning, "two apps bind the same fixed host port, so their tasks never share an agent";
    HostPortNoUniqueHost = "ports" / "host-port-no-unique-host", Warning, "fixed host ports with several instances and no `unique-host`";
    PinnedPortConflict = "ports" / "pinned-conflict", Error, "apps pinned to the same agent bind the same fixed host port";
    ServicePortShared = "ports" / "service-port-shared", Error, "two apps behind one load balancer (or before Marathon 1.3) declare the same service port";
    ServicePortReused = "ports" / "service-port-reused", Warning, "two apps declare the same service port";
    DuplicatePort = "ports" / "duplicate", Error, "an app declares the same port twice";
    DuplicatePortName = "ports" / "duplicate-name", Error, "an app gives two ports the same name";
    ContainerPortTwice = "ports" / "container-port-mapped-twice", Warning, "one container port is mapped twice";
    ServicePortOnHost = "ports" / "service-on-host", Error, "a `service` or `host` option on a host-networking port";
    RequirePortsNotHost = "ports" / "require-ports-not-host", Warning, "`require-ports` without host networking has no effect";

    // Health checks.
    HealthPortIndex = "health" / "port-index", Error, "a health check probes a port the app does not have";
    HealthPathNotHttp = "health" / "path-not-http", Error, "`path` on a health check that is not HTTP";
    HealthCommand = "health" / "command", Error, "`command` on a non-command check, or a command check without one";
    HealthPortAndIndex = "health" / "port-and-index", Error, "a health check with both `port` and `port-index`";
    HealthMultipleMesos = "health" / "multiple-mesos", Error, "more than one Mesos health check in an app";
    HealthTimeout = "health" / "timeout-exceeds-interval", Warning, "a health check's timeout is not shorter than its interval";
    HealthDuplicate = "health" / "duplicate", Warning, "an app has the same health check twice";
    HealthOptionProtocol = "health" / "option-protocol", Error, "a health check option its protocol does not have";
    HealthMixed = "health" / "mixed", Warning, "an app mixes Mesos and Marathon health checks";
    Readiness = "health" / "readiness", Error, "a readiness check Marathon refuses";
    MesosCheck = "health" / "mesos-check", Error, "a Mesos check that probes nothing the app has";

    // Placement constraints.
    ConstraintValue = "constraint" / "value", Error, "a constraint's value does not fit its operator";
    ConstraintUnsatisfiable = "constraint" / "unsatisfiable", Error, "two `cluster` constraints on one field ask for different values";
    ConstraintUniqueMaxPer = "constraint" / "unique-and-max-per", Warning, "`unique` and `max-per` on the same field";
    DuplicateConstraint = "constraint" / "duplicate", Warning, "the same constraint is given twice";

    // Upgrades.
    UpgradeRange = "upgrade" / "out-of-range", Error, "an upgrade fraction lies outside 0%..100%";
    UpgradeNoRoom = "upgrade" / "no-room", Warning, "an upgrade strategy leaves no room, so Marathon runs one task over capacity";
    UpgradeSpareAgent = "upgrade" / "needs-spare-agent", Warning, "an upgrade over capacity needs spare agents for fixed host ports";

    // Ids and Mesos-DNS names.
    DuplicateId = "id" / "duplicate", Error, "two apps or groups have the same id";
    DnsCollision = "id" / "dns-collision", Error, "two ids map to the same Mesos-DNS name";
    DnsTooLong = "id" / "dns-too-long", Error, "a `dns()`/`srv()` looks up a Mesos-DNS name longer than 63 characters";
    DnsLong = "id" / "dns-long", Warning, "a Mesos-DNS name is longer than the advised 54 characters, or cut at 63";
    RootGroup = "id" / "root-group", Warning, "the file compiles to the root group `/`, which cannot be POSTed";

    // Dependencies.
    UnknownDependency = "deps" / "unknown-target", Error, "`depends-on` names no app or group";
    DependencyCycle = "deps" / "cycle", Error, "apps depend on each other in a cycle";

    // Apps.
    CmdAndArgs = "app" / "cmd-and-args", Error, "an app has both `cmd` and `args`";
    NoCommand = "app" / "no-command", Error, "an app has neither a command nor an image";
    NeedsImage = "app" / "needs-image", Error, "a container setting on an app without an image";
    CpusNotPositive = "app" / "cpus", Error, "`cpus` must be above 0";
    MemLow = "app" / "mem-low", Warning, "`mem` below 32MiB";
    BackoffFactor = "app" / "backoff-factor", Error, "`backoff factor` below 1";
    EmptyValue = "value" / "empty", Error, "a value Marathon requires to be non-empty is empty";
    GpusWithDocker = "app" / "gpus-docker", Error, "`gpus` with a Docker image";
    DefaultNetwork = "app" / "default-network", Warning, "an unnamed container network: Marathon's default network";
    Networks = "app" / "networks", Error, "several networks Marathon cannot combine";
    UnreachableStrategy = "app" / "unreachable", Error, "an `unreachable` strategy Marathon refuses";
    PersistentVolume = "app" / "persistent-volume", Error, "a persistent volume Marathon refuses";
    DockerOnly = "app" / "docker-only", Error, "a Docker-only setting on an app in the Mesos containerizer";
    NoPortsWithPorts = "ports" / "no-ports-with-ports", Error, "`no-ports` on an app that declares ports";
    SingleInstance = "label" / "single-instance", Error, "`MARATHON_SINGLE_INSTANCE_APP` with more than one instance or an overlapping upgrade";
    MigrationLabels = "label" / "migration", Error, "a DC/OS migration label without its companions";
    BadUri = "value" / "bad-uri", Error, "a `fetch` URI Marathon cannot parse";
    EnvNotExpanded = "app" / "env-not-expanded", Warning, "an `env` value names a task variable, which Marathon does not expand";
    DuplicateMount = "app" / "duplicate-mount", Error, "two volumes mount at the same container path";
    PullSecret = "app" / "pull-secret", Error, "a `pull-secret` Marathon refuses";
    ExternalVolume = "app" / "external-volume", Error, "an external volume Marathon refuses";
    ResourceLimit = "app" / "resource-limit", Error, "a `limit` below what the app requests";
    Executor = "app" / "executor", Error, "an `executor` that is neither `//cmd` nor a path";

    // Reuse: templates, params, lets, imports, calls.
    UnknownTemplate = "template" / "unknown", Error, "`from` names no template in scope";
    TemplateKind = "template" / "wrong-kind", Error, "an app template used as a group template, or the other way round";
    TemplateCycle = "template" / "cycle", Error, "a template uses itself";
    ReplacesUniqueHost = "template" / "replaces-unique-host", Note, "an app's `constraint` replaces its template's `unique-host`";
    UnknownParam = "param" / "unknown", Error, "a template use or `--set` names no parameter";
    BadSet = "param" / "bad-set", Error, "a `--set` value does not parse";
    Unused = "ref" / "unused", Warning, "a `let` or `param` is never used";
    DnsTarget = "ref" / "dns-target", Error, "`dns()` or `srv()` names no app";
    ImportNotFound = "import" / "not-found", Error, "an imported file cannot be read";
    ImportCycle = "import" / "cycle", Error, "files import each other in a cycle";
    ImportNotLibrary = "import" / "not-a-library", Error, "an imported file declares apps or groups";

    // Limits on what one file can make pkwc spend (`src/limits.rs`, `docs/limits.md`).
    FileTooLarge = "limit" / "file-size", Error, "a file is larger than pkwc reads";
    TooManyApps = "limit" / "apps", Error, "the cluster makes more apps than one compilation holds";
    TooManyGroups = "limit" / "groups", Error, "the cluster makes more groups than one compilation holds";
    TooManyExpansions = "limit" / "expansions", Error, "templates expand more times than one compilation allows";
    ExpansionTooDeep = "limit" / "expansion-depth", Error, "templates expand inside one another too deeply";
    GroupTooDeep = "limit" / "group-depth", Error, "groups nest too deeply once templates are expanded";
    ImportTooDeep = "limit" / "import-depth", Error, "a chain of imports is too long";
    ValueTooLong = "limit" / "value-length", Error, "an interpolated value grows too long";
    OutputTooLarge = "limit" / "output-size", Error, "the JSON output would be larger than pkwc writes";
    DiagnosticsCapped = "limit" / "diagnostics", Note, "more diagnostics than one run prints";

    // Marathon JSON read back (`pkwc check group.json`): the text, then its shape.
    JsonSyntax = "json" / "syntax", Error, "the file is not valid JSON";
    JsonTrailingComma = "json" / "trailing-comma", Warning, "a `,` right before `}` or `]`";
    JsonComment = "json" / "comment", Error, "a JSON file contains a comment";
    JsonTemplate = "json" / "template", Error, "the file is a template whose placeholders are not rendered yet";
    JsonDuplicateKey = "json" / "duplicate-key", Warning, "an object gives the same key twice";
    JsonEmpty = "json" / "empty", Error, "the file holds no JSON value";
    JsonTooDeep = "json" / "too-deep", Error, "arrays and objects are nested too deeply";
    JsonShape = "json" / "shape", Error, "the JSON is not an app, a list of apps, a group or a Marathon answer";
    JsonUnknownField = "json" / "unknown-field", Warning, "an app or group field Marathon does not have";
    JsonWrongType = "json" / "wrong-type", Error, "a field's value is not of the JSON type Marathon reads";
    JsonBadValue = "json" / "bad-value", Error, "a field's value is not one Marathon accepts";
    JsonMissingField = "json" / "missing-field", Error, "an object lacks a field Marathon requires";
    JsonNotChecked = "json" / "not-checked", Warning, "a part of the file pkwc reads but does not check";
    JsonMixedDialect = "json" / "mixed-dialect", Error, "the legacy and the 1.5 network fields in one app";
    JsonDialect = "json" / "dialect", Warning, "the file's network dialect does not match `--marathon`";
    JsonUndeclaredSecret = "json" / "undeclared-secret", Error, "an `env` value refers to a secret the app does not declare";
    ImportLost = "import" / "lost", Error, "`pkwc import` cannot write part of the JSON back as pkw";

    // Control over warnings: `#[allow(…)]` comments and `--allow`/`--warn`/`--deny`.
    AllowUnused = "allow" / "unused", Warning, "an `#[allow(…)]` comment suppresses nothing";
    AllowUnknown = "allow" / "unknown", Warning, "an `#[allow(…)]` comment names no code or topic";
    AllowError = "allow" / "error", Error, "an `#[allow(…)]` comment names an error, which cannot be allowed";
}
