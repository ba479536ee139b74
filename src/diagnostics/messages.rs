//! Every diagnostic's wording, in one place: messages are lowercase without a trailing period, user
//! identifiers in backticks; help lines say what to write instead.

use super::wording::Wording;
use super::{Code, Diagnostic, Severity};
use crate::json::read::{Expected, Found, NumberProblem};
use crate::source::Span;

// ---- input -------------------------------------------------------------------------------------------

pub fn invalid_utf8(file: &str, offset: usize, line: usize) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidUtf8,
        format!("`{file}` is not valid UTF-8: invalid byte at offset {offset} (line {line})"),
    )
    .help("pkw files are UTF-8 text; re-save the file as UTF-8, or check that this is the file you meant")
}

pub fn nul_byte(file: &str, offset: usize, line: usize) -> Diagnostic {
    Diagnostic::new(Code::NulByte, format!("`{file}` contains a NUL byte at offset {offset} (line {line})"))
        .help("pkw files are text; this looks like a binary file")
}

pub fn empty_file(span: Span) -> Diagnostic {
    Diagnostic::new(Code::EmptyFile, "the file declares no apps or groups")
        .primary(span, "nothing to build here")
        .help("declare at least one app, e.g. `app web { image \"nginx\" }`, or a group of apps")
}

// ---- syntax ------------------------------------------------------------------------------------------

pub fn syntax_unexpected(span: Span, expected: &str, found: String) -> Diagnostic {
    Diagnostic::new(Code::Unexpected, format!("expected {expected}, found {found}"))
        .primary(span, "unexpected here")
        .help("each statement is `directive argument* {block}?` and ends at a newline or `;`; quote text that contains spaces or symbols")
}

pub fn unterminated_string(open: Span, end: Span) -> Diagnostic {
    Diagnostic::new(Code::UnterminatedString, "string is never closed")
        .primary(open, "this string starts here")
        .secondary(end, "the line ends before the closing `\"`")
        .help("add the closing `\"`; a string cannot span lines (write `\\n` for a line break)")
}

pub fn bad_escape(span: Span, escape: &str) -> Diagnostic {
    Diagnostic::new(Code::BadEscape, format!("unknown escape `{escape}` in a string"))
        .primary(span, "not an escape pkw knows")
        .help("the escapes are `\\\"`, `\\\\`, `\\n`, `\\t` and `\\$`; write `\\\\` for a literal backslash")
}

/// `last` is the span of the file's last visible character, where the missing `}` was due.
pub fn unclosed_brace(open: Span, last: Span) -> Diagnostic {
    Diagnostic::new(Code::UnclosedBrace, "this `{` is never closed")
        .primary(open, "opened here")
        .secondary(last, "the file ends after this")
        .help("add the matching `}` at the end of the block")
}

/// An unclosed `{` whose block ends, by its indentation, before `next` (a line indented no deeper).
pub fn unclosed_brace_at(open: Span, next: Span) -> Diagnostic {
    Diagnostic::new(Code::UnclosedBrace, "this `{` is never closed")
        .primary(open, "opened here")
        .secondary(next, "by its indentation, the block ends before this line")
        .help(
            "add the matching `}` on its own line before this one; the rest of the file is checked as if it were there",
        )
}

pub fn unmatched_brace(span: Span) -> Diagnostic {
    Diagnostic::new(Code::UnmatchedBrace, "this `}` closes no block")
        .primary(span, "no `{` before it is still open")
        .help("remove this `}`, or add the `{` it was meant to close")
}

pub fn too_deep(span: Span, max: usize) -> Diagnostic {
    Diagnostic::new(Code::TooDeep, format!("blocks are nested too deeply (more than {max} levels)"))
        .primary(span, "this level is too deep")
        .help("real clusters need a handful of levels; check for runaway or generated braces")
}

// ---- directives and arguments ------------------------------------------------------------------------

impl Diagnostic {
    /// The "did you mean" suggestion, if there is one, as a fix replacing `span`.
    fn fixed(self, span: Span, suggestion: Option<&str>) -> Diagnostic {
        match suggestion {
            Some(s) => self.replace_with(span, s),
            None => self,
        }
    }
}

fn did_you_mean(suggestion: Option<&str>, otherwise: String) -> String {
    match suggestion {
        Some(s) => format!("did you mean `{s}`?"),
        None => otherwise,
    }
}

pub fn unknown_directive(
    span: Span,
    name: &str,
    place: &str,
    suggestion: Option<&str>,
    known: Vec<&str>,
) -> Diagnostic {
    Diagnostic::new(Code::UnknownDirective, format!("unknown directive `{name}` {place}"))
        .primary(span, "not a directive pkw knows here")
        .help(did_you_mean(suggestion, format!("directives allowed {place}: {}", known.join(", "))))
        .fixed(span, suggestion)
}

pub fn misplaced_directive(span: Span, name: &str, place: &str, allowed: &str) -> Diagnostic {
    Diagnostic::new(Code::MisplacedDirective, format!("`{name}` cannot be used {place}"))
        .primary(span, format!("`{name}` belongs {allowed}"))
        .help(format!("move `{name}` {allowed}"))
}

pub fn duplicate_directive(span: Span, first: Span, name: &str) -> Diagnostic {
    Diagnostic::new(Code::DuplicateDirective, format!("`{name}` is given twice"))
        .primary(span, "given again here")
        .secondary(first, "first given here")
        .help(format!("`{name}` takes one value; keep the one you mean and delete the other"))
}

pub fn duplicate_option(span: Span, first: Span, name: &str) -> Diagnostic {
    Diagnostic::new(Code::DuplicateDirective, format!("option `{name}` is given twice"))
        .primary(span, "given again here")
        .secondary(first, "first given here")
        .help(format!("keep one `{name}`"))
}

pub fn duplicate_key(span: Span, first: Span, directive: &str, key: &str) -> Diagnostic {
    Diagnostic::new(Code::DuplicateDirective, format!("`{directive} {key}` is set twice"))
        .primary(span, "set again here")
        .secondary(first, "first set here")
        .help(format!("each {directive} key takes one value; keep the one you mean"))
}

pub fn missing_argument(span: Span, directive: &str, arg: &str, kind: &str) -> Diagnostic {
    Diagnostic::new(Code::MissingArgument, format!("`{directive}` needs its {arg}: {kind}"))
        .primary(span, format!("{arg} missing"))
        .help(format!("write it after `{directive}`; `pkwc explain {}` shows the form", Code::MissingArgument.as_str()))
}

pub fn missing_option_value(span: Span, option: &str, kind: &str) -> Diagnostic {
    Diagnostic::new(Code::MissingArgument, format!("option `{option}` needs a value: {kind}"))
        .primary(span, "no value follows")
        .help(format!("write the value right after `{option}`"))
}

pub fn extra_argument(span: Span, directive: &str, why: &str) -> Diagnostic {
    Diagnostic::new(Code::ExtraArgument, format!("too many arguments for `{directive}`: {why}"))
        .primary(span, "not expected here")
        .help("remove it, or quote it if it belongs to the previous string")
}

pub fn unknown_option(
    span: Span,
    word: &str,
    directive: &str,
    suggestion: Option<&str>,
    options: &[crate::schema::Opt],
) -> Diagnostic {
    let known: Vec<&str> = options.iter().map(|o| o.name).collect();
    Diagnostic::new(Code::UnknownOption, format!("`{directive}` has no option `{word}`"))
        .primary(span, "unknown option")
        .help(did_you_mean(suggestion, format!("options of `{directive}`: {}", known.join(", "))))
        .fixed(span, suggestion)
}

pub fn unknown_value(span: Span, word: &str, what: &str, suggestion: Option<&str>, words: &[&str]) -> Diagnostic {
    Diagnostic::new(Code::UnknownOption, format!("`{word}` is not a valid {what}"))
        .primary(span, format!("expected {}", crate::schema::one_of(words)))
        .help(did_you_mean(suggestion, format!("write {}", crate::schema::one_of(words))))
        .fixed(span, suggestion)
}

pub fn unexpected_block(span: Span, directive: &str) -> Diagnostic {
    Diagnostic::new(Code::UnexpectedBlock, format!("`{directive}` does not take a block"))
        .primary(span, "unexpected block")
        .help(format!("write the values of `{directive}` on its line and remove the braces"))
}

pub fn wrong_kind(span: Span, what: &str, expected: &str, found: &str) -> Diagnostic {
    Diagnostic::new(Code::WrongKind, format!("expected {expected} for `{what}`, found {found}"))
        .primary(span, format!("this is {found}"))
        .help(format!("write {expected}"))
}

pub fn duration_without_unit(span: Span, what: &str, number: &str) -> Diagnostic {
    Diagnostic::new(
        Code::WrongKind,
        format!("expected a duration like 30s for `{what}`, found a number without a unit"),
    )
    .primary(span, "no unit")
    .help(format!("write `{number}s` for seconds (units: ms, s, m, h, d)"))
    .replace_with(span, format!("{number}s"))
}

pub fn out_of_range(span: Span, what: &str, value: &str, allowed: &str) -> Diagnostic {
    Diagnostic::new(Code::OutOfRange, format!("`{value}` is out of range for `{what}`"))
        .primary(span, "out of range")
        .help(format!("`{what}` takes {allowed}"))
}

pub fn unknown_unit(span: Span, unit: &str, suggestion: Option<&str>, units: Vec<&str>) -> Diagnostic {
    Diagnostic::new(Code::UnknownUnit, format!("unknown unit `{unit}`"))
        .primary(span, "not a unit pkw knows")
        .help(did_you_mean(suggestion, format!("units here: {}", units.join(", "))))
        .fixed(span, suggestion)
}

/// `seconds` is the written value rounded to whole seconds (at least 1).
pub fn fractional_seconds(span: Span, what: &str, written: &str, seconds: u128) -> Diagnostic {
    Diagnostic::new(Code::FractionalSeconds, format!("`{what}` must be a whole number of seconds"))
        .primary(span, format!("`{written}` is not a whole number of seconds"))
        .help(format!("Marathon counts `{what}` in whole seconds; write `{seconds}s`"))
        .replace_with(span, format!("{seconds}s"))
}

pub fn bad_protocol(span: Span, protocol: &str) -> Diagnostic {
    Diagnostic::new(Code::BadProtocol, format!("unknown port protocol `{protocol}`"))
        .primary(span, "not a protocol")
        .help("write `tcp`, `udp` or `udp+tcp`, e.g. `53/udp`")
}

pub fn invalid_id(span: Span, name: &str, suggestion: Option<String>) -> Diagnostic {
    let fix = match &suggestion {
        Some(s) => format!("write `{s}`: "),
        None => String::new(),
    };
    let d = Diagnostic::new(Code::InvalidId, format!("`{name}` is not a valid Marathon id segment"))
        .primary(span, "invalid name")
        .help(format!(
            "{fix}names use lowercase letters, digits and `-`, start and end with a letter or digit, and may be split into labels by `.`"
        ));
    d.fixed(span, suggestion.as_deref())
}

pub fn reserved_id(span: Span, name: &str) -> Diagnostic {
    Diagnostic::new(Code::ReservedId, format!("`{name}` is reserved by Marathon and cannot end an id"))
        .primary(span, "reserved name")
        .help("Marathon's REST API uses `restart`, `tasks` and `versions` as path words; pick another name, e.g. `{name}-svc`".replace("{name}", name))
}

pub fn needs_newer_marathon(
    span: Span,
    what: &str,
    needed: crate::version::Version,
    target: crate::version::Version,
) -> Diagnostic {
    Diagnostic::new(
        Code::NeedsNewerMarathon,
        format!("Marathon {needed} or later is needed for {what}, but the target is {target}"),
    )
    .primary(span, format!("needs Marathon {needed}"))
    .help(if target.same_release_unpatched(needed) {
        format!(
            "`--marathon {target}` means {target}.0; if your cluster runs {needed} or a later patch, say \
             `--marathon {needed}`; otherwise remove this"
        )
    } else {
        format!("build with `--marathon {needed}` (or newer) if your cluster runs it, or remove this")
    })
}

/// A feature the target Marathon version has dropped.
pub fn no_longer_supported(
    span: Span,
    what: &str,
    gone: crate::version::Version,
    target: crate::version::Version,
) -> Diagnostic {
    Diagnostic::new(Code::NeedsNewerMarathon, format!("Marathon {target} no longer has {what} (gone from {gone})"))
        .primary(span, format!("not in Marathon {target}"))
        .help(format!("remove this, or build for an older cluster with `--marathon` (before {gone})"))
}

/// A field whose JSON name changed within the target's release, which was given without a patch level.
pub fn patch_level_needed(
    span: Span,
    what: &str,
    history: &str,
    target: crate::version::Version,
    choices: [crate::version::Version; 2],
) -> Diagnostic {
    Diagnostic::new(
        Code::PatchLevelNeeded,
        format!("{what} is written differently within Marathon {target}: {history}"),
    )
    .primary(span, format!("`--marathon {target}` does not say which"))
    .help(format!(
        "say the patch level your cluster runs: `--marathon {}` or `--marathon {}` (a wrong guess is silently \
         dropped by Marathon)",
        choices[0], choices[1]
    ))
}

pub fn unsupported_value(span: Span, what: &str, help: &str) -> Diagnostic {
    Diagnostic::new(Code::UnsupportedValue, what.to_string())
        .primary(span, "cannot be expressed")
        .help(help.to_string())
}

// ---- references ---------------------------------------------------------------------------------------

/// `dollar`: `span` holds `$name`, not the name inside `${…}` (the fix writes what the span holds).
pub fn unknown_reference(span: Span, name: &str, suggestion: Option<&str>, dollar: bool) -> Diagnostic {
    Diagnostic::new(Code::UnknownReference, format!("unknown reference `${name}`"))
        .primary(span, "no `let` or `param` has this name")
        .help(did_you_mean(suggestion, format!("declare it first, e.g. `let {name} \"value\"`")))
        .fixed(span, suggestion.map(|s| if dollar { format!("${s}") } else { s.to_string() }).as_deref())
}

pub fn call_arity(span: Span, name: &str) -> Diagnostic {
    let (takes, example) = if name == "srv" {
        ("an app path, and optionally `tcp` or `udp`", "srv(../dns/bind, udp)")
    } else {
        ("exactly one app path", "dns(../db/redis)")
    };
    Diagnostic::new(Code::WrongKind, format!("`{name}()` takes {takes}"))
        .primary(span, "wrong number of arguments")
        .help(format!("write `{example}`"))
}

pub fn unknown_function(span: Span, name: &str, known: &[&str]) -> Diagnostic {
    let list: Vec<String> = known.iter().map(|k| format!("`{k}()`")).collect();
    let suggestion = crate::schema::closest(name, known.iter().copied());
    Diagnostic::new(Code::UnknownFunction, format!("unknown function `{name}`"))
        .primary(span, "not a function pkw has")
        .help(did_you_mean(suggestion, format!("the functions are {}", list.join(" and "))))
}

pub fn invalid_port_name(span: Span, name: &str) -> Diagnostic {
    Diagnostic::new(Code::InvalidId, format!("`{name}` is not a valid port name"))
        .primary(span, "invalid port name")
        .help("port names use lowercase letters, digits and `-`, and start with a letter, e.g. `http` or `jmx-2`")
}

// ---- apps -------------------------------------------------------------------------------------------

pub fn cmd_and_args(cmd: Span, args: Span) -> Diagnostic {
    Diagnostic::new(Code::CmdAndArgs, "an app cannot have both `cmd` and `args`")
        .primary(args, "`args` given here")
        .secondary(cmd, "`cmd` given here")
        .help("use `cmd` for a shell command line, or `args` to run the image's entry point with arguments; delete the other")
}

pub fn no_command(name: Span, id: &str, w: Wording) -> Diagnostic {
    Diagnostic::new(
        Code::NoCommand,
        format!(
            "app `{id}` has nothing to run: {}",
            w.pick("no `cmd`, `args` or `image`", "no `cmd`, `args` or `container.docker.image`")
        ),
    )
    .primary(name, "this app")
    .help(w.pick(
        "add `image \"…\"` to run a Docker image, or `cmd \"…\"` to run a command on the agent",
        "add a `container` with a `docker.image` to run an image, or `\"cmd\": \"…\"` to run a command on the agent",
    ))
}

pub fn needs_image(span: Span, what: &str, w: Wording) -> Diagnostic {
    Diagnostic::new(Code::NeedsImage, format!("{what} needs a container image, but the app has no {}", w.pick("`image`", "`container.docker.image`")))
        .primary(span, w.pick("needs `image`", "needs `container.docker.image`"))
        .help(match (what.starts_with("before Marathon 1.5"), w) {
            (true, Wording::Pkw) => "add `image \"…\"` to the app, or build with `--marathon 1.5` (or newer), where the Mesos containerizer runs it",
            (true, Wording::Json) => "add `\"container\": {\"type\": \"DOCKER\", \"docker\": {\"image\": \"…\"}}`, or check with `--marathon 1.5` (or newer), where the Mesos containerizer runs it",
            (false, Wording::Pkw) => "add `image \"…\"` to the app, or remove this",
            (false, Wording::Json) => "add `\"docker\": {\"image\": \"…\"}` to the app's `container`, or remove this",
        })
}

pub fn empty_value(span: Span, what: &str, expected: &str) -> Diagnostic {
    Diagnostic::new(Code::EmptyValue, format!("`{what}` is empty"))
        .primary(span, "empty")
        .help(format!("Marathon rejects an empty `{what}`; write {expected}"))
}

pub fn cmd_too_short(span: Span, w: Wording) -> Diagnostic {
    Diagnostic::new(Code::EmptyValue, "`cmd` is a single character").primary(span, "too short").help(w.pick(
        "Marathon rejects a `cmd` shorter than two characters; write the whole command, e.g. `cmd \"./run.sh\"`",
        "Marathon rejects a `cmd` shorter than two characters; write the whole command, e.g. `\"cmd\": \"./run.sh\"`",
    ))
}

pub fn gpus_with_docker(gpus: Span, image: Span, w: Wording) -> Diagnostic {
    Diagnostic::new(Code::GpusWithDocker, "`gpus` cannot be used with a Docker image")
        .primary(gpus, "GPUs requested here")
        .secondary(image, "the app runs in the Docker containerizer")
        .help(w.pick(
            "Marathon gives GPUs only to apps in the Mesos containerizer: add `containerizer mesos` (Marathon 1.3+) to run the image there, or remove `gpus`",
            "Marathon gives GPUs only to apps in the Mesos containerizer: make `container.type` `\"MESOS\"` (Marathon 1.3+) to run the image there, or remove `gpus`",
        ))
}

pub fn cpus_not_positive(span: Span, cpus: f64, modern: bool, w: Wording) -> Diagnostic {
    let min = if modern { "at least 0.001" } else { "above 0" };
    Diagnostic::new(
        Code::CpusNotPositive,
        w.pick(format!("`cpus {cpus}` gives the app no CPU"), format!("`\"cpus\": {cpus}` gives the app no CPU")),
    )
    .primary(span, format!("must be {min}"))
    .help(w.pick("write a share of a CPU such as `cpus 0.1`", "give a share of a CPU such as `\"cpus\": 0.1`"))
}

pub fn mem_low(span: Span, mib: f64, w: Wording) -> Diagnostic {
    Diagnostic::new(Code::MemLow, format!("`mem` of {mib}MiB is below 32MiB"))
        .primary(span, "very little memory")
        .help(w.pick(
        "most processes are killed for exceeding this at start; write at least `mem 32MiB` (sizes take MiB, GiB, …)",
        "most processes are killed for exceeding this at start; give at least `\"mem\": 32` (MiB)",
    ))
}

pub fn backoff_factor(span: Span, factor: f64, w: Wording) -> Diagnostic {
    Diagnostic::new(Code::BackoffFactor, w.pick(format!("`backoff factor {factor}` is below 1"), format!("`\"backoffFactor\": {factor}` is below 1")))
        .primary(span, "must be 1 or more")
        .help(w.pick(
            "the factor multiplies the delay after each failed launch; write `factor 1` for a constant delay, `factor 1.15` (Marathon's default) to grow it",
            "the factor multiplies the delay after each failed launch; write `1` for a constant delay, `1.15` (Marathon's default) to grow it",
        ))
}

// ---- ports ------------------------------------------------------------------------------------------

fn port_list(ports: &[(u16, crate::model::Protocol)]) -> String {
    let all_same = ports.windows(2).all(|w| w[0].1 == w[1].1);
    let each: Vec<String> =
        ports.iter().map(|(n, p)| if all_same { n.to_string() } else { format!("{n}/{}", p.marathon()) }).collect();
    let list = match each.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    };
    let s = if ports.len() == 1 { "" } else { "s" };
    match (all_same, ports.first()) {
        (true, Some((_, p))) => format!("port{s} {list} ({})", p.marathon()),
        _ => format!("port{s} {list}"),
    }
}

pub fn host_port_shared(
    apps: &[(&crate::model::App, Span)],
    ports: &[(u16, crate::model::Protocol)],
    agents: u64,
) -> Diagnostic {
    const SHOWN: usize = 8;
    let mut ids: Vec<String> = apps.iter().take(SHOWN).map(|(a, _)| format!("`{}`", a.id)).collect();
    if apps.len() > SHOWN {
        ids.push(format!("{} more apps", apps.len() - SHOWN));
    }
    let last = ids.pop().unwrap_or_default();
    let names = if ids.is_empty() { last } else { format!("{} and {last}", ids.join(", ")) };
    let list = port_list(ports);
    let mut d = Diagnostic::new(
        Code::HostPortShared,
        format!("{names} bind the same host {list}: their tasks can never share an agent"),
    );
    for (i, (app, span)) in apps.iter().take(SHOWN).enumerate() {
        let n = app.instances.as_ref().map_or(1, |x| x.value);
        let text = format!("`{}`, {n} instance{}", app.id, if n == 1 { "" } else { "s" });
        d = if i == 0 { d.primary(*span, text) } else { d.secondary(*span, text) };
    }
    d.help(format!(
        "the cluster needs at least {agents} agents offering {list}; make sure it has them, or give one app other ports"
    ))
}

pub fn pinned_port_conflict(
    apps: &[(&crate::model::App, Span)],
    host: &str,
    ports: &[(u16, crate::model::Protocol)],
) -> Diagnostic {
    let list = port_list(ports);
    let ids: Vec<String> = apps.iter().map(|(a, _)| format!("`{}`", a.id)).collect();
    let mut d = Diagnostic::new(
        Code::PinnedPortConflict,
        format!(
            "{} are pinned to agent `{host}` and bind the same host {list}: they can never run together",
            ids.join(", ")
        ),
    );
    for (i, (app, span)) in apps.iter().enumerate() {
        let text = format!("`{}` binds them on `{host}`", app.id);
        d = if i == 0 { d.primary(*span, text) } else { d.secondary(*span, text) };
    }
    d.help("the later deployment waits forever for the port; pin the apps to different agents or give them different ports")
}

pub fn host_port_no_unique_host(port: Span, instances: Option<Span>, n: u64, w: Wording) -> Diagnostic {
    let d = Diagnostic::new(
        Code::HostPortNoUniqueHost,
        format!("{n} instances bind fixed host ports, but nothing keeps them on separate agents"),
    )
    .primary(port, "fixed host port");
    let d = match instances {
        Some(span) => d.secondary(span, format!("{n} instances")),
        None => d,
    };
    let d = d.help(w.pick(
        "two tasks on one agent would fight over the port and one stays waiting; add `unique-host`",
        "two tasks on one agent would fight over the port and one stays waiting; add `[\"hostname\", \"UNIQUE\"]` to `constraints`",
    ));
    match w {
        Wording::Pkw => d.add_statement(port, "unique-host"),
        Wording::Json => d,
    }
}

pub fn service_port_shared(span: Span, app: &str, first: Span, other: &str, port: u16) -> Diagnostic {
    Diagnostic::new(Code::ServicePortShared, format!("service port {port} is used by both `{other}` and `{app}`"))
        .primary(span, format!("`{app}` uses it here"))
        .secondary(first, format!("`{other}` uses it here"))
        .help(format!(
            "the load balancer routes by service port and cannot tell the two apps apart; give `{app}` another service port (10000-20000 is Marathon's range)"
        ))
}

pub fn duplicate_port(span: Span, first: Span, port: u16) -> Diagnostic {
    Diagnostic::new(Code::DuplicatePort, format!("port {port} is declared twice in this app"))
        .primary(span, "declared again here")
        .secondary(first, "first declared here")
        .help("each port of an app must be different; remove one, or write `0` for a port Marathon picks")
}

pub fn duplicate_port_name(span: Span, first: Span, name: &str) -> Diagnostic {
    Diagnostic::new(Code::DuplicatePortName, format!("port name `{name}` is used twice in this app"))
        .primary(span, "used again here")
        .secondary(first, "first used here")
        .help("port names must be unique within an app; rename one")
}

pub fn service_port_on_host(span: Span, network: Option<Span>) -> Diagnostic {
    let d = Diagnostic::new(Code::ServicePortOnHost, "`service` and `host` options only apply to bridge networking")
        .primary(span, "not used with host networking");
    let d = match network {
        Some(n) => d.secondary(n, "the app uses host networking"),
        None => d,
    };
    d.help("on host networking the port itself is the host port (with `require-ports`) or the service port (without); write `port 8000` or switch to `network bridge`")
}

pub fn require_ports_not_host(span: Span, network: Option<Span>, w: Wording) -> Diagnostic {
    let d = Diagnostic::new(
        Code::RequirePortsNotHost,
        w.pick(
            "`require-ports` has no effect without host networking",
            "`requirePorts` has no effect without host networking",
        ),
    )
    .primary(span, "ignored by Marathon");
    let d = match network {
        Some(n) => d.secondary(n, "the app does not use host networking"),
        None => d,
    };
    d.help(w.pick(
        "remove `require-ports`; on bridge networking fix a host port with `port 8080 host 8080`",
        "remove `requirePorts`; on bridge networking fix a host port with the mapping's `hostPort`",
    ))
}

// ---- health checks ----------------------------------------------------------------------------------

pub fn health_without_ports(span: Span, no_ports: Span, w: Wording) -> Diagnostic {
    Diagnostic::new(Code::HealthPortIndex, "this health check probes a port, but the app holds none")
        .primary(span, "probes the first port")
        .secondary(no_ports, "the app has no port")
        .help(w.pick(
            "use `health command \"…\"`, which needs no port, or give the app the port it serves on instead of `no-ports`",
            "use a `COMMAND` check, which needs no port, or give the app the port it serves on instead of an empty port list",
        ))
}

pub fn health_port_index(span: Span, index: u32, ports: usize, ports_at: Option<Span>, w: Wording) -> Diagnostic {
    let has = match ports {
        0 => "no declared ports (Marathon gives it one dynamic port, index 0)".to_string(),
        1 => "1 port (index 0)".to_string(),
        n => format!("{n} ports (indices 0 to {})", n - 1),
    };
    let probes = w.pick(format!("`port-index {index}`"), format!("`\"portIndex\": {index}`"));
    let d = Diagnostic::new(Code::HealthPortIndex, format!("health check probes {probes}, but the app has {has}"))
        .primary(span, "no such port");
    let d = match ports_at {
        Some(at) => d.secondary(at, "the app's ports"),
        None => d,
    };
    d.help(w.pick(
        "point `port-index` at one of the app's ports (counting from 0), or declare the port",
        "point `portIndex` at one of the app's ports (counting from 0), or declare the port",
    ))
}

pub fn health_path_not_http(path: Span, protocol: Span, proto: &str, w: Wording) -> Diagnostic {
    Diagnostic::new(Code::HealthPathNotHttp, format!("`path` only applies to HTTP checks, not {proto}"))
        .primary(path, "ignored or rejected")
        .secondary(protocol, format!("a {proto} check"))
        .help(w.pick(
            "remove `path`, or make it an `http` check",
            "remove `path`, or make the check's `protocol` `\"HTTP\"`",
        ))
}

pub fn health_command_missing(protocol: Span, w: Wording) -> Diagnostic {
    Diagnostic::new(Code::HealthCommand, "a command health check needs a `command`")
        .primary(protocol, "no command to run")
        .help(w.pick(
            "write `health command command \"curl -f http://localhost:$PORT0/health\"`",
            "add `\"command\": {\"value\": \"curl -f http://localhost:$PORT0/health\"}`",
        ))
}

pub fn health_port_on_command(span: Span, protocol: Span) -> Diagnostic {
    Diagnostic::new(Code::HealthCommand, "a command health check takes no port")
        .primary(span, "not used by a command check")
        .secondary(protocol, "a command check")
        .help("remove it; a command check can read the port from `$PORT0`")
}

pub fn health_command_not_command(span: Span, protocol: Span, proto: &str, w: Wording) -> Diagnostic {
    Diagnostic::new(Code::HealthCommand, format!("`command` only applies to command checks, not {proto}"))
        .primary(span, "Marathon rejects this")
        .secondary(protocol, format!("a {proto} check"))
        .help(w.pick(
            "remove `command`, or write `health command command \"…\"`",
            "remove `command`, or make the check's `protocol` `\"COMMAND\"`",
        ))
}

pub fn health_text_not_command(span: Span, protocol: Span, proto: &str, http: bool) -> Diagnostic {
    let help = if http {
        "an HTTP check's path is an option: write `path \"/health\"`".to_string()
    } else {
        "only `health command \"…\"` takes a string; remove it".to_string()
    };
    Diagnostic::new(Code::HealthCommand, format!("a {proto} check takes no command"))
        .primary(span, "unexpected string")
        .secondary(protocol, format!("a {proto} check"))
        .help(help)
}

pub fn health_port_and_index(port: Span, index: Span, w: Wording) -> Diagnostic {
    let (p, i) = w.pick(("`port`", "`port-index`"), ("`port`", "`portIndex`"));
    Diagnostic::new(Code::HealthPortAndIndex, format!("a health check takes {p} or {i}, not both"))
        .primary(port, format!("{p} given here"))
        .secondary(index, format!("{i} given here"))
        .help(format!("keep {i} to probe one of the app's ports, or {p} for a fixed port"))
}

pub fn health_multiple_mesos(spans: &[Span], w: Wording) -> Diagnostic {
    let mut d = Diagnostic::new(Code::HealthMultipleMesos, "an app can have at most one Mesos health check")
        .primary(spans[1], "a second Mesos check");
    d = d.secondary(spans[0], "the first Mesos check");
    for s in &spans[2..] {
        d = d.secondary(*s, "another Mesos check");
    }
    d.help(w.pick(
        "keep one `mesos-http`, `mesos-https` or `mesos-tcp` check; Marathon rejects more",
        "keep one `MESOS_HTTP`, `MESOS_HTTPS` or `MESOS_TCP` check; Marathon rejects more",
    ))
}

pub fn health_timeout(timeout: Span, t: u64, interval: Option<Span>, i: u64, w: Wording) -> Diagnostic {
    let d = Diagnostic::new(
        Code::HealthTimeout,
        format!("health check timeout ({t}s) is not shorter than its interval ({i}s)"),
    )
    .primary(timeout, format!("timeout {t}s"));
    let d = match interval {
        Some(span) => d.secondary(span, format!("interval {i}s")),
        None => d,
    };
    let note = if interval.is_none() { format!(" (the interval defaults to {i}s)") } else { String::new() };
    let shorter = (i / 2).max(1);
    let example = w.pick(format!("`timeout {shorter}s`"), format!("`\"timeoutSeconds\": {shorter}`"));
    d.help(format!("a slow check is still running when the next one starts, so checks pile up{note}; make the timeout shorter than the interval, e.g. {example}"))
}

// ---- constraints ------------------------------------------------------------------------------------

/// A `like`/`unlike` value Java's `Pattern.compile` refuses, with help for the usual habits from other
/// engines and from shell globs.
pub fn constraint_regex(span: Span, op: &str, pattern: &str, e: &crate::check::java_regex::SyntaxError) -> Diagnostic {
    // Java's index counts the pattern after `\Q…\E` is rewritten: shown only where it is the user's.
    let at = usize::try_from(e.index)
        .ok()
        .filter(|_| !pattern.contains("\\Q"))
        .and_then(|i| pattern.chars().nth(i).map(|c| format!(" at `{c}`, character {} of the pattern", i + 1)))
        .unwrap_or_default();
    let help = if pattern.contains("(?P<") || pattern.contains("(?P=") {
        "Java names a group `(?<name>…)` and refers back to it with `\\k<name>`; `(?P<name>…)` is Python's spelling"
            .to_string()
    } else if e.description.starts_with("Dangling meta character") && pattern.starts_with(['*', '?', '+']) {
        "this reads like a shell glob; in a regular expression any text is `.*`, so `*-ssd` is `.*-ssd`".to_string()
    } else if e.description.starts_with("Dangling meta character") {
        "a quantifier (`*`, `+`, `?`) must follow something to repeat, and cannot follow another (`**`); escape a literal one as `\\*`".to_string()
    } else if e.description.starts_with("Illegal character range") {
        "a range goes from the lower character to the higher, like `[a-z]`; put `-` first or last for a literal dash"
            .to_string()
    } else if let Some(name) = e
        .description
        .strip_prefix("Unknown character property name {")
        .and_then(|n| n.strip_suffix('}'))
        .filter(|n| crate::check::java_regex::check(&format!("\\p{{Is{n}}}")).is_ok())
    {
        format!("Java spells this class `\\p{{Is{name}}}`")
    } else if e.description.starts_with("Unknown character property")
        || e.description.starts_with("Unknown Unicode property")
    {
        "Java's classes are written like `\\p{L}`, `\\p{Lu}`, `\\p{Alpha}`, `\\p{IsLatin}` or `\\p{InGreek}`"
            .to_string()
    } else if e.description.starts_with("Stack overflow") {
        format!("Java's parser runs out of stack on patterns nested this deep (pkwc refuses more than {} levels of groups and classes); flatten the groups", crate::check::java_regex::MAX_NESTING)
    } else if e.description.starts_with("Look-behind") {
        "Java needs a bounded look-behind: replace `*` and `+` inside it with a counted repetition like `{0,10}`"
            .to_string()
    } else {
        format!("Marathon compiles the value with Java's `java.util.regex.Pattern`; `pkwc explain {}` lists what each operator takes", Code::ConstraintValue.as_str())
    };
    Diagnostic::new(
        Code::ConstraintValue,
        format!("invalid `{op}` constraint: Java does not accept this regular expression: {}{at}", e.description),
    )
    .primary(span, "not a Java regular expression")
    .help(help)
}

pub fn constraint_unsatisfiable(span: Span, first: Span, field: &str, a: &str, b: &str, w: Wording) -> Diagnostic {
    Diagnostic::new(Code::ConstraintUnsatisfiable, format!("`{field}` cannot be both \"{a}\" and \"{b}\": no agent satisfies these constraints"))
        .primary(span, format!("asks for \"{b}\""))
        .secondary(first, format!("asks for \"{a}\""))
        .help(w.pick(
            "the tasks would wait forever for an agent; keep one `cluster` value, or use `like` with a pattern that allows both",
            "the tasks would wait forever for an agent; keep one `CLUSTER` value, or use `LIKE` with a pattern that allows both",
        ))
}

pub fn constraint_unique_and_max_per(span: Span, first: Span, field: &str, w: Wording) -> Diagnostic {
    let (unique, max_per) = w.pick(("`unique`", "`max-per`"), ("`UNIQUE`", "`MAX_PER`"));
    Diagnostic::new(Code::ConstraintUniqueMaxPer, format!("{unique} and {max_per} both limit tasks per `{field}`"))
        .primary(span, "the stricter of the two wins")
        .secondary(first, "also limits tasks per value")
        .help(format!(
            "{}; keep the one you mean on `{field}`",
            w.pick("`unique` is `max-per 1`", "`UNIQUE` is `MAX_PER` with \"1\"")
        ))
}

// ---- upgrades ---------------------------------------------------------------------------------------

/// `what` is the fraction: `min-health` or `max-over` (pkw's words; the JSON field is looked up here).
pub fn upgrade_range(span: Span, what: &str, value: f64, w: Wording) -> Diagnostic {
    let field = match (what, w) {
        (_, Wording::Pkw) => what,
        ("min-health", Wording::Json) => "minimumHealthCapacity",
        (_, Wording::Json) => "maximumOverCapacity",
    };
    let example =
        w.pick(format!("a percentage such as `{what} 50%`"), format!("a fraction such as `\"{field}\": 0.5`"));
    Diagnostic::new(Code::UpgradeRange, format!("`{field}` must be between 0% and 100%, found {}%", value * 100.0))
        .primary(span, "out of range")
        .help(format!("write {example}"))
}

pub fn upgrade_no_room(min_health: Span, max_over: Span, n: u64, w: Wording) -> Diagnostic {
    Diagnostic::new(Code::UpgradeNoRoom, format!("this upgrade strategy leaves no room to replace any of the {n} tasks"))
        .primary(min_health, "no old task may stop before a new one is healthy")
        .secondary(max_over, "and no new task may start beside the old ones")
        .help(w.pick(
            "Marathon then starts one task over capacity anyway; say so explicitly with a `max-over` that allows one extra task, or let one task stop first with a lower `min-health`",
            "Marathon then starts one task over capacity anyway; say so explicitly with a `maximumOverCapacity` that allows one extra task, or let one task stop first with a lower `minimumHealthCapacity`",
        ))
}

pub fn upgrade_spare_agent(
    span: Span,
    ports: Span,
    extra: u64,
    instances: u64,
    default: bool,
    forced: bool,
    w: Wording,
) -> Diagnostic {
    let how = if default {
        w.pick(" (Marathon's default `max-over` is 100%)", " (Marathon's default `maximumOverCapacity` is 1)")
    } else {
        ""
    };
    let s = if extra == 1 { "" } else { "s" };
    let help = match (forced, w) {
        (true, Wording::Pkw) => format!("with `min-health` keeping all {instances} running, Marathon starts the new task first; keep a spare agent offering these ports, or lower `min-health` (e.g. `min-health 0%` for one instance) to stop an old task first"),
        (true, Wording::Json) => format!("with `minimumHealthCapacity` keeping all {instances} running, Marathon starts the new task first; keep a spare agent offering these ports, or lower `minimumHealthCapacity` (e.g. `0` for one instance) to stop an old task first"),
        (false, Wording::Pkw) => format!("keep {extra} spare agent{s} offering these ports, or write `max-over 0%` with a `min-health` below 100% to stop old tasks first"),
        (false, Wording::Json) => format!("keep {extra} spare agent{s} offering these ports, or set `\"maximumOverCapacity\": 0` with a `minimumHealthCapacity` below 1 to stop old tasks first"),
    };
    Diagnostic::new(
        Code::UpgradeSpareAgent,
        format!("an upgrade starts up to {extra} extra task{s} beside the {instances} running, each needing an agent of its own"),
    )
    .primary(span, format!("over capacity{how}"))
    .secondary(ports, w.pick("fixed host ports, and `unique-host` keeps one task per agent", "fixed host ports, and `[\"hostname\", \"UNIQUE\"]` keeps one task per agent"))
    .help(help)
}

// ---- ids and names ----------------------------------------------------------------------------------

pub fn duplicate_id(span: Span, kind: &str, first: Span, first_kind: &str, id: &str) -> Diagnostic {
    let message = if kind == first_kind {
        format!("two {kind}s have the id `{id}`")
    } else {
        format!("an app and a group both have the id `{id}`")
    };
    Diagnostic::new(Code::DuplicateId, message)
        .primary(span, format!("this {kind}"))
        .secondary(first, format!("the {first_kind} declared first"))
        .help("ids must be unique in the whole cluster; rename one")
}

pub fn dns_collision(span: Span, id: &str, first: Span, other: &str, name: &str) -> Diagnostic {
    Diagnostic::new(Code::DnsCollision, format!("`{id}` and `{other}` get the same Mesos-DNS name `{name}`"))
        .primary(span, format!("`{id}`"))
        .secondary(first, format!("`{other}`"))
        .help(
            "Mesos-DNS joins id segments with `-`, so these two resolve to each other's tasks; rename one app or group",
        )
}

pub fn dns_too_long(span: Span, call: Span, id: &str, label: &str, max: usize) -> Diagnostic {
    Diagnostic::new(
        Code::DnsTooLong,
        format!("the Mesos-DNS name of `{id}` is {} characters, over the {max}-character limit", label.len()),
    )
    .primary(span, format!("becomes `{label}`"))
    .secondary(call, "this name does not resolve")
    .help("Mesos-DNS cuts the name to 63 characters, so the name `dns()`/`srv()` gives never resolves; shorten the app's or its groups' names")
}

pub fn dns_truncated(span: Span, id: &str, label: &str, max: usize) -> Diagnostic {
    let mut cut = label.to_string();
    cut.truncate(max);
    Diagnostic::new(
        Code::DnsLong,
        format!("the Mesos-DNS name of `{id}` is {} characters, over the {max}-character limit", label.len()),
    )
    .primary(span, format!("Mesos-DNS cuts `{label}` to `{}`", cut.trim_end_matches('-')))
    .help("nothing in this file looks the name up; anything that does must use the cut name; shorten the app's or its groups' names to keep it whole")
}

pub fn dns_long(span: Span, id: &str, label: &str, advised: usize) -> Diagnostic {
    Diagnostic::new(
        Code::DnsLong,
        format!("the Mesos-DNS name of `{id}` is {} characters, over the advised {advised}", label.len()),
    )
    .primary(span, format!("becomes `{label}`"))
    .help("per-task names add about 9 characters and must stay within 63; shorten the app's or its groups' names")
}

// ---- dependencies -----------------------------------------------------------------------------------

pub fn unknown_dependency(span: Span, written: &str, absolute: &str, closest: Option<&str>, w: Wording) -> Diagnostic {
    let resolved = if written == absolute { String::new() } else { format!(" (resolved to `{absolute}`)") };
    let title = w.pick(
        format!("`depends-on {written}` names no app or group{resolved}"),
        format!("the dependency `{written}` names no app or group{resolved}"),
    );
    Diagnostic::new(Code::UnknownDependency, title)
        .primary(span, "nothing has this id")
        .help(match (closest, w) {
            (Some(c), Wording::Pkw) => {
                format!("did you mean `{c}`? paths are relative to the enclosing group, like Marathon's `dependencies`")
            }
            (Some(c), Wording::Json) => format!("did you mean `{c}`? relative paths are relative to the enclosing group"),
            (None, Wording::Pkw) => "paths are relative to the enclosing group (`../db/redis`) or absolute (`/shop/db/redis`); an app or group deployed from elsewhere is declared with `external PATH`".into(),
            (None, Wording::Json) => "paths are relative to the enclosing group (`../db/redis`) or absolute (`/shop/db/redis`); a dependency deployed from elsewhere must already run in Marathon, or the deployment waits for it".into(),
        })
}

pub fn dependency_cycle(chain: &[&str], edges: &[(Span, &str, &str)], w: Wording) -> Diagnostic {
    // A long cycle is named by its first few apps; the labels show every edge.
    const NAMED: usize = 6;
    let mut shown: Vec<String> = chain.iter().take(NAMED).map(|c| format!("`{c}`")).collect();
    if chain.len() > NAMED {
        shown.push(format!("… ({} apps in all)", grouped(chain.len() as u64)));
    }
    if let Some(first) = shown.first().cloned() {
        shown.push(first);
    }
    let mut d = Diagnostic::new(Code::DependencyCycle, format!("dependency cycle: {}", shown.join(" → ")));
    for (i, (span, from, to)) in edges.iter().enumerate() {
        let text = format!("`{from}` depends on `{to}`");
        d = if i == 0 { d.primary(*span, text) } else { d.secondary(*span, text) };
    }
    d.help(w.pick(
        "Marathon rejects the whole group; remove one of these `depends-on`",
        "Marathon rejects the whole group; remove one of these `dependencies`",
    ))
}

pub fn duplicate_constraint(span: Span, first: Span, w: Wording) -> Diagnostic {
    Diagnostic::new(Code::DuplicateConstraint, "the same constraint is given twice")
        .primary(span, "given again here")
        .secondary(first, "first given here")
        .help(w.pick("remove one; `unique-host` is the same as `constraint hostname unique`", "remove one of the two"))
}

// ---- reuse ------------------------------------------------------------------------------------------

pub fn unknown_template(span: Span, name: &str, suggestion: Option<&str>) -> Diagnostic {
    Diagnostic::new(Code::UnknownTemplate, format!("no template named `{name}` is in scope"))
        .primary(span, "unknown template")
        .help(did_you_mean(suggestion, format!("declare it with `template {name} {{ … }}` in this group or an enclosing one, or import the file that has it")))
        .fixed(span, suggestion)
}

pub fn template_is_group(span: Span, name: &str, defined: Span) -> Diagnostic {
    Diagnostic::new(
        Code::TemplateKind,
        format!("`{name}` is a group template: it makes apps, so an app cannot be made `from` it"),
    )
    .primary(span, "a group template")
    .secondary(defined, "declared here, holding apps or groups")
    .help(format!("use it as a directive inside a group: `{name} …`"))
}

pub fn template_is_app(span: Span, name: &str, defined: Span) -> Diagnostic {
    Diagnostic::new(Code::TemplateKind, format!("`{name}` is an app template and cannot be used as a directive"))
        .primary(span, "an app template")
        .secondary(defined, "declared here, holding app directives")
        .help(format!("make an app from it: `app NAME from {name} {{ … }}`"))
}

pub fn template_cycle(uses: &[(Span, String)]) -> Diagnostic {
    let names: Vec<String> = uses.iter().map(|(_, n)| format!("`{n}`")).collect();
    let mut d = Diagnostic::new(
        Code::TemplateCycle,
        format!("template `{}` uses itself: {}", uses.last().map_or("", |u| u.1.as_str()), names.join(" → ")),
    );
    for (i, (span, name)) in uses.iter().enumerate().rev() {
        let text = format!("uses `{name}`");
        d = if i + 1 == uses.len() { d.primary(*span, text) } else { d.secondary(*span, text) };
    }
    d.help("a template cannot expand into itself; break the cycle by writing one of these out in full")
}

pub fn unknown_param(span: Span, name: &str, template: &str, suggestion: Option<&str>, known: &[&str]) -> Diagnostic {
    let list = if known.is_empty() {
        "it has no parameters".to_string()
    } else {
        format!("its parameters: {}", known.join(", "))
    };
    Diagnostic::new(Code::UnknownParam, format!("`{template}` has no parameter `{name}`"))
        .primary(span, "unknown parameter")
        .help(did_you_mean(suggestion, list))
        .fixed(span, suggestion)
}

pub fn unknown_set(span: Span, name: &str, suggestion: Option<&str>, known: &[&str]) -> Diagnostic {
    let list = if known.is_empty() {
        "the file declares no top-level `param`".to_string()
    } else {
        format!("top-level params: {}", known.join(", "))
    };
    Diagnostic::new(Code::UnknownParam, format!("`--set {name}` names no top-level `param`"))
        .primary(span, "unknown parameter")
        .help(did_you_mean(suggestion, list))
}

pub fn set_value_invalid(span: Span, why: &str) -> Diagnostic {
    Diagnostic::new(Code::BadSet, format!("the `--set` value does not parse: {why}"))
        .primary(span, "not a pkw value")
        .help("write a pkw value as in the file: `--set nodes=6`, `--set image='\"cassandra:4\"'`, `--set mem=8GiB`")
}

pub fn param_wrong_kind(span: Span, name: &str, expected: &str, found: &str, default: Span) -> Diagnostic {
    Diagnostic::new(Code::WrongKind, format!("`{name}` takes {expected}, found {found}"))
        .primary(span, format!("this is {found}"))
        .secondary(default, format!("its default is {expected}"))
        .help(format!("a parameter's kind comes from its default; write {expected}"))
}

pub fn not_bool(span: Span, found: &str) -> Diagnostic {
    Diagnostic::new(Code::WrongKind, format!("`if` needs `true` or `false`, found {found}"))
        .primary(span, "not a flag")
        .help("declare the flag with a boolean default, e.g. `param tls false`, and write `if $tls { … }`")
}

pub fn unused(span: Span, kind: &str, name: &str) -> Diagnostic {
    Diagnostic::new(Code::Unused, format!("{kind} `{name}` is never used"))
        .primary(span, "declared here")
        .help(format!("use it as `${name}` (or `${{{name}}}` inside a string), or remove it"))
}

pub fn dns_target(
    span: Span,
    written: &str,
    absolute: Option<&str>,
    closest: Option<&str>,
    is_group: bool,
) -> Diagnostic {
    let message = match absolute {
        None => format!("`{written}` climbs above the root group"),
        Some(a) if is_group => format!("`{written}` names a group, not an app (resolved to `{a}`)"),
        Some(a) if a == written => format!("`{written}` names no app"),
        Some(a) => format!("`{written}` names no app (resolved to `{a}`)"),
    };
    Diagnostic::new(Code::DnsTarget, message).primary(span, "no app here").help(match closest {
        Some(c) => format!("did you mean `{c}`? paths are relative to the enclosing group, like `depends-on`"),
        None => "paths are relative to the enclosing group (`../db/redis`) or absolute (`/shop/db/redis`); an app deployed from elsewhere is declared with `external PATH`".into(),
    })
}

pub fn import_not_found(span: Span, path: &str, error: &str) -> Diagnostic {
    Diagnostic::new(Code::ImportNotFound, format!("cannot import `{path}`: {error}"))
        .primary(span, "imported here")
        .help("import paths are relative to the importing file")
}

pub fn import_cycle(chain: &[(Span, String)]) -> Diagnostic {
    let names: Vec<String> = chain.iter().map(|(_, n)| format!("`{n}`")).collect();
    let message = match names.as_slice() {
        [one] => format!("{one} imports itself"),
        _ => format!("files import each other in a cycle: {}", names.join(" → ")),
    };
    let mut d = Diagnostic::new(Code::ImportCycle, message);
    for (i, (span, name)) in chain.iter().enumerate().rev() {
        let text = format!("imports `{name}`");
        d = if i + 1 == chain.len() { d.primary(*span, text) } else { d.secondary(*span, text) };
    }
    d.help("move what both files need into a third file that both import")
}

pub fn import_not_library(span: Span, name: &str) -> Diagnostic {
    Diagnostic::new(
        Code::ImportNotLibrary,
        format!("an imported file may only hold templates, lets, params, `if` blocks and imports, not `{name}`"),
    )
    .primary(span, "not allowed in an imported file")
    .help("declare apps, groups and settings in the file you build; share templates and lets")
}

// ---- labels and URIs --------------------------------------------------------------------------------

pub fn single_instance(span: Span, label: Span, what: &str, w: Wording) -> Diagnostic {
    Diagnostic::new(Code::SingleInstance, format!("a single-instance app cannot have {what}"))
        .primary(span, "not allowed with the label")
        .secondary(label, "`MARATHON_SINGLE_INSTANCE_APP` is set here")
        .help(w.pick(
            "Marathon requires `instances` 0 or 1 and `upgrade min-health 0% max-over 0%` for single-instance apps",
            "Marathon requires `\"instances\"` 0 or 1 and `\"upgradeStrategy\": {\"minimumHealthCapacity\": 0, \"maximumOverCapacity\": 0}` for single-instance apps",
        ))
}

pub fn migration_labels(span: Span, why: &str) -> Diagnostic {
    Diagnostic::new(Code::MigrationLabels, format!("DC/OS migration labels are incomplete: {why}"))
        .primary(span, "migration label")
        .help("with `DCOS_MIGRATION_API_VERSION \"v1\"` also set `DCOS_PACKAGE_FRAMEWORK_NAME` and `DCOS_MIGRATION_API_PATH`")
}

pub fn bad_uri(span: Span, why: &str) -> Diagnostic {
    Diagnostic::new(Code::BadUri, format!("Marathon cannot parse this URI: {why}")).primary(span, "invalid URI").help(
        "percent-encode spaces and special characters (a space is `%20`), e.g. \"https://example.org/my%20app.tgz\"",
    )
}

/// A fetch URI `java.net.URI` refuses, with help for the usual causes.
pub fn bad_java_uri(span: Span, uri: &str, e: &crate::check::java_uri::SyntaxError) -> Diagnostic {
    let bad = usize::try_from(e.index).ok().and_then(|i| uri.chars().nth(i));
    let at = bad.map(|c| format!(" (`{}` at character {})", c.escape_debug(), e.index + 1)).unwrap_or_default();
    let help = match (e.reason.as_str(), bad) {
        ("Expected authority", _) => {
            "a host must follow `//`, as in \"https://example.org/app.tgz\"; a local file is \"file:///path/app.tgz\""
                .to_string()
        }
        ("Expected scheme-specific part", _) => {
            "a URI needs something after the scheme, as in \"https://example.org/app.tgz\"".to_string()
        }
        (r, Some('#')) if r.starts_with("Illegal character in fragment") => {
            "only one `#` may appear (it starts the fragment); write a second one as `%23`".to_string()
        }
        (r, Some('[' | ']')) if r.starts_with("Illegal character in path") => {
            "brackets are not allowed in a path: write `[` as `%5B` and `]` as `%5D`".to_string()
        }
        ("Malformed escape pair", _) => "`%` starts an escape of two hex digits; a literal `%` is `%25`".to_string(),
        (r, Some(c)) if r.starts_with("Illegal character") => {
            let mut buf = [0u8; 4];
            let escaped: String = c.encode_utf8(&mut buf).bytes().map(|b| format!("%{b:02X}")).collect();
            format!("percent-encode it: `{}` is `{escaped}`", c.escape_debug())
        }
        _ => "Marathon parses fetch URIs with Java's `java.net.URI` (RFC 2396); percent-encode special characters"
            .to_string(),
    };
    Diagnostic::new(Code::BadUri, format!("Marathon cannot parse this URI: {}{at}", e.reason))
        .primary(span, "invalid URI")
        .help(help)
}

pub fn legacy_fetch_extract(span: Span, archive: bool) -> Diagnostic {
    let what = if archive {
        "before Marathon 0.15 every archive URI is extracted, so `fetch` without `extract` cannot be expressed"
    } else {
        "before Marathon 0.15 only archives (.tgz, .tar.gz, .tbz2, .tar.bz2, .txz, .tar.xz, .zip) are extracted, so `extract` on this URI cannot be expressed"
    };
    Diagnostic::new(Code::UnsupportedValue, what).primary(span, "written as a plain `uris` entry").help(if archive {
        "add `extract`, or build with `--marathon 0.15` or later"
    } else {
        "remove `extract`, or build with `--marathon 0.15` or later"
    })
}

pub fn invalid_network_name(span: Span, name: &str) -> Diagnostic {
    Diagnostic::new(Code::InvalidId, format!("`{name}` is not a valid container network name"))
        .primary(span, "invalid network name")
        .help("network names use lowercase letters, digits, `-` and `_`, start and end with a letter or digit, and have at most 63 characters")
}

// ---- limits -----------------------------------------------------------------------------------------

/// Thousands separators for the counts limits report.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn mib(bytes: u64) -> String {
    format!("{} MiB", grouped(bytes / (1024 * 1024)))
}

pub fn bare_carriage_return(span: Span) -> Diagnostic {
    Diagnostic::new(Code::BareCarriageReturn, "a line ends with a carriage return alone (classic Mac OS line endings)")
        .primary(span, "carriage return without a line feed")
        .help(
            "pkw lines end with a line feed (LF) or CR LF; convert the file, e.g. `tr '\\r' '\\n' < in.pkw > out.pkw`",
        )
}

pub fn file_too_large(file: &str) -> Diagnostic {
    Diagnostic::new(
        Code::FileTooLarge,
        format!("`{file}` is larger than {} (the most pkwc reads from one file)", mib(crate::limits::MAX_FILE_BYTES)),
    )
    .help("a real cluster is a few megabytes of pkw; check that this is the file you meant, or split the cluster into several files")
}

pub fn too_many_apps(span: Span, max: usize) -> Diagnostic {
    Diagnostic::new(Code::TooManyApps, format!("the cluster makes more than {} apps", grouped(max as u64)))
        .primary(span, "this app is one too many")
        .help("this is far beyond any real Marathon cluster; check for a template that uses itself many times over")
}

pub fn too_many_expansions(span: Span, max: usize) -> Diagnostic {
    Diagnostic::new(Code::TooManyExpansions, format!("templates expand more than {} times", grouped(max as u64)))
        .primary(span, "this use is one too many")
        .help("group templates that each use the one before several times grow exponentially; use each template once per level, or write the groups out")
}

/// A use of a group template that would make more than `max` apps (or expansions) on its own.
pub fn template_makes_too_many(
    use_site: Span,
    name: &str,
    declared: Span,
    what: &str,
    n: u64,
    max: usize,
) -> Diagnostic {
    let code = match what {
        "apps" => Code::TooManyApps,
        "groups" => Code::TooManyGroups,
        _ => Code::TooManyExpansions,
    };
    let count = if n == u64::MAX { "more than 18 quintillion".to_string() } else { grouped(n) };
    Diagnostic::new(code, format!("`{name}` can make up to {count} {what}, more than the {} one compilation allows", grouped(max as u64)))
        .primary(use_site, "used here")
        .secondary(declared, "this template uses others that use others in turn")
        .help("a group template that uses the one before it several times grows exponentially; use each template once per level, or write the groups out")
}

pub fn expansion_too_deep(span: Span, max: usize) -> Diagnostic {
    Diagnostic::new(Code::ExpansionTooDeep, format!("templates expand inside one another more than {max} levels deep"))
        .primary(span, "this use is too deep")
        .help("a chain of templates that each use the next needs only a few levels; flatten it")
}

pub fn group_too_deep(span: Span, max: usize) -> Diagnostic {
    Diagnostic::new(Code::GroupTooDeep, format!("groups nest more than {max} levels deep once templates are expanded"))
        .primary(span, "this group is too deep")
        .help("every group level adds to the app's id and Mesos-DNS name (at most 63 characters); keep groups a few levels deep")
}

pub fn import_too_deep(span: Span, max: usize) -> Diagnostic {
    Diagnostic::new(Code::ImportTooDeep, format!("imports are chained more than {max} files deep"))
        .primary(span, "this import is too deep")
        .help("import the shared files from one place instead of through a long chain")
}

pub fn value_too_long(span: Span, max: usize) -> Diagnostic {
    Diagnostic::new(Code::ValueTooLong, format!("this interpolated value grows beyond {} bytes", grouped(max as u64)))
        .primary(span, "built here")
        .help("a `let` that interpolates itself twice doubles at every level; Marathon values are short text")
}

pub fn output_too_large(span: Span, max: u64) -> Diagnostic {
    Diagnostic::new(Code::OutputTooLarge, format!("the JSON output would be larger than {}", mib(max)))
        .primary(span, "this cluster")
        .help("Marathon could not take a group this large in one request; split the cluster into several files")
}

/// The line that stands for a code's warnings beyond the first few of a human report.
pub fn same_code_hidden(code: Code, severity: Severity, n: usize) -> Diagnostic {
    let what = if severity == Severity::Note { "notes" } else { "warnings" };
    Diagnostic::new(
        Code::DiagnosticsCapped,
        format!("{} more `{}` {what} like the ones above are not drawn", grouped(n as u64), code.as_str()),
    )
    .help(format!(
        "`pkwc check --format json` lists every one; `--allow {}` silences them, `--deny {}` makes them errors",
        code.as_str(),
        code.as_str()
    ))
}

/// The summary after the last printed diagnostic.
pub fn diagnostics_capped(shown: usize, errors: usize, warnings: usize, notes: usize) -> Diagnostic {
    Diagnostic::new(
        Code::DiagnosticsCapped,
        format!(
            "not shown: {} more (only the first {} diagnostics are printed)",
            summary_line(errors, warnings, notes),
            grouped(shown as u64)
        ),
    )
    .help("fix the first ones and run again; they often cause the rest")
}

// ---- control over warnings --------------------------------------------------------------------------

pub fn allow_unknown(span: Span, selector: &str, suggestion: Option<&str>) -> Diagnostic {
    Diagnostic::new(Code::AllowUnknown, format!("`{selector}` is neither a diagnostic code nor a topic"))
        .primary(span, "allows nothing")
        .help(did_you_mean(
            suggestion,
            "name a code as `pkwc check` prints it (`ports::host-port-shared`) or a topic (`ports`); `pkwc explain --list` lists them".into(),
        ))
}

pub fn allow_error(span: Span, code: &str) -> Diagnostic {
    Diagnostic::new(Code::AllowError, format!("`{code}` is an error, and errors cannot be allowed"))
        .primary(span, "an error")
        .help("an error is what Marathon would reject; fix what it reports instead")
}

/// `covers`: whether the comment covers a statement at all.
pub fn allow_unused(span: Span, covers: bool) -> Diagnostic {
    let d = Diagnostic::new(Code::AllowUnused, "this `#[allow(…)]` suppresses nothing")
        .primary(span, "nothing to allow here");
    if covers {
        d.help("the statement it covers raises none of these; remove the comment, or move it to the statement whose warning it is for")
    } else {
        d.help("no statement follows it in its block; `#[allow(…)]` covers the next statement, `#![allow(…)]` the whole block")
    }
}

/// The help of a diagnostic that one template line raised for `uses` apps, folded into one.
pub fn folded(help: Option<String>, uses: usize) -> String {
    let note = format!("the same line raises this for {} apps in all", grouped(uses as u64));
    match help {
        Some(help) => format!("{help}\n{note}"),
        None => note,
    }
}

/// The last line of a human report: how many of each severity, e.g. `2 errors, 3 warnings`.
pub fn summary_line(errors: usize, warnings: usize, notes: usize) -> String {
    let mut parts = Vec::new();
    for (n, one, many) in [(errors, "error", "errors"), (warnings, "warning", "warnings"), (notes, "note", "notes")] {
        if n > 0 {
            parts.push(format!("{} {}", grouped(n as u64), if n == 1 { one } else { many }));
        }
    }
    parts.join(", ")
}

// ---- app and health rules --------------------------------------------------------------------------

pub fn env_not_expanded(span: Span, key: &str, variable: &str, w: Wording) -> Diagnostic {
    Diagnostic::new(
        Code::EnvNotExpanded,
        format!("{} names `{variable}`, which Marathon passes on literally, unexpanded", w.pick(format!("`env {key}`"), format!("`env.{key}`"))),
    )
    .primary(span, format!("the task sees the text `{variable}` here"))
    .help({
        // `$NAME`, not `${NAME}`: in a pkw string, `${…}` is pkw's own interpolation.
        let name = variable.trim_start_matches('$').trim_start_matches('{').trim_end_matches('}');
        let example = w.pick(format!("`cmd \"{key}=${name} exec ./run\"`"), format!("`\"cmd\": \"{key}=${name} exec ./run\"`"));
        format!(
            "Marathon sets `{name}` in the task's environment but does not substitute it into other values; expand it where a shell runs, e.g. {example}"
        )
    })
}

pub fn duplicate_mount(span: Span, first: Span, path: &str) -> Diagnostic {
    Diagnostic::new(Code::DuplicateMount, format!("two volumes mount at `{path}`"))
        .primary(span, "mounted again here")
        .secondary(first, "first mounted here")
        .help("Docker refuses to start a container with a duplicate mount point, so every task fails; keep one of them")
}

pub fn health_duplicate(span: Span, first: Span) -> Diagnostic {
    Diagnostic::new(Code::HealthDuplicate, "the same health check is given twice")
        .primary(span, "given again here")
        .secondary(first, "first given here")
        .help("Marathon runs both, so each probe is made twice and one failure counts twice; remove one")
}

pub fn health_mixed(mesos: Span, marathon: Span, w: Wording) -> Diagnostic {
    Diagnostic::new(Code::HealthMixed, "the app mixes Mesos and Marathon health checks")
        .primary(mesos, "run by the Mesos agent, next to the task")
        .secondary(marathon, "run by Marathon, from the Marathon host")
        .help(w.pick(
            "the two can disagree (a network between Marathon and the agent fails only one); use one kind, preferably the Mesos one (`health mesos-http`, `mesos-tcp`) from Marathon 1.4",
            "the two can disagree (a network between Marathon and the agent fails only one); use one kind, preferably the Mesos one (`MESOS_HTTP`, `MESOS_TCP`) from Marathon 1.4",
        ))
}

/// `operator` in pkw's word and Marathon's (`unlike`, `UNLIKE`).
pub fn constraint_ruled_out(
    rule: Span,
    pinned: Span,
    field: &str,
    value: &str,
    operator: (&str, &str),
    w: Wording,
) -> Diagnostic {
    let operator = w.pick(operator.0, operator.1);
    Diagnostic::new(
        Code::ConstraintUnsatisfiable,
        format!("`{field}` must be \"{value}\", which this `{operator}` rules out: no agent satisfies both"),
    )
    .primary(rule, format!("rules out \"{value}\""))
    .secondary(pinned, format!("asks for \"{value}\""))
    .help("the tasks would wait forever for an agent; drop one of the two, or make the pattern allow the value")
}

pub fn pinned_instances(
    count: Span,
    pin: Span,
    alone: Span,
    instances: u64,
    host: &str,
    why: &str,
    w: Wording,
) -> Diagnostic {
    Diagnostic::new(
        Code::ConstraintUnsatisfiable,
        format!("{instances} instances are pinned to the one agent `{host}`, which can run only one of them"),
    )
    .primary(count, format!("{instances} instances"))
    .secondary(pin, "all on this agent")
    .secondary(alone, why)
    .help(w.pick(
        "one task starts and the deployment waits forever for the others; run `instances 1`, or pin to a group of agents (`constraint rack cluster \"r1\"`) instead of one",
        "one task starts and the deployment waits forever for the others; set `\"instances\": 1`, or pin to a group of agents (`[\"rack\", \"CLUSTER\", \"r1\"]`) instead of one",
    ))
}

/// `top` holds the top-level groups and apps, with what each is.
pub fn root_group(top: &[(Span, &str)]) -> Diagnostic {
    let mut d = Diagnostic::new(
        Code::RootGroup,
        "the file compiles to the root group `/`, which `POST /v2/groups` refuses and `PUT /v2/groups` applies by replacing the whole cluster",
    );
    for (i, (span, what)) in top.iter().enumerate() {
        d = if i == 0 {
            d.primary(*span, format!("{what} at the top level"))
        } else {
            d.secondary(*span, format!("{what} at the top level too"))
        };
    }
    d.help("put everything in one group (`group shop { … }`) and POST that; to replace the whole cluster on purpose, use `PUT /v2/groups` and say so with `#![allow(id::root-group)]`")
}

pub fn set_without_value(span: Span, name: &str, kind: &str, default: Span) -> Diagnostic {
    Diagnostic::new(Code::BadSet, format!("`--set {name}` gives no value, and `{name}` is not a flag"))
        .primary(span, "no `=VALUE`")
        .secondary(default, format!("`{name}` takes {kind}, from its default"))
        .help(format!("write `--set {name}=VALUE` with {kind}"))
}

pub fn constraint_replaces_unique_host(constraint: Span, unique_host: Span, template: &str) -> Diagnostic {
    Diagnostic::new(
        Code::ReplacesUniqueHost,
        format!(
            "this app's `constraint` list replaces template `{template}`'s, so its `unique-host` no longer applies"
        ),
    )
    .primary(constraint, "the app's own constraints")
    .secondary(unique_host, "no longer applies to this app")
    .help("an app's constraints replace its template's as a whole; add `unique-host` to the app too if it should stay")
}

pub fn container_port_mapped_twice(span: Span, first: Span, port: u16) -> Diagnostic {
    Diagnostic::new(Code::ContainerPortTwice, format!("container port {port} is mapped twice"))
        .primary(span, "mapped again here")
        .secondary(first, "first mapped here")
        .help("Marathon and Docker publish it on both host ports, which is rarely meant; remove one mapping, or allow this if the port should answer on two host ports")
}

pub fn service_port_reused(span: Span, app: &str, first: Span, other: &str, port: u16) -> Diagnostic {
    Diagnostic::new(Code::ServicePortReused, format!("service port {port} is used by both `{other}` and `{app}`"))
        .primary(span, format!("`{app}` uses it here"))
        .secondary(first, format!("`{other}` uses it here"))
        .help(format!(
            "Marathon 1.3+ accepts it, and it only works while no load balancer serves both apps (their `HAPROXY_GROUP` labels differ); give `{app}` another service port to be safe"
        ))
}

pub fn too_many_groups(span: Span, max: usize) -> Diagnostic {
    Diagnostic::new(Code::TooManyGroups, format!("the cluster makes more than {} groups", grouped(max as u64)))
        .primary(span, "this group is one too many")
        .help("this is far beyond any real Marathon cluster; check for a group template that uses another many times over")
}

/// A text Marathon 1.5+ limits in length (its RAML `maxLength`).
pub fn too_long(span: Span, what: &str, max: usize) -> Diagnostic {
    Diagnostic::new(
        Code::OutOfRange,
        format!("this {what} is longer than the {} characters Marathon accepts", grouped(max as u64)),
    )
    .primary(span, "too long")
    .help("Marathon 1.5 and later refuse it; shorten it, e.g. serve the file from a shorter path")
}

// ---- passthrough -------------------------------------------------------------------------------------

pub fn passthrough_path(span: Span, path: &str, wanted: &str) -> Diagnostic {
    Diagnostic::new(Code::PassthroughUnknown, format!("`marathon {path}`: pkwc passes through {wanted}"))
        .primary(span, "not a field pkwc can pass through")
        .help("write the whole object of the outermost field instead, e.g. `marathon check { http { portIndex 0; path \"/health\" } }`")
}

pub fn passthrough_unknown(
    span: Span,
    path: &str,
    parent: &str,
    suggestion: Option<&str>,
    directive: Option<&str>,
) -> Diagnostic {
    let place = if parent.is_empty() { "this object".to_string() } else { format!("`{parent}`") };
    let help = match (suggestion, directive) {
        (Some(s), Some(d)) => format!("did you mean `{s}`? pkw writes that field itself: use `{d}`"),
        _ => did_you_mean(
            suggestion,
            "`pkwc explain pkw::passthrough::unknown-field` says where the field names come from".to_string(),
        ),
    };
    Diagnostic::new(Code::PassthroughUnknown, format!("`marathon {path}`: Marathon has no such field in {place}"))
        .primary(span, "unknown field")
        .help(help)
}

pub fn passthrough_no_longer_read(
    span: Span,
    field: &str,
    until: crate::version::Version,
    target: crate::version::Version,
) -> Diagnostic {
    Diagnostic::new(
        Code::NeedsNewerMarathon,
        format!("Marathon {target} no longer reads the `{field}` field (gone from {until})"),
    )
    .primary(span, format!("not read by Marathon {target}"))
    .help("use the field that replaced it, or check against the version you run with `--marathon`")
}

pub fn passthrough_covered(span: Span, path: &str, covered: &str, directive: &str) -> Diagnostic {
    let what =
        if covered == path { format!("`{path}`") } else { format!("`{covered}`, which `{path}` holds or is part of,") };
    Diagnostic::new(Code::PassthroughCovered, format!("`marathon {path}`: {what} is written by pkw"))
        .primary(span, "a directive covers this")
        .help(format!("use `{directive}` instead; a passthrough is for fields pkw has no directive for"))
}

pub fn passthrough_type(span: Span, path: &str, first: &str, count: usize, w: Wording) -> Diagnostic {
    let more = if count > 1 { format!(" (and {} more)", count - 1) } else { String::new() };
    Diagnostic::new(Code::PassthroughType, w.pick(format!("`marathon {path}`: {first}{more}"), format!("`{path}`: {first}{more}")))
        .primary(span, "not what Marathon reads here")
        .help(w.pick(
            "a number is written plain (`300`), text as a word or a string, `true`/`false`, an object as a block of `key value` lines, an array as several values or a repeated key",
            "give the field the JSON type Marathon reads for it (`pkwc explain pkw::passthrough::wrong-type`)",
        ))
}

pub fn no_ports_with_ports(no_ports: Span, port: Span) -> Diagnostic {
    Diagnostic::new(Code::NoPortsWithPorts, "`no-ports` together with a port")
        .primary(no_ports, "says the app holds no port")
        .secondary(port, "but it declares this one")
        .help("remove `no-ports` to keep the ports, or the `port`/`ports` lines for a worker that listens on nothing")
}

pub fn docker_only(span: Span, what: &str, mesos: Span, w: Wording) -> Diagnostic {
    Diagnostic::new(Code::DockerOnly, format!("{what} needs the Docker containerizer"))
        .primary(span, "Docker only")
        .secondary(mesos, "the app runs in the Mesos containerizer")
        .help(w.pick(
            "remove it, or drop `containerizer mesos` to run the image with Docker",
            "remove it, or make `container.type` `\"DOCKER\"` to run the image with Docker",
        ))
}

/// `option` is pkw's word (`delay`, `ignore-1xx`, `ip-protocol`); `mesos_only` says which checks take it.
pub fn health_option_protocol(
    span: Span,
    protocol: Span,
    option: &str,
    proto: &str,
    mesos_only: bool,
    w: Wording,
) -> Diagnostic {
    let option = match (option, w) {
        (_, Wording::Pkw) => option,
        ("delay", Wording::Json) => "delaySeconds",
        ("ignore-1xx", Wording::Json) => "ignoreHttp1xx",
        (_, Wording::Json) => "ipProtocol",
    };
    let applies = match (mesos_only, w) {
        (true, Wording::Pkw) => "Mesos checks (mesos-http, mesos-https, mesos-tcp)",
        (true, Wording::Json) => "Mesos checks (MESOS_HTTP, MESOS_HTTPS, MESOS_TCP)",
        (false, Wording::Pkw) => "Marathon's HTTP checks (http, https)",
        (false, Wording::Json) => "Marathon's HTTP checks (HTTP, HTTPS)",
    };
    Diagnostic::new(Code::HealthOptionProtocol, format!("`{option}` applies to {applies}, not to this {proto} check"))
        .primary(span, "not for this check")
        .secondary(protocol, format!("the {proto} check"))
        .help(format!("remove `{option}`, or use it on one of {applies}"))
}

pub fn port_range_on_port(span: Span) -> Diagnostic {
    Diagnostic::new(Code::WrongKind, "`port` takes one port, not a range")
        .primary(span, "a range")
        .help("write the range with `ports` (`ports 10000-10099`), or one port here")
}

pub fn default_network(span: Span, w: Wording) -> Diagnostic {
    Diagnostic::new(Code::DefaultNetwork, w.pick("`network container` without a name joins Marathon's default network", "a `container` network without a `name` joins Marathon's default network"))
        .primary(span, "no network name")
        .help(w.pick(
            "Marathon accepts it only when it runs with `--default_network_name`, and refuses the app otherwise; name the network (`network container dcos`) to depend on nothing",
            "Marathon accepts it only when it runs with `--default_network_name`, and refuses the app otherwise; give the network its `name` (`{\"mode\": \"container\", \"name\": \"dcos\"}`) to depend on nothing",
        ))
}

pub fn readiness_port(
    span: Span,
    name: &str,
    known: &[&str],
    suggestion: Option<&str>,
    written: bool,
    w: Wording,
) -> Diagnostic {
    let title = if written {
        format!("the readiness check probes the port `{name}`, which the app does not name")
    } else {
        format!(
            "the readiness check has no {}, so Marathon probes the port named `{name}`, which the app does not have",
            w.pick("`port`", "`portName`")
        )
    };
    let help = match (suggestion, known, w) {
        (Some(s), _, Wording::Pkw) => format!("did you mean `port {s}`?"),
        (Some(s), _, Wording::Json) => format!("did you mean `\"portName\": \"{s}\"`?"),
        (None, [], Wording::Pkw) => {
            "name the port it probes (`port http 8080`), then probe it with `readiness http port http`".to_string()
        }
        (None, [], Wording::Json) => {
            "give the port it probes a `name`, and the readiness check that name as its `portName`".to_string()
        }
        (None, names, Wording::Pkw) => {
            format!("probe one of the app's named ports with `port NAME`: {}", names.join(", "))
        }
        (None, names, Wording::Json) => format!("make `portName` one of the app's port names: {}", names.join(", ")),
    };
    Diagnostic::new(Code::Readiness, title).primary(span, "no port of this name").help(help)
}

/// `timeout` and `interval` are where they were written; an unwritten one is Marathon's default.
/// `timeout` and `interval` are where they were written; an unwritten one is Marathon's default.
pub fn readiness_timeout(
    check: Span,
    timeout: Option<Span>,
    interval: Option<Span>,
    t: u64,
    i: u64,
    w: Wording,
) -> Diagnostic {
    let default = |written: Option<Span>| if written.is_some() { "" } else { ", Marathon's default" };
    let d = Diagnostic::new(
        Code::Readiness,
        format!(
            "a readiness check's timeout ({t}s{}) must be shorter than its interval ({i}s{})",
            default(timeout),
            default(interval)
        ),
    )
    .primary(timeout.or(interval).unwrap_or(check), "not shorter than the interval")
    .help(w.pick(
        "shorten `timeout` or lengthen `interval` (Marathon's defaults are 10s and 30s)",
        "shorten `timeoutSeconds` or lengthen `intervalSeconds` (Marathon's defaults are 10 and 30)",
    ));
    match (timeout, interval) {
        (Some(_), Some(i)) => d.secondary(i, "the interval"),
        _ => d,
    }
}

pub fn readiness_status(span: Span, status: i64, w: Wording) -> Diagnostic {
    Diagnostic::new(Code::Readiness, format!("{status} is not an HTTP status code"))
        .primary(span, "not from 100 to 999")
        .help(w.pick(
            "give the status that means ready, like `status 200`",
            "give the statuses that mean ready, like `\"httpStatusCodesForReady\": [200]`",
        ))
}

pub fn readiness_no_ports(span: Span, w: Wording) -> Diagnostic {
    Diagnostic::new(Code::Readiness, "a readiness check on an app without ports")
        .primary(span, "nothing to probe")
        .help(w.pick(
            "declare the port it probes (`port http 8080`), or remove the readiness check",
            "declare the port it probes, with a `name`, or remove the readiness check",
        ))
}

pub fn mesos_check_port(span: Span, index: u32, count: usize) -> Diagnostic {
    let has = match count {
        0 => "no ports".to_string(),
        1 => "one port (index 0)".to_string(),
        n => format!("{n} ports (indexes 0 to {})", n - 1),
    };
    Diagnostic::new(Code::MesosCheck, format!("the Mesos check probes port index {index}, but the app has {has}"))
        .primary(span, "no port at this index")
        .help(if count == 0 {
            "declare the port it probes".to_string()
        } else {
            format!("use an index below {count}, or declare the port")
        })
}

/// `option` in pkw's word (`path`, `port-index`).
pub fn mesos_check_option(span: Span, option: &str, kind: &str, w: Wording) -> Diagnostic {
    let option = if w.is_json() && option == "port-index" { "portIndex" } else { option };
    Diagnostic::new(Code::MesosCheck, format!("`{option}` does not apply to a `{kind}` Mesos check"))
        .primary(span, "not for this check")
        .help(format!("remove `{option}`: only `http` checks take a path, only `http` and `tcp` checks a port"))
}

pub fn pull_secret_docker(span: Span, w: Wording) -> Diagnostic {
    Diagnostic::new(
        Code::PullSecret,
        w.pick("`pull-secret` needs the Mesos containerizer", "`pullConfig` needs the Mesos containerizer"),
    )
    .primary(span, "Marathon refuses `pullConfig` in a Docker container")
    .help(w.pick(
        "add `containerizer mesos` (the image is then pulled by Mesos), or use `docker-param` credentials",
        "make `container.type` `\"MESOS\"` (the image is then pulled by Mesos)",
    ))
}

pub fn pull_secret_no_image(span: Span, w: Wording) -> Diagnostic {
    Diagnostic::new(
        Code::PullSecret,
        w.pick("`pull-secret` on an app without an image", "`pullConfig` on an app without an image"),
    )
    .primary(span, "nothing to pull")
    .help(w.pick(
        "add the `image` the secret is for, or remove `pull-secret`",
        "add the `docker.image` the secret is for, or remove `pullConfig`",
    ))
}

pub fn pull_secret_undeclared(span: Span, name: &str, suggestion: Option<&str>, w: Wording) -> Diagnostic {
    Diagnostic::new(
        Code::PullSecret,
        w.pick(
            format!("`pull-secret {name}` names no `secret` of this app"),
            format!("`pullConfig.secret` `{name}` names no secret in the app's `secrets`"),
        ),
    )
    .primary(span, "no such secret")
    .help(did_you_mean(
        suggestion,
        w.pick(
            format!("declare it: `secret {name} \"/path/in/the/store\"`"),
            format!("declare it: `\"secrets\": {{\"{name}\": {{\"source\": \"/path/in/the/store\"}}}}`"),
        ),
    ))
}

pub fn external_volume_shared(span: Span, first: Span, name: &str, first_app: &str) -> Diagnostic {
    Diagnostic::new(Code::ExternalVolume, format!("the external volume `{name}` is used twice"))
        .primary(span, "used again here")
        .secondary(first, format!("first used by {first_app}"))
        .help("Marathon refuses two volumes with one name: a volume can be attached to one task at a time; give each its own name")
}

pub fn resource_limit(span: Span, request: Span, resource: &str, limit: &str, asked: &str, w: Wording) -> Diagnostic {
    let written = w.pick(format!("`limit {resource} {limit}`"), format!("`resourceLimits.{resource}` {limit}"));
    Diagnostic::new(Code::ResourceLimit, format!("{written} is below the {asked} the app requests"))
        .primary(span, "below the request")
        .secondary(request, "requested here")
        .help(w.pick(
            format!("a limit is at least the request: raise it, or write `limit {resource} unlimited`"),
            format!("a limit is at least the request: raise it, or write `\"{resource}\": \"unlimited\"`"),
        ))
}

pub fn resource_limit_default(span: Span, resource: &str, limit: &str, asked: &str, w: Wording) -> Diagnostic {
    let written = w.pick(format!("`limit {resource} {limit}`"), format!("`resourceLimits.{resource}` {limit}"));
    Diagnostic::new(Code::ResourceLimit, format!("{written} is below the {asked} Marathon requests by default"))
        .primary(span, "below the request")
        .help(format!("give `{resource}` explicitly, at most the limit, or raise the limit"))
}

pub fn executor(span: Span, written: &str, w: Wording) -> Diagnostic {
    Diagnostic::new(
        Code::Executor,
        w.pick(
            format!("`executor \"{written}\"` is neither `//cmd` nor a path"),
            format!("`\"executor\": \"{written}\"` is neither `//cmd` nor a path"),
        ),
    )
    .primary(span, "Marathon refuses this")
    .help("write `\"//cmd\"` for the command executor, or the executor's path without empty segments (`/opt/exec/run`)")
}

pub fn port_network_undeclared(
    span: Span,
    name: &str,
    network: Option<Span>,
    declared: &[&str],
    w: Wording,
) -> Diagnostic {
    let d =
        Diagnostic::new(Code::Networks, format!("the port names the network `{name}`, which the app does not join"))
            .primary(span, "not one of the app's networks");
    let d = match network {
        Some(n) => d.secondary(n, "the app's networks start here"),
        None => d,
    };
    d.help(match (declared, w) {
        ([], Wording::Pkw) => format!("join it first (`network container {name}`), or remove the port's `network`"),
        ([], Wording::Json) => format!("join it first (`{{\"mode\": \"container\", \"name\": \"{name}\"}}` in `networks`), or remove it from `networkNames`"),
        (names, _) => format!("name one of the app's container networks: {}", names.join(", ")),
    })
}

pub fn network_option_not_container(span: Span, mode: &str) -> Diagnostic {
    Diagnostic::new(Code::ExtraArgument, format!("`network {mode}` takes no labels or groups"))
        .primary(span, "only for a container network")
        .help("remove it: labels and IP-per-task groups belong to `network container NAME`")
}

// ---- Marathon JSON read back ---------------------------------------------------------------------------

/// `last` is the last visible character (a comment), or the start of an empty file.
pub fn json_empty(last: Span, only_comments: bool) -> Diagnostic {
    let what = if only_comments { "the file holds only comments, no JSON value" } else { "the file is empty" };
    Diagnostic::new(Code::JsonEmpty, what)
        .primary(last, "nothing to read here")
        .help("a file for Marathon holds one app `{\"id\": …}`, a list of apps `[…]`, or a group; check the tool that wrote it")
}

/// A bare word, cut short for a message.
fn json_word(w: &str) -> String {
    match w.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &w[..i]),
        None => w.to_string(),
    }
}

fn json_found(found: Found) -> String {
    match found {
        Found::Punct(p) => format!("`{p}`"),
        Found::Str => "a string".to_string(),
        Found::Number(n) => format!("the number `{}`", json_word(n)),
        Found::Literal(l) => format!("`{l}`"),
        Found::Word(w) => format!("`{}`", json_word(w)),
        Found::EndOfFile => "the end of the file".to_string(),
    }
}

fn json_value_help(found: Found) -> String {
    let word = match found {
        Found::Word(w) => w,
        Found::Punct("," | "}" | "]") => return "write the value, or remove the extra `,`".to_string(),
        _ => {
            return "a value is a string in double quotes, a number, `true`, `false`, `null`, `{…}` or `[…]`"
                .to_string()
        }
    };
    match word.to_ascii_lowercase().as_str() {
        "true" | "false" | "null" => format!("JSON writes `{}` in lower case", word.to_ascii_lowercase()),
        "none" | "nil" | "undefined" => "JSON's empty value is `null`".to_string(),
        "nan" | "infinity" | "-infinity" => {
            "JSON has no `NaN` or `Infinity`: write a number, or text in quotes".to_string()
        }
        _ => format!("text is written in double quotes: `\"{}\"`", json_word(word)),
    }
}

pub fn json_expected(span: Span, expected: Expected, found: Found, after: Option<Span>) -> Diagnostic {
    let (what, label, help) = match expected {
        Expected::Root => (
            "a JSON value".to_string(),
            "unexpected here",
            "a Marathon file holds one JSON value: an app or a group `{…}`, or a list of apps `[…]`".to_string(),
        ),
        Expected::ValueAfterColon => ("a value after `:`".to_string(), "not a value", json_value_help(found)),
        Expected::ItemOrEnd => ("a value or `]`".to_string(), "not a value", json_value_help(found)),
        Expected::ItemAfterComma => ("a value after `,`".to_string(), "not a value", json_value_help(found)),
        Expected::KeyOrEnd | Expected::KeyAfterComma => {
            let what = if expected == Expected::KeyOrEnd { "a quoted key or `}`" } else { "a quoted key after `,`" };
            let help = match found {
                Found::Word(w) => format!("keys are written in double quotes: `\"{}\"`", json_word(w)),
                _ => "each member of an object is `\"key\": value`, and members are separated by `,`".to_string(),
            };
            (what.to_string(), "expected a key here", help)
        }
        Expected::Colon => {
            ("`:` after the key".to_string(), "expected `:` here", "write `:` between a key and its value".to_string())
        }
        Expected::CommaOrBrace | Expected::CommaOrBracket => {
            let (close, thing, list) =
                if expected == Expected::CommaOrBrace { ("}", "member", "object") } else { ("]", "item", "array") };
            let help = match found {
                Found::Punct(p) if p == "}" || p == "]" => {
                    format!("this `{p}` closes nothing that is open here: close the innermost one with `{close}`")
                }
                _ => format!("is a `,` missing? {thing}s are separated by `,`, and the {list} ends with `{close}`"),
            };
            (format!("`,` or `{close}` after this {thing}"), "expected `,` here", help)
        }
    };
    let mut d = Diagnostic::new(Code::JsonSyntax, format!("expected {what}, found {}", json_found(found)))
        .primary(span, label)
        .help(help);
    if let Some(after) = after {
        let what = match expected {
            Expected::Colon => "this key",
            Expected::CommaOrBrace => "after this member",
            _ => "after this item",
        };
        d = d.secondary(after, what);
    }
    d
}

/// `last` is the file's last visible character; `open` the bracket that is never closed.
pub fn json_unclosed(last: Span, open: Span, object: bool) -> Diagnostic {
    let (what, close) = if object { ("object", "}") } else { ("array", "]") };
    Diagnostic::new(Code::JsonSyntax, format!("the file ends before this {what} is closed"))
        .primary(last, format!("the file ends here: expected `{close}`"))
        .secondary(open, format!("this {what} is never closed"))
        .help(format!("the file may be cut short; otherwise add the missing `{close}`"))
}

pub fn json_trailing_text(span: Span, found: Found, value: Span) -> Diagnostic {
    Diagnostic::new(Code::JsonSyntax, format!("unexpected {} after the file's JSON value", json_found(found)))
        .primary(span, "more text after the value")
        .secondary(value, "the value ends here")
        .help("a file holds one value; to send several apps, put them in a list `[{…}, {…}]` or in a group's `apps`")
}

/// `open` is the string's opening quote, `line_end` where its line ends.
pub fn json_unterminated_string(open: Span, line_end: Span) -> Diagnostic {
    Diagnostic::new(Code::JsonSyntax, "unterminated string")
        .primary(open, "this string is not closed on its line")
        .secondary(line_end, "the line ends here")
        .help("add the closing `\"`; a JSON string cannot span lines (write `\\n` for a line break)")
}

pub fn json_bad_escape(span: Span, escape: &str) -> Diagnostic {
    Diagnostic::new(Code::JsonSyntax, format!("unknown escape `{escape}` in a string"))
        .primary(span, "not a JSON escape")
        .help("JSON's escapes are `\\\"`, `\\\\`, `\\/`, `\\b`, `\\f`, `\\n`, `\\r`, `\\t` and `\\uXXXX`; write `\\\\` for a backslash")
}

pub fn json_bad_unicode_escape(span: Span, escape: &str) -> Diagnostic {
    Diagnostic::new(Code::JsonSyntax, format!("invalid unicode escape `{escape}`"))
        .primary(span, "not a character")
        .help("`\\u` takes four hex digits, and a character beyond `\\uFFFF` is a pair (`\\ud83d\\ude00`); or write the character itself")
}

pub fn json_single_quoted(span: Span) -> Diagnostic {
    Diagnostic::new(Code::JsonSyntax, "a string in single quotes")
        .primary(span, "JSON strings use double quotes")
        .help("write the string in double quotes: `\"…\"`")
}

pub fn json_bad_number(span: Span, problem: NumberProblem) -> Diagnostic {
    let (what, help) = match problem {
        NumberProblem::LeadingZero => {
            ("a number starts with `0`", "remove the leading zeros (`8`, not `08`); quote it if it is text")
        }
        NumberProblem::Hexadecimal => ("a hexadecimal number", "JSON numbers are decimal: write `255`, not `0xFF`"),
        NumberProblem::LeadingPlus => ("a number starts with `+`", "remove the `+`: JSON numbers take only a `-`"),
        NumberProblem::BareDecimalPoint => {
            ("a decimal point without digits on both sides", "write `0.5` and `1.0`, not `.5` or `1.`")
        }
        NumberProblem::DigitAfterMinus => ("`-` without a number after it", "write the digits right after the `-`"),
        NumberProblem::Exponent => {
            ("an exponent without digits", "write the exponent's digits after `e`: `1e3`, `2.5E-1`")
        }
    };
    Diagnostic::new(Code::JsonSyntax, format!("invalid number: {what}")).primary(span, "not a JSON number").help(help)
}

pub fn json_unexpected_char(span: Span, c: char) -> Diagnostic {
    let shown = if c.is_control() || c.is_whitespace() { format!("U+{:04X}", c as u32) } else { format!("`{c}`") };
    Diagnostic::new(Code::JsonSyntax, format!("unexpected character {shown}"))
        .primary(span, "JSON has no token that starts here")
        .help("text is written in double quotes; outside them JSON has only `{ } [ ] , :`, numbers, `true`, `false` and `null`")
}

/// The first control character inside a string, and how many there are in the file's strings.
pub fn json_control_char(span: Span, byte: u8, count: usize) -> Diagnostic {
    let (what, escape) = match byte {
        b'\t' => ("a tab".to_string(), "`\\t`".to_string()),
        b => (format!("control character U+{:04X}", b), format!("`\\u{:04x}`", b)),
    };
    let more = if count > 1 { format!(" ({count} in the file's strings)") } else { String::new() };
    Diagnostic::new(Code::JsonSyntax, format!("{what} inside a string{more}"))
        .primary(span, "must be escaped")
        .help(format!("JSON strings cannot hold control characters as they are: write {escape}"))
}

/// The first character between tokens that JSON does not count as whitespace, and how many there are.
pub fn json_bad_whitespace(span: Span, c: char, count: usize) -> Diagnostic {
    let more = if count > 1 { format!(" ({count} in the file)") } else { String::new() };
    Diagnostic::new(Code::JsonSyntax, format!("U+{:04X} is not whitespace in JSON{more}", c as u32))
        .primary(span, "only spaces, tabs and line breaks may stand between values")
        .help("replace it with a space; it often comes from copying text out of a web page or a word processor")
}

/// The first comments of the file (the first is the primary label), and how many there are.
pub fn json_comments(spans: &[Span], count: usize) -> Diagnostic {
    let message = match count {
        1 => "a comment in a JSON file".to_string(),
        n => format!("{n} comments in a JSON file"),
    };
    let mut d = Diagnostic::new(Code::JsonComment, message)
        .help("Marathon's JSON reader refuses comments: remove them, or keep notes in a `labels` entry");
    for (i, span) in spans.iter().enumerate() {
        d = if i == 0 { d.primary(*span, "JSON has no comments") } else { d.secondary(*span, "and this one") };
    }
    d
}

pub fn json_unclosed_comment(span: Span) -> Diagnostic {
    Diagnostic::new(Code::JsonComment, "a `/*` comment is never closed, and JSON has no comments")
        .primary(span, "opened here")
        .help("Marathon's JSON reader refuses comments: remove it")
}

/// `closer` is the `}` or `]` right after the comma.
pub fn json_trailing_comma(comma: Span, closer: Span, object: bool) -> Diagnostic {
    let what = if object { "object" } else { "array" };
    Diagnostic::new(Code::JsonTrailingComma, format!("trailing comma before the end of an {what}"))
        .primary(comma, "nothing follows this `,`")
        .secondary(closer, format!("the {what} ends here"))
        .help("remove the `,`: strict JSON readers, Marathon's among them depending on its version, refuse it")
}

/// `first` is the first trailing comma past those reported one by one.
pub fn json_more_trailing_commas(first: Span, n: usize) -> Diagnostic {
    Diagnostic::new(Code::JsonTrailingComma, format!("{n} more trailing commas"))
        .primary(first, "the first of them")
        .help("remove the `,` before each `}` and `]`")
}

/// `first` is the first duplicate key past those reported one by one.
pub fn json_more_duplicate_keys(first: Span, n: usize) -> Diagnostic {
    Diagnostic::new(Code::JsonDuplicateKey, format!("{n} more keys given twice in one object"))
        .primary(first, "the first of them")
        .help("keep one member per key: Marathon reads only the last")
}

/// `later` is the key Marathon keeps (the last), `first` the one it drops.
pub fn json_duplicate_key(later: Span, first: Span, key: &str) -> Diagnostic {
    Diagnostic::new(Code::JsonDuplicateKey, format!("`{key}` is given twice in one object"))
        .primary(later, "Marathon keeps this one")
        .secondary(first, "and drops this one")
        .help(format!("keep one `{key}`: Marathon reads only the last, so the first is silently lost"))
}

pub fn json_template(span: Span, placeholder: &str) -> Diagnostic {
    Diagnostic::new(Code::JsonTemplate, format!("the file is a template: `{}` is not rendered", json_word(placeholder)))
        .primary(span, "a template placeholder where a JSON value should be")
        .help("render the template first (with the tool and values it is made for), and check the file it produces")
}

pub fn json_too_deep(span: Span, max: usize) -> Diagnostic {
    Diagnostic::new(Code::JsonTooDeep, format!("arrays and objects are nested too deeply (more than {max} levels)"))
        .primary(span, "this level is too deep")
        .help("Marathon apps and groups need a few dozen levels; check for generated or runaway brackets")
}

/// `found` says what the value is, in words (`a string`).
pub fn json_shape(span: Span, found: &str) -> Diagnostic {
    Diagnostic::new(Code::JsonShape, format!("expected a Marathon app, a list of apps or a group, found {found}"))
        .primary(span, "not something Marathon deploys")
        .help("an app is `{\"id\": …}`, a group `{\"id\": …, \"apps\": […], \"groups\": […]}`; what `GET /v2/apps`, `GET /v2/apps/ID` and `GET /v2/groups` answer is read too")
}

pub fn json_not_an_app(span: Span, found: &str) -> Diagnostic {
    Diagnostic::new(Code::JsonShape, format!("expected an app, an object, found {found}"))
        .primary(span, "not an app")
        .help("each app is an object: `{\"id\": \"/web\", …}`")
}

pub fn json_unknown_field(span: Span, field: &str, what: &str, suggestion: Option<&str>) -> Diagnostic {
    Diagnostic::new(Code::JsonUnknownField, format!("`{field}` is not a field of {what} in any Marathon version"))
        .primary(span, "Marathon ignores this field")
        .help(did_you_mean(suggestion, "remove it, or check its spelling against Marathon's app reference".to_string()))
}

pub fn json_wrong_type(span: Span, field: &str, expected: &str, found: &str) -> Diagnostic {
    Diagnostic::new(Code::JsonWrongType, format!("`{field}` must be {expected}, found {found}"))
        .primary(span, format!("expected {expected}"))
        .help(format!("Marathon refuses the app with 422: write `{field}` as {expected}"))
}

pub fn json_bad_value(span: Span, field: &str, value: &str, expected: &str) -> Diagnostic {
    Diagnostic::new(Code::JsonBadValue, format!("`{field}`: {value} is not accepted"))
        .primary(span, format!("expected {expected}"))
        .help(format!("write {expected}"))
}

pub fn json_unknown_word(span: Span, field: &str, value: &str, suggestion: Option<&str>, words: &[&str]) -> Diagnostic {
    let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
    Diagnostic::new(Code::JsonBadValue, format!("`{field}`: \"{value}\" is not a value Marathon knows"))
        .primary(span, "unknown value")
        .help(match suggestion {
            Some(s) => format!("did you mean \"{s}\"?"),
            None => format!("write one of {}", quoted.join(", ")),
        })
}

pub fn json_missing_field(span: Span, field: &str, what: &str) -> Diagnostic {
    Diagnostic::new(Code::JsonMissingField, format!("{what} needs `{field}`"))
        .primary(span, format!("no `{field}` here"))
        .help(format!("add `\"{field}\": …`; Marathon refuses it without one"))
}

pub fn json_not_checked(span: Span, what: &str) -> Diagnostic {
    Diagnostic::new(Code::JsonNotChecked, format!("pkwc does not check {what}"))
        .primary(span, "read, not checked")
        .help("the rest of the file is checked; Marathon's own validation still applies to this part")
}

pub fn json_mixed_dialect(span: Span, legacy: Span, legacy_field: &str, field: &str) -> Diagnostic {
    Diagnostic::new(Code::JsonMixedDialect, format!("`{field}` and `{legacy_field}` in one app"))
        .primary(span, "the 1.5 network field")
        .secondary(legacy, "a legacy network field")
        .help("Marathon refuses the app (\"cannot mix deprecated and canonical network APIs\"): keep one dialect, `networks` and `container.portMappings` from 1.5")
}

pub fn json_dialect(span: Span, field: &str, legacy: bool, target: crate::version::Version) -> Diagnostic {
    let (title, help) = if legacy {
        (
            format!("`{field}` is a legacy network field, but the target is Marathon {target}"),
            "Marathon 1.5 and later translate it; to check the file as the cluster that runs it, pass `--marathon` with that version (e.g. `--marathon 1.4`)".to_string(),
        )
    } else {
        (
            format!("`{field}` is a Marathon 1.5 network field, but the target is {target}"),
            format!("Marathon {target} does not read it: pass `--marathon 1.5` (or newer) if the cluster runs it"),
        )
    };
    Diagnostic::new(Code::JsonDialect, title).primary(span, "written in the other dialect").help(help)
}

pub fn json_undeclared_secret(span: Span, name: &str, suggestion: Option<&str>) -> Diagnostic {
    Diagnostic::new(
        Code::JsonUndeclaredSecret,
        format!("`env` refers to the secret `{name}`, which the app does not declare"),
    )
    .primary(span, "no such secret in `secrets`")
    .help(did_you_mean(
        suggestion,
        format!("declare it: `\"secrets\": {{\"{name}\": {{\"source\": \"/path/in/the/store\"}}}}`"),
    ))
}

/// A value Marathon refuses, with what to write instead: one entry per rule, in both wordings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    UnreachableDisabledTimes,
    ExpungeBeforeInactive,
    ResidentUnreachable,
    NetworksMixedModes,
    NetworkTwice,
    DockerOneNetwork,
    HostPortNetworkName,
    ExternalName,
    ExternalSize,
    PersistentPath,
    PersistentWholeMib,
    PersistentSize,
    PathLikeType,
    MaxSizeType,
    MaxSizeSmall,
    ResidentMaxOver,
}

/// (code, what is wrong, the primary label, what to write in pkw, what to write in JSON)
fn refusal_text(r: Refusal) -> (Code, &'static str, &'static str, &'static str, &'static str) {
    use Refusal::*;
    const REFUSED: &str = "Marathon refuses this";
    match r {
        UnreachableDisabledTimes => (Code::UnreachableStrategy, "a disabled unreachable strategy takes no times", REFUSED,
            "write `unreachable disabled`, or the times without it",
            "write `\"unreachableStrategy\": \"disabled\"`, or an object with the times"),
        ExpungeBeforeInactive => (Code::UnreachableStrategy, "a task is expunged before it is even inactive", REFUSED,
            "make `expunge-after` at least `inactive-after`",
            "make `expungeAfterSeconds` at least `inactiveAfterSeconds`"),
        ResidentUnreachable => (Code::UnreachableStrategy, "a resident app (one with persistent or external volumes, or residency) must not replace unreachable tasks", REFUSED,
            "its tasks stay with their reservations and volumes: Marathon must not replace them elsewhere; write `unreachable disabled`",
            "its tasks stay with their reservations and volumes: Marathon must not replace them elsewhere; write `\"unreachableStrategy\": \"disabled\"`"),
        NetworksMixedModes => (Code::Networks, "an app joins one host or bridge network, or container networks only", "this network",
            "keep one `network` line, or make every one `network container NAME`",
            "keep one entry in `networks`, or make every one `{\"mode\": \"container\", \"name\": …}`"),
        NetworkTwice => (Code::Networks, "the app joins this container network twice", "this network",
            "remove one of the two lines",
            "remove one of the two entries"),
        DockerOneNetwork => (Code::Networks, "the Docker containerizer joins one container network only", "this network",
            "add `containerizer mesos` to join several, or keep one network",
            "make `container.type` `\"MESOS\"` to join several, or keep one network"),
        HostPortNetworkName => (Code::Networks, "with several container networks, a port with a host port names exactly one network", "a host port",
            "add `network NAME` to the port with the network its host port is published on, or drop `host`",
            "give the mapping `\"networkNames\": [NAME]` with the network its `hostPort` is published on, or drop `hostPort`"),
        ExternalName => (Code::ExternalVolume, "an external volume needs a name", REFUSED,
            "give the provider's volume name, like `pgdata`",
            "give `external.name`, the provider's volume name"),
        ExternalSize => (Code::ExternalVolume, "an external volume's size is a whole number of GiB above 0", REFUSED,
            "write it in whole GiB, like `100GiB`",
            "write `external.size` in whole GiB, like `100`"),
        PersistentPath => (Code::PersistentVolume, "a persistent volume's path is one name inside the sandbox, without `/`", REFUSED,
            "write a plain name like `data`, and point the program at it (e.g. with an `env`)",
            "make `containerPath` a plain name like `\"data\"`, and point the program at it (e.g. with an `env` value)"),
        PersistentWholeMib => (Code::PersistentVolume, "a persistent volume's size is a whole number of MiB", REFUSED,
            "round it to whole MiB, like `512MiB` or `10GiB`",
            "round it to whole MiB, like `512`"),
        PersistentSize => (Code::PersistentVolume, "a persistent volume needs a size above 0", REFUSED,
            "give its size, like `10GiB`",
            "give `persistent.size` in MiB, like `10240`"),
        PathLikeType => (Code::PersistentVolume, "a disk path constraint applies only to `path` and `mount` volumes", REFUSED,
            "add `type path` or `type mount`, or remove `path-like`: a root volume has no disk path to match",
            "set `persistent.type` to `\"path\"` or `\"mount\"`, or remove `constraints`: a root volume has no disk path to match"),
        MaxSizeType => (Code::PersistentVolume, "a maximum size applies only to `mount` volumes", REFUSED,
            "add `type mount`, or remove `max-size`",
            "set `persistent.type` to `\"mount\"`, or remove `maxSize`"),
        MaxSizeSmall => (Code::PersistentVolume, "a persistent volume's maximum size must be larger than its size", REFUSED,
            "raise `max-size` above the volume's size",
            "raise `maxSize` above `size`"),
        ResidentMaxOver => (Code::PersistentVolume, "a resident app (one with persistent or external volumes, or residency) must upgrade without extra tasks", REFUSED,
            "write `max-over 0%`: a task keeps its reservation and volumes, so Marathon stops it before starting its replacement",
            "set `\"maximumOverCapacity\": 0`: a task keeps its reservation and volumes, so Marathon stops it before starting its replacement"),
    }
}

pub fn refusal(r: Refusal, span: Span, w: Wording) -> Diagnostic {
    let (code, what, label, pkw, json) = refusal_text(r);
    Diagnostic::new(code, what).primary(span, label).help(w.pick(pkw, json))
}

pub fn external_provider(span: Span, provider: &str, w: Wording) -> Diagnostic {
    Diagnostic::new(Code::ExternalVolume, format!("Marathon has no external volume provider `{provider}`"))
        .primary(span, "Marathon refuses this")
        .help(w.pick(
            "write `provider dvdi` (Docker volume driver isolation), or leave it out: it is the default",
            "write `\"provider\": \"dvdi\"` (Docker volume driver isolation), the only provider Marathon has",
        ))
}

pub fn path_like_regex(span: Span, error: &str, w: Wording) -> Diagnostic {
    Diagnostic::new(Code::PersistentVolume, format!("the disk path pattern is not a Java regular expression: {error}"))
        .primary(span, "Marathon refuses this")
        .help(w.pick(
            "Marathon matches the disk's path with Java's `Pattern`; fix `path-like`",
            "Marathon matches the disk's path with Java's `Pattern`; fix the `LIKE` value",
        ))
}

/// What is wrong with a constraint's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConstraintProblem {
    UniqueValue,
    GroupByValue,
    MaxPerMissing,
    MaxPerValue,
    RegexMissing,
    RegexEmpty,
    IsMissing,
    IsValue,
}

/// `op` is the operator in pkw's word and Marathon's (`max-per`, `MAX_PER`).
pub fn constraint_value(
    span: Span,
    field: &str,
    op: (&str, &str),
    problem: ConstraintProblem,
    w: Wording,
) -> Diagnostic {
    use ConstraintProblem::*;
    let why = match problem {
        UniqueValue => "it takes no value",
        GroupByValue => "it takes no value or a whole number of distinct values up to 2147483647",
        MaxPerMissing => "it needs the number of tasks allowed per value",
        MaxPerValue => "it takes a whole number from 1 to 2147483647",
        RegexMissing => "it needs a regular expression",
        RegexEmpty => "the regular expression is empty",
        IsMissing => "it needs the value to match",
        IsValue => "it compares Mesos text or number values: letters, digits, `_`, `/`, `.` and `-`",
    };
    let (word, upper) = op;
    let example = match problem {
        UniqueValue => w.pick(format!("`constraint {field} unique`"), format!("`[\"{field}\", \"UNIQUE\"]`")),
        GroupByValue => w.pick(
            format!("`constraint {field} group-by 3`, or no number"),
            format!("`[\"{field}\", \"GROUP_BY\", \"3\"]`, or no value"),
        ),
        MaxPerMissing | MaxPerValue => {
            w.pick(format!("`constraint {field} max-per 2`"), format!("`[\"{field}\", \"MAX_PER\", \"2\"]`"))
        }
        RegexMissing | RegexEmpty => w.pick(
            format!("`constraint {field} {word} \"rack-[0-9]+\"`"),
            format!("`[\"{field}\", \"{upper}\", \"rack-[0-9]+\"]`"),
        ),
        IsMissing | IsValue => {
            w.pick(format!("`constraint {field} is \"ssd\"`"), format!("`[\"{field}\", \"IS\", \"ssd\"]`"))
        }
    };
    Diagnostic::new(
        Code::ConstraintValue,
        format!("invalid {} constraint: {why}", w.pick(format!("`{word}`"), format!("`{upper}`"))),
    )
    .primary(span, "does not fit the operator")
    .help(format!("write {example}"))
}

/// A feature the target version lacks, named in the file's own words.
pub fn needs_feature(
    span: Span,
    feature: crate::version::Feature,
    target: crate::version::Version,
    w: Wording,
) -> Diagnostic {
    let (what, since) = feature.info();
    let d = needs_newer_marathon(span, w.pick(what, feature_json(feature)), since, target);
    match w {
        Wording::Pkw => d,
        Wording::Json if target.same_release_unpatched(since) => d.help(format!(
            "`--marathon {target}` means {target}.0; if your cluster runs {since} or a later patch, check with `--marathon {since}`; otherwise remove the field"
        )),
        Wording::Json => {
            d.help(format!("check with `--marathon {since}` (or newer) if your cluster runs it, or remove the field"))
        }
    }
}

/// A feature as Marathon JSON spells it (`Feature::info` has pkw's words).
fn feature_json(feature: crate::version::Feature) -> &'static str {
    use crate::version::Feature::*;
    match feature {
        Fetch => "`fetch` entries with `executable` or `cache`",
        FetchDest => "a `fetch` entry's destination",
        MaxPer => "the `MAX_PER` constraint",
        Is => "the `IS` constraint",
        UdpTcp => "the `udp,tcp` protocol",
        MesosHealthChecks => "Mesos health checks (`MESOS_HTTP`, `MESOS_HTTPS`, `MESOS_TCP`)",
        HttpsHealthChecks => "HTTPS health checks",
        HealthPort => "a health check's `port`",
        ForcePull => "`forcePullImage`",
        Gpus => "`gpus`",
        KillGrace => "`taskKillGracePeriodSeconds`",
        PortMappingName => "named port mappings",
        HostPortProtocol => "a protocol other than tcp in `portDefinitions`",
        HostPortName => "named `portDefinitions`",
        ContainerNetwork => "a named container network (docker `USER` and `ipAddress.networkName`)",
        MesosContainerizer => "`container.type` `MESOS` with a Docker image",
        DefaultNetwork => "a container network without a `name` (Marathon's default network)",
        AcceptedRoles => "`acceptedResourceRoles`",
        PersistentVolumes => "persistent volumes",
        Secrets => "`secrets`",
        HealthDelay => "a health check's `delaySeconds`",
        Unreachable => "`unreachableStrategy`",
        KillSelection => "`killSelection`",
        HealthIgnore1xx => "a health check's `ignoreHttp1xx`",
        HealthIpProtocol => "a health check's `ipProtocol`",
        PortLabels => "port `labels`",
        PortNetworkNames => "a port mapping's `networkNames`",
        Tty => "`tty`",
        Role => "`role`",
        PullSecret => "`container.docker.pullConfig`",
        ExternalVolumes => "external volumes",
        SecretVolumes => "secret volumes",
        VolumeProfile => "a persistent volume's `profileName`",
        Residency => "`residency`",
        Readiness => "`readinessChecks`",
        MesosCheck => "`check`",
        ResourceLimits => "`resourceLimits`",
    }
}

/// Names of settings the rules mention, in the file's own words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Term {
    MesosContainerizer,
    Privileged,
    ForcePull,
    DockerParam,
    HostVolume,
    OverlappingUpgrade,
}

pub fn term(t: Term, w: Wording) -> &'static str {
    match t {
        Term::MesosContainerizer => w.pick("`containerizer mesos`", "`container.type` `MESOS`"),
        Term::Privileged => w.pick("`privileged`", "`docker.privileged`"),
        Term::ForcePull => w.pick("`force-pull`", "`docker.forcePullImage`"),
        Term::DockerParam => w.pick("`docker-param`", "`docker.parameters`"),
        Term::HostVolume => w.pick("`volume`", "a host volume"),
        Term::OverlappingUpgrade => w.pick(
            "an upgrade other than `min-health 0% max-over 0%`",
            "an `upgradeStrategy` other than `{\"minimumHealthCapacity\": 0, \"maximumOverCapacity\": 0}`",
        ),
    }
}

pub fn import_lost(span: Span, what: &str) -> Diagnostic {
    Diagnostic::new(Code::ImportLost, format!("pkw cannot write {what} back"))
        .primary(span, "not imported")
        .help("nothing was written: change this part of the JSON (or write it in pkw by hand) and import again")
}

pub fn import_differs(span: Span, problem: &str) -> Diagnostic {
    Diagnostic::new(Code::ImportLost, format!("the imported pkw would not give back this JSON: {problem}"))
        .primary(span, "not imported")
        .help("nothing was written; this is a gap in `pkwc import` (please report it with the file), or pass another `--marathon`")
}
