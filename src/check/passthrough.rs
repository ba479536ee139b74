//! `marathon FIELD …` passthroughs, checked on the model against the table of the fields the target
//! Marathon version reads (`marathon::fields`): the field must exist and be read by the version, its value
//! must have the field's JSON type, and no directive may already write it.

use super::cluster::Index;
use crate::diagnostics::{messages, Diagnostic};
use crate::marathon::fields::{self, Field};
use crate::model::{Json, Passthrough};

/// What pkw's directives write, by JSON path: a passthrough may neither set these nor replace the object
/// that holds them.
pub const COVERED: &[(&str, &str)] = &[
    ("id", "the app's or group's name"),
    ("cmd", "cmd"),
    ("args", "args"),
    ("user", "user"),
    ("env", "env"),
    ("secrets", "secret"),
    ("labels", "label"),
    ("instances", "instances"),
    ("cpus", "cpus"),
    ("mem", "mem"),
    ("disk", "disk"),
    ("gpus", "gpus"),
    ("constraints", "constraint"),
    ("acceptedResourceRoles", "roles"),
    ("ports", "ports"),
    ("portDefinitions", "port"),
    ("requirePorts", "require-ports"),
    ("healthChecks", "health"),
    ("upgradeStrategy", "upgrade"),
    ("backoffSeconds", "backoff"),
    ("backoffFactor", "backoff"),
    ("maxLaunchDelaySeconds", "backoff"),
    ("taskKillGracePeriodSeconds", "kill-grace"),
    ("unreachableStrategy", "unreachable"),
    ("killSelection", "kill-selection"),
    ("readinessChecks", "readiness"),
    ("check", "mesos-check"),
    ("tty", "tty"),
    ("role", "role"),
    ("executor", "executor"),
    ("residency", "residency"),
    ("resourceLimits", "limit"),
    ("dependencies", "depends-on"),
    ("fetch", "fetch"),
    ("uris", "fetch"),
    ("networks", "network"),
    ("ipAddress", "network"),
    ("apps", "app"),
    ("groups", "group"),
    ("container.type", "image"),
    ("container.volumes", "volume"),
    ("container.portMappings", "port"),
    ("container.docker.image", "image"),
    ("container.docker.network", "network"),
    ("container.docker.portMappings", "port"),
    ("container.docker.privileged", "privileged"),
    ("container.docker.parameters", "docker-param"),
    ("container.docker.pullConfig", "pull-secret"),
    ("container.docker.forcePullImage", "force-pull"),
];

pub fn check(index: &Index, diags: &mut Vec<Diagnostic>) {
    for app in &index.apps {
        for p in &app.passthrough {
            one(p, fields::APP, true, app.image.is_some(), index, diags);
        }
    }
    for group in &index.groups {
        for p in &group.passthrough {
            one(p, fields::GROUP, false, false, index, diags);
        }
    }
}

fn one(p: &Passthrough, root: &'static [Field], app: bool, image: bool, index: &Index, diags: &mut Vec<Diagnostic>) {
    let (version, w) = (index.version, index.wording);
    let path = p.path.value.as_str();
    let segments: Vec<&str> = path.split('.').collect();
    let shape_ok = match segments.as_slice() {
        [_] => true,
        ["container", _] | ["container", "docker", _] => app,
        _ => false,
    };
    if !shape_ok {
        let hint = if app { "an app field, or a `container.` or `container.docker.` one" } else { "a group field" };
        diags.push(messages::passthrough_path(p.path.span, path, hint));
        return;
    }
    // The field, through its parents.
    let mut fields = root;
    let mut found: Option<&'static Field> = None;
    for (i, segment) in segments.iter().enumerate() {
        let Some(f) = fields::field(fields, segment) else {
            let at = segments[..i].join(".");
            let names = fields.iter().map(|f| f.name);
            let suggestion = crate::schema::closest(segment, names);
            // A near miss of a field pkw writes itself: point at the directive, not at another error.
            let suggested_path = suggestion.map(|s| if at.is_empty() { s.to_string() } else { format!("{at}.{s}") });
            let directive = suggested_path.and_then(|s| COVERED.iter().find(|(c, _)| *c == s)).map(|(_, d)| *d);
            diags.push(messages::passthrough_unknown(p.path.span, path, &at, suggestion, directive));
            return;
        };
        if version < f.since {
            diags.push(messages::needs_newer_marathon(
                p.path.span,
                &format!("the `{}` field", f.name),
                f.since,
                version,
            ));
            return;
        }
        if let Some(until) = f.until.filter(|u| version >= *u) {
            diags.push(messages::passthrough_no_longer_read(p.path.span, f.name, until, version));
            return;
        }
        found = Some(f);
        if i + 1 < segments.len() {
            match fields::members(&f.ty) {
                Some(inner) => fields = inner,
                None => {
                    diags.push(messages::passthrough_path(p.path.span, path, "a field of an object"));
                    return;
                }
            }
        }
    }
    let Some(field) = found else { return };
    let covered = COVERED.iter().find(|(c, _)| {
        *c == path
            || c.strip_prefix(path).is_some_and(|rest| rest.starts_with('.'))
            || path.starts_with(&format!("{c}."))
    });
    if let Some((c, directive)) = covered {
        diags.push(messages::passthrough_covered(p.path.span, path, c, directive));
        return;
    }
    if path.starts_with("container.docker.") && !image {
        diags.push(messages::needs_image(p.path.span, &format!("`marathon {path}`"), w));
        return;
    }
    // (Every deprecated field is one a directive writes, so `covered` has refused it already.)
    let value = to_serde(&p.value.value);
    let problems = fields::value_problems(&value, &field.ty, version, path);
    if let Some(first) = problems.first() {
        diags.push(messages::passthrough_type(p.value.span, path, first, problems.len(), index.wording));
    }
}

/// The value as `serde_json` holds it, to check with the table.
pub fn to_serde(j: &Json) -> serde_json::Value {
    use serde_json::Value as J;
    match j {
        Json::Null => J::Null,
        Json::Bool(b) => J::Bool(*b),
        Json::Num(n) if n.integer && n.value.abs() < 9.0e15 => J::from(n.value as i64),
        Json::Num(n) => serde_json::Number::from_f64(n.value).map_or(J::Null, J::Number),
        Json::Str(s) => J::String(s.clone()),
        Json::List(items) => J::Array(items.iter().map(to_serde).collect()),
        Json::Obj(members) => J::Object(members.iter().map(|(k, v)| (k.clone(), to_serde(v))).collect()),
    }
}
