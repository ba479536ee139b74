//! The app and group fields Marathon reads, per version, with their JSON types: one table for checking
//! what pkwc emits (every example is tested against it), and for what reads or passes through Marathon
//! JSON.
//!
//! Versions come from Marathon's source at each release tag: the hand-written JSON formats up to 1.4
//! (`api/v2/json/Formats.scala`), the RAML types from 1.5 (`docs/docs/rest-api/public/api/v2/types/`).
//! `since` is the first release whose reader knows the field; `until` the first that no longer reads it;
//! `deprecated` the first that reads it only to translate it into its replacement (pkwc never emits a
//! deprecated field). Fields first seen between two of the tags checked carry the earlier-checked tag's
//! successor, as noted.

use crate::version::Version;

/// A JSON type.
#[derive(Debug)]
pub enum Ty {
    Str,
    /// A whole number (Marathon reads most as a Java `int`).
    Int,
    Num,
    Bool,
    /// An object with these fields.
    Obj(&'static [Field]),
    /// An object whose keys are names of the user's choosing (`env`, `labels`).
    Map(&'static Ty),
    List(&'static Ty),
    /// One of these types (`env` values are text or a secret reference).
    OneOf(&'static [Ty]),
    /// Any JSON: a field pkwc knows exists but does not model yet.
    Any,
}

#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
    pub since: Version,
    pub until: Option<Version>,
    pub deprecated: Option<Version>,
}

const fn f(name: &'static str, ty: Ty, since: Version) -> Field {
    Field { name, ty, since, until: None, deprecated: None }
}

const fn deprecated(field: Field, from: Version) -> Field {
    Field { deprecated: Some(from), ..field }
}

const fn until(field: Field, last: Version) -> Field {
    Field { until: Some(last), ..field }
}

const V0_8: Version = Version::new(0, 8);
const V0_8_2: Version = Version::with_patch(0, 8, 2);
const V0_9: Version = Version::new(0, 9);
const V0_14: Version = Version::new(0, 14);
const V0_15: Version = Version::new(0, 15);
const V1_0: Version = Version::new(1, 0);
const V1_1: Version = Version::new(1, 1);
const V1_2: Version = Version::new(1, 2);
const V1_3: Version = Version::new(1, 3);
const V1_4: Version = Version::new(1, 4);
const V1_4_6: Version = Version::with_patch(1, 4, 6);
const V1_5: Version = Version::new(1, 5);
const V1_7: Version = Version::new(1, 7);
const V1_8: Version = Version::new(1, 8);
const V1_9: Version = Version::new(1, 9);
const V1_10: Version = Version::new(1, 10);

const STRINGS: Ty = Ty::List(&Ty::Str);
const SECRET_REF: &[Field] = &[f("secret", Ty::Str, V1_3)];

const PORT_DEFINITION: &[Field] = &[
    f("port", Ty::Int, V1_0),
    f("protocol", Ty::Str, V1_0),
    f("name", Ty::Str, V1_0),
    f("labels", Ty::Map(&Ty::Str), V1_0),
];

const PORT_MAPPING: &[Field] = &[
    f("containerPort", Ty::Int, V0_8),
    f("hostPort", Ty::Int, V0_8),
    f("servicePort", Ty::Int, V0_8),
    f("protocol", Ty::Str, V0_8),
    // Named and labelled from 1.0 (REFERENCE.md, Corrections 1).
    f("name", Ty::Str, V1_0),
    f("labels", Ty::Map(&Ty::Str), V1_0),
    f("networkNames", STRINGS, V1_5),
];

const DOCKER: &[Field] = &[
    f("image", Ty::Str, V0_8),
    deprecated(f("network", Ty::Str, V0_8), V1_5),
    deprecated(f("portMappings", Ty::List(&Ty::Obj(PORT_MAPPING)), V0_8), V1_5),
    f("privileged", Ty::Bool, V0_8),
    f("parameters", Ty::List(&Ty::Obj(&[f("key", Ty::Str, V0_8), f("value", Ty::Str, V0_8)])), V0_8),
    f("forcePullImage", Ty::Bool, V0_8_2),
    f("credential", Ty::Any, V1_5),
    f("pullConfig", Ty::Any, V1_5),
];

const PERSISTENT: &[Field] = &[
    f("type", Ty::Str, V1_0),
    f("size", Ty::Int, V1_0),
    f("maxSize", Ty::Int, V1_0),
    f("constraints", Ty::List(&STRINGS), V1_0),
    f("profileName", Ty::Str, V1_5),
];

const VOLUME: &[Field] = &[
    f("containerPath", Ty::Str, V0_8),
    f("hostPath", Ty::Str, V0_8),
    f("mode", Ty::Str, V0_8),
    f("persistent", Ty::Obj(PERSISTENT), V1_0),
    f("external", Ty::Any, V1_1),
    f("secret", Ty::Str, V1_5),
];

const CONTAINER: &[Field] = &[
    f("type", Ty::Str, V0_8),
    f("docker", Ty::Obj(DOCKER), V0_8),
    f("volumes", Ty::List(&Ty::Obj(VOLUME)), V0_8),
    f("portMappings", Ty::List(&Ty::Obj(PORT_MAPPING)), V1_5),
    f("appc", Ty::Any, V1_3),
    f("linuxInfo", Ty::Any, V1_8),
];

const NETWORK: &[Field] = &[f("mode", Ty::Str, V1_5), f("name", Ty::Str, V1_5), f("labels", Ty::Map(&Ty::Str), V1_5)];

const IP_ADDRESS: &[Field] = &[
    f("groups", STRINGS, V0_14),
    f("labels", Ty::Map(&Ty::Str), V0_14),
    f("discovery", Ty::Any, V0_14),
    // docker's `USER` network joins it (v1.2.0-RC1; no 1.2 was released).
    f("networkName", Ty::Str, V1_2),
];

const HEALTH_CHECK: &[Field] = &[
    f("protocol", Ty::Str, V0_8),
    f("command", Ty::Obj(&[f("value", Ty::Str, V0_8)]), V0_8),
    f("path", Ty::Str, V0_8),
    f("gracePeriodSeconds", Ty::Int, V0_8),
    f("intervalSeconds", Ty::Int, V0_8),
    f("portIndex", Ty::Int, V0_8),
    // Read from 0.14; before, ignored (REFERENCE.md, Corrections 4).
    f("port", Ty::Int, V0_14),
    f("timeoutSeconds", Ty::Int, V0_8),
    f("maxConsecutiveFailures", Ty::Int, V0_8),
    f("ignoreHttp1xx", Ty::Bool, V0_15),
    f("delaySeconds", Ty::Int, V1_4),
    f("ipProtocol", Ty::Str, V1_5),
];

const UPGRADE_STRATEGY: &[Field] =
    &[f("minimumHealthCapacity", Ty::Num, V0_8), f("maximumOverCapacity", Ty::Num, V0_8)];

const FETCH: &[Field] = &[
    f("uri", Ty::Str, V0_15),
    f("extract", Ty::Bool, V0_15),
    f("executable", Ty::Bool, V0_15),
    f("cache", Ty::Bool, V0_15),
    // 1.3.0 to 1.4.5 call it `outputFile` (REFERENCE.md, Corrections 4).
    until(f("outputFile", Ty::Str, V1_3), V1_4_6),
    f("destPath", Ty::Str, V1_4_6),
];

/// The fields Marathon adds to an app in what it answers (`AppInfo` in Marathon's RAML, `types/app.raml`,
/// and the app's own `version` and `versionInfo`), never part of a definition: posted back, `version`
/// would ask for a rollback. `taskStats` is the name Marathon writes (`Formats.scala`, the
/// `embed=apps.taskStats` parameter); the RAML type says `tasksStats`, so both are recognised.
/// (`uris`, `storeUrls` and `ports` are real, deprecated, fields of a definition: not listed.)
pub const APP_SERVER_FIELDS: &[&str] = &[
    "version",
    "versionInfo",
    "tasksStaged",
    "tasksRunning",
    "tasksHealthy",
    "tasksUnhealthy",
    "deployments",
    "readinessCheckResults",
    "tasks",
    "lastTaskFailure",
    "taskStats",
    "tasksStats",
];

/// The fields of an app (the body of `POST /v2/apps`, an entry of a group's `apps`).
pub const APP: &[Field] = &[
    f("id", Ty::Str, V0_8),
    f("cmd", Ty::Str, V0_8),
    f("args", STRINGS, V0_8),
    f("user", Ty::Str, V0_8),
    f("env", Ty::Map(&Ty::OneOf(&[Ty::Str, Ty::Obj(SECRET_REF)])), V0_8),
    f("labels", Ty::Map(&Ty::Str), V0_8),
    f("instances", Ty::Int, V0_8),
    f("cpus", Ty::Num, V0_8),
    f("mem", Ty::Num, V0_8),
    f("disk", Ty::Num, V0_8),
    f("gpus", Ty::Int, V1_3),
    f("constraints", Ty::List(&STRINGS), V0_8),
    deprecated(f("ports", Ty::List(&Ty::Int), V0_8), V1_0),
    f("portDefinitions", Ty::List(&Ty::Obj(PORT_DEFINITION)), V1_0),
    f("requirePorts", Ty::Bool, V0_8),
    f("container", Ty::Obj(CONTAINER), V0_8),
    f("networks", Ty::List(&Ty::Obj(NETWORK)), V1_5),
    deprecated(f("ipAddress", Ty::Obj(IP_ADDRESS), V0_14), V1_5),
    f("healthChecks", Ty::List(&Ty::Obj(HEALTH_CHECK)), V0_8),
    f("readinessChecks", Ty::List(&Ty::Any), V1_1),
    f("check", Ty::Any, V1_8),
    f("upgradeStrategy", Ty::Obj(UPGRADE_STRATEGY), V0_8),
    f("backoffSeconds", Ty::Int, V0_8),
    f("backoffFactor", Ty::Num, V0_8),
    f("maxLaunchDelaySeconds", Ty::Int, V0_8),
    f("taskKillGracePeriodSeconds", Ty::Int, V1_3),
    f("dependencies", STRINGS, V0_8),
    f("fetch", Ty::List(&Ty::Obj(FETCH)), V0_15),
    deprecated(f("uris", STRINGS, V0_8), V0_15),
    f("storeUrls", STRINGS, V0_8),
    f("executor", Ty::Str, V0_8),
    f("acceptedResourceRoles", STRINGS, V0_9),
    f("residency", Ty::Any, V1_0),
    f("secrets", Ty::Map(&Ty::Any), V1_3),
    f("killSelection", Ty::Str, V1_4),
    f("unreachableStrategy", Ty::Any, V1_4),
    f("tty", Ty::Bool, V1_5),
    f("executorResources", Ty::Any, V1_7),
    f("role", Ty::Str, V1_9),
    f("resourceLimits", Ty::Any, V1_10),
];

/// The fields of a group (the body of `POST /v2/groups`).
pub const GROUP: &[Field] = &[
    f("id", Ty::Str, V0_8),
    f("apps", Ty::List(&Ty::Obj(APP)), V0_8),
    f("groups", Ty::List(&Ty::Obj(&[])), V0_8),
    f("dependencies", STRINGS, V0_8),
    f("enforceRole", Ty::Bool, V1_9),
];

/// The field `name` among `fields`.
pub fn field(fields: &'static [Field], name: &str) -> Option<&'static Field> {
    fields.iter().find(|f| f.name == name)
}

/// The fields of an object type (`None` for any other type).
pub fn members(ty: &'static Ty) -> Option<&'static [Field]> {
    match ty {
        Ty::Obj(fields) => Some(fields),
        _ => None,
    }
}

/// Every problem with `value` as a value of type `ty` for `version` (`path` prefixes each).
pub fn value_problems(value: &serde_json::Value, ty: &Ty, version: Version, path: &str) -> Vec<String> {
    let mut out = Vec::new();
    check(value, ty, version, path, &mut out);
    out
}

/// Every problem with `value` as a group body for `version`: a field that version does not read, a
/// deprecated one, or a value of the wrong JSON type. Each is `path: what`.
pub fn group_problems(value: &serde_json::Value, version: Version) -> Vec<String> {
    let mut out = Vec::new();
    check_group(value, version, "", &mut out);
    out
}

fn check_group(value: &serde_json::Value, version: Version, path: &str, out: &mut Vec<String>) {
    check(value, &Ty::Obj(GROUP), version, path, out);
    // Nested groups have the same fields (the table cannot refer to itself).
    if let Some(groups) = value.get("groups").and_then(|g| g.as_array()) {
        for (i, g) in groups.iter().enumerate() {
            check_group(g, version, &format!("{path}/groups[{i}]"), out);
        }
    }
}

fn check(value: &serde_json::Value, ty: &Ty, version: Version, path: &str, out: &mut Vec<String>) {
    use serde_json::Value as J;
    let ok = match (ty, value) {
        (Ty::Any, _) | (Ty::Str, J::String(_)) | (Ty::Bool, J::Bool(_)) => true,
        (Ty::Int, J::Number(n)) => n.is_i64() || n.is_u64(),
        (Ty::Num, J::Number(_)) => true,
        (Ty::List(item), J::Array(items)) => {
            for (i, v) in items.iter().enumerate() {
                check(v, item, version, &format!("{path}[{i}]"), out);
            }
            true
        }
        (Ty::Map(item), J::Object(map)) => {
            for (k, v) in map {
                check(v, item, version, &format!("{path}.{k}"), out);
            }
            true
        }
        (Ty::OneOf(types), v) => types.iter().any(|t| {
            let mut inner = Vec::new();
            check(v, t, version, path, &mut inner);
            inner.is_empty()
        }),
        (Ty::Obj(fields), J::Object(map)) => {
            // A nested group's own fields are checked by `check_group`.
            if fields.is_empty() {
                return;
            }
            for (k, v) in map {
                let at = format!("{path}/{k}");
                match fields.iter().find(|f| f.name == k) {
                    None => out.push(format!("{at}: Marathon has no such field")),
                    Some(f) if version < f.since => {
                        out.push(format!("{at}: Marathon {version} does not read it (from {})", f.since))
                    }
                    Some(f) if f.until.is_some_and(|u| version >= u) => {
                        out.push(format!("{at}: Marathon {version} no longer reads it"))
                    }
                    Some(f) if f.deprecated.is_some_and(|d| version >= d) => {
                        out.push(format!("{at}: deprecated in Marathon {version}"))
                    }
                    Some(f) => check(v, &f.ty, version, &at, out),
                }
            }
            true
        }
        _ => false,
    };
    if !ok {
        out.push(format!("{path}: not {}", describe(ty)));
    }
}

fn describe(ty: &Ty) -> &'static str {
    match ty {
        Ty::Str => "a string",
        Ty::Int => "an integer",
        Ty::Num => "a number",
        Ty::Bool => "a boolean",
        Ty::Obj(_) | Ty::Map(_) => "an object",
        Ty::List(_) => "an array",
        Ty::OneOf(_) => "one of the types allowed",
        Ty::Any => "anything",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_types_and_versions() {
        let v = |s| Version::parse(s).unwrap();
        let app = |a: serde_json::Value| json!({"id": "/g", "apps": [a]});
        assert!(group_problems(&app(json!({"id": "/g/a", "cmd": "x", "instances": 2})), v("0.8")).is_empty());
        assert_eq!(
            group_problems(&app(json!({"id": "/g/a", "cpu": 1})), v("1.10")),
            ["/apps[0]/cpu: Marathon has no such field"]
        );
        assert_eq!(group_problems(&app(json!({"instances": "2"})), v("1.10")), ["/apps[0]/instances: not an integer"]);
        assert_eq!(
            group_problems(&app(json!({"gpus": 1})), v("1.2")),
            ["/apps[0]/gpus: Marathon 1.2 does not read it (from 1.3)"]
        );
        assert_eq!(
            group_problems(&app(json!({"ports": [80]})), v("1.4")),
            ["/apps[0]/ports: deprecated in Marathon 1.4"]
        );
        let fetch = |field: &str| app(json!({"fetch": [{"uri": "u", field: "x"}]}));
        assert!(group_problems(&fetch("outputFile"), v("1.4.5")).is_empty());
        assert_eq!(
            group_problems(&fetch("outputFile"), v("1.4.6")),
            ["/apps[0]/fetch[0]/outputFile: Marathon 1.4.6 no longer reads it"]
        );
        assert!(group_problems(&fetch("destPath"), v("1.4.6")).is_empty());
        let env = app(json!({"env": {"A": "x", "B": {"secret": "s"}, "C": 3}}));
        assert_eq!(group_problems(&env, v("1.10")), ["/apps[0]/env.C: not one of the types allowed"]);
        let nested = json!({"id": "/g", "groups": [{"id": "/g/h", "apps": [{"id": "/g/h/a", "bogus": true}]}]});
        assert_eq!(group_problems(&nested, v("1.10")), ["/groups[0]/apps[0]/bogus: Marathon has no such field"]);
    }
}
