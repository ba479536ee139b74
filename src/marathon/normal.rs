//! Marathon JSON in a normal form, for saying whether two files ask Marathon for the same thing: what
//! `pkwc import` checks its output against (`docs/import.md` writes the rules down).
//!
//! - fields only Marathon writes (task counts, versions, deployments) are left out;
//! - a field equal to Marathon's default is the same as the field left out (`"requirePorts": false`,
//!   `"instances": 1`, `"labels": {}`, a health check's `"gracePeriodSeconds": 300`, …);
//! - numbers are compared as numbers (`128` is `128.0`); object members in any order;
//! - the translations Marathon itself makes: `ports` is `portDefinitions` of tcp ports, `uris` is `fetch`
//!   (an archive extracted), a port's protocol `tcp` and a mapping's `servicePort: 0` are the defaults.
//!
//! - ids and dependencies are absolute, apps compared by id wherever they sit (a file of one app and a
//!   group holding it ask for the same app), groups by the fields they set.
//!
//! An empty port list stays: it means "no port", where a list left out means one.

use serde_json::{Map, Value};

/// The app fields whose default Marathon fills in, and that default.
fn app_defaults() -> &'static [(&'static str, Value)] {
    use serde_json::json;
    static DEFAULTS: std::sync::OnceLock<Vec<(&'static str, Value)>> = std::sync::OnceLock::new();
    DEFAULTS.get_or_init(|| {
        vec![
            ("instances", json!(1)),
            ("cpus", json!(1)),
            ("mem", json!(128)),
            ("disk", json!(0)),
            ("gpus", json!(0)),
            ("requirePorts", json!(false)),
            ("backoffSeconds", json!(1)),
            ("backoffFactor", json!(1.15)),
            ("maxLaunchDelaySeconds", json!(3600)),
            ("executor", json!("")),
            ("killSelection", json!("YOUNGEST_FIRST")),
            ("taskKillGracePeriodSeconds", Value::Null),
            ("tty", json!(false)),
            ("upgradeStrategy", json!({"minimumHealthCapacity": 1, "maximumOverCapacity": 1})),
            ("role", Value::Null),
        ]
    })
}

/// Server-only fields of apps (and a group's `version`).
use super::fields::APP_SERVER_FIELDS as SERVER;

/// A file's apps and groups in normal form: `{"apps": [every app, by id], "groups": {id: the group's own
/// fields, for the groups that set any}}`.
pub fn cluster(v: Value) -> Value {
    let mut apps: Vec<Value> = Vec::new();
    let mut groups = Map::new();
    flatten(v, "/", &mut apps, &mut groups);
    apps.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    // Moved in (`json!` would serialise a copy of every app).
    object([("apps", Value::Array(apps)), ("groups", Value::Object(groups))])
}

/// An object of `members`, moved in.
pub fn object<const N: usize>(members: [(&str, Value); N]) -> Value {
    Value::Object(members.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

fn absolute(base: &str, path: &Value) -> Value {
    match path.as_str().and_then(|p| crate::check::ids::resolve(base, p)) {
        Some(id) => Value::String(id),
        None => path.clone(),
    }
}

/// Puts group `g` and everything under it in normal form, each app and group once, into `apps` and `groups`.
fn flatten(g: Value, parent: &str, apps: &mut Vec<Value>, groups: &mut Map<String, Value>) {
    let id =
        g.get("id").map_or_else(|| parent.to_string(), |i| absolute(parent, i).as_str().unwrap_or(parent).to_string());
    let Value::Object(mut normal) = g else { return };
    let arrays = |v: Option<Value>| match v {
        Some(Value::Array(items)) => items,
        _ => Vec::new(),
    };
    normal.retain(|k, _| !SERVER.contains(&k.as_str()));
    let child_apps = arrays(normal.remove("apps"));
    let child_groups = arrays(normal.remove("groups"));
    normal.values_mut().for_each(number);
    drop_empty(&mut normal, &["dependencies", "pods"]);
    let mut own = Map::new();
    for (k, x) in normal {
        match k.as_str() {
            "id" => {}
            "dependencies" => {
                let deps = x.as_array().into_iter().flatten().map(|d| absolute(&id, d)).collect();
                own.insert(k, Value::Array(deps));
            }
            _ => {
                own.insert(k, x);
            }
        }
    }
    if !own.is_empty() {
        groups.insert(id.clone(), Value::Object(own));
    }
    for a in child_apps {
        let mut a = app(a);
        if let Some(o) = a.as_object_mut() {
            if let Some(app_id) = o.get("id").cloned() {
                o.insert("id".into(), absolute(&id, &app_id));
            }
            if let Some(Value::Array(deps)) = o.get_mut("dependencies") {
                for d in deps.iter_mut() {
                    *d = absolute(&id, d);
                }
            }
        }
        apps.push(a);
    }
    for child in child_groups {
        flatten(child, &id, apps, groups);
    }
}

/// An app in normal form.
pub fn app(mut v: Value) -> Value {
    let Value::Object(out) = &mut v else {
        number(&mut v);
        return v;
    };
    // Marathon ignores a field it does not have (`pkw::json::unknown-field` says so).
    static KNOWN: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> = std::sync::OnceLock::new();
    let known = KNOWN.get_or_init(|| super::fields::APP.iter().map(|f| f.name).collect());
    out.retain(|k, x| known.contains(k.as_str()) && !x.is_null());
    out.values_mut().for_each(number);
    app_fields(out);
    v
}

fn app_fields(out: &mut Map<String, Value>) {
    // `ports` is `portDefinitions` of tcp ports (REFERENCE.md §3.2).
    if let Some(Value::Array(ports)) = out.remove("ports") {
        let defs = ports.into_iter().map(|p| object([("port", p), ("protocol", "tcp".into())])).collect();
        out.entry("portDefinitions").or_insert(Value::Array(defs));
    }
    // `uris` is `fetch`, an archive extracted.
    if let Some(Value::Array(uris)) = out.remove("uris") {
        let fetch: Vec<Value> = uris
            .into_iter()
            .map(|u| {
                let archive = u.as_str().is_some_and(crate::model::Fetch::is_archive);
                object([("uri", u), ("extract", archive.into())])
            })
            .collect();
        if !fetch.is_empty() {
            out.entry("fetch").or_insert(Value::Array(fetch));
        }
    }
    for (field, default) in app_defaults() {
        if out.get(*field).is_some_and(|x| same(x, default)) {
            out.remove(*field);
        }
    }
    if let Some(Value::Object(u)) = out.get_mut("upgradeStrategy") {
        for f in ["minimumHealthCapacity", "maximumOverCapacity"] {
            u.entry(f).or_insert(serde_json::json!(1.0));
        }
    }
    for list in ["portDefinitions"] {
        if let Some(Value::Array(items)) = out.get_mut(list) {
            for p in items.iter_mut().filter_map(Value::as_object_mut) {
                port(p);
            }
        }
    }
    if let Some(Value::Array(items)) = out.get_mut("healthChecks") {
        for h in items.iter_mut().filter_map(Value::as_object_mut) {
            health(h);
        }
    }
    if let Some(Value::Array(items)) = out.get_mut("readinessChecks") {
        for r in items.iter_mut().filter_map(Value::as_object_mut) {
            readiness(r);
        }
    }
    if let Some(Value::Array(items)) = out.get_mut("fetch") {
        for f in items.iter_mut().filter_map(Value::as_object_mut) {
            defaults(f, &[("extract", serde_json::json!(true)), ("executable", false.into()), ("cache", false.into())]);
        }
    }
    if let Some(Value::Object(c)) = out.get_mut("container") {
        container(c);
    }
    // A Mesos container that holds nothing is the command run as it is without one.
    if out
        .get("container")
        .is_some_and(|c| c.as_object().is_some_and(|c| c.len() == 1 && c.get("type").is_some_and(|t| t == "MESOS")))
    {
        out.remove("container");
    }
    drop_empty(
        out,
        &[
            "args",
            "env",
            "labels",
            "constraints",
            "healthChecks",
            "readinessChecks",
            "dependencies",
            "fetch",
            "storeUrls",
            "secrets",
            "acceptedResourceRoles",
        ],
    );
}

/// The fields of an object type in the field table, for leaving out what Marathon ignores.
fn fields_of(table: &'static [super::fields::Field], name: &str) -> &'static [super::fields::Field] {
    super::fields::field(table, name).and_then(|f| super::fields::members(&f.ty)).unwrap_or_default()
}

fn container(c: &mut Map<String, Value>) {
    // Marathon ignores a container field it does not have (`docker.forcePull`, `docker.requirePorts`).
    let container_fields = fields_of(super::fields::APP, "container");
    let docker_fields = fields_of(container_fields, "docker");
    c.retain(|k, v| !v.is_null() && super::fields::field(container_fields, k).is_some());
    if let Some(Value::Object(d)) = c.get_mut("docker") {
        d.retain(|k, v| !v.is_null() && super::fields::field(docker_fields, k).is_some());
        defaults(d, &[("privileged", false.into()), ("forcePullImage", false.into())]);
        drop_empty(d, &["parameters"]);
        if let Some(Value::Array(items)) = d.get_mut("portMappings") {
            for p in items.iter_mut().filter_map(Value::as_object_mut) {
                port(p);
            }
        }
    }
    if let Some(Value::Array(items)) = c.get_mut("portMappings") {
        for p in items.iter_mut().filter_map(Value::as_object_mut) {
            port(p);
        }
    }
    if let Some(Value::Array(volumes)) = c.get_mut("volumes") {
        for v in volumes.iter_mut().filter_map(Value::as_object_mut) {
            if let Some(Value::Object(p)) = v.get_mut("persistent") {
                static PERSISTENT: Defaults = Defaults::new();
                defaults(p, PERSISTENT.get_or_init(|| vec![("type", "root".into())]));
                drop_empty(p, &["constraints"]);
            }
        }
    }
    drop_empty(c, &["volumes"]);
}

fn port(p: &mut Map<String, Value>) {
    static PORT: Defaults = Defaults::new();
    defaults(p, PORT.get_or_init(|| vec![("protocol", "tcp".into()), ("servicePort", 0.into())]));
    drop_empty(p, &["labels", "networkNames"]);
}

/// Marathon's readiness-check defaults (`types/readinessCheck.raml`).
fn readiness(r: &mut Map<String, Value>) {
    use serde_json::json;
    static READINESS: Defaults = Defaults::new();
    defaults(
        r,
        READINESS.get_or_init(|| {
            vec![
                ("name", json!("readinessCheck")),
                ("protocol", json!("HTTP")),
                ("path", json!("/")),
                ("intervalSeconds", json!(30)),
                ("timeoutSeconds", json!(10)),
                ("httpStatusCodesForReady", json!([200])),
                ("preserveLastResponse", json!(false)),
            ]
        }),
    );
}

fn health(h: &mut Map<String, Value>) {
    use serde_json::json;
    static HEALTH: Defaults = Defaults::new();
    defaults(
        h,
        HEALTH.get_or_init(|| {
            vec![
                ("protocol", json!("HTTP")),
                ("gracePeriodSeconds", json!(300)),
                ("intervalSeconds", json!(60)),
                ("timeoutSeconds", json!(20)),
                ("maxConsecutiveFailures", json!(3)),
                ("ignoreHttp1xx", json!(false)),
                ("delaySeconds", json!(15)),
            ]
        }),
    );
    if h.get("path").is_some_and(|p| p == "/") && h.get("protocol").is_none() {
        h.remove("path");
    }
}

/// A table of defaults, made once.
type Defaults = std::sync::OnceLock<Vec<(&'static str, Value)>>;

/// Leaves out each field equal to its default.
fn defaults(m: &mut Map<String, Value>, fields: &[(&str, Value)]) {
    for (f, d) in fields {
        if m.get(*f).is_some_and(|x| same(x, d)) {
            m.remove(*f);
        }
    }
}

/// Leaves out each of `fields` that is null or empty.
fn drop_empty(m: &mut Map<String, Value>, fields: &[&str]) {
    for f in fields {
        let empty = match m.get(*f) {
            Some(Value::Null) => true,
            Some(Value::Array(a)) => a.is_empty(),
            Some(Value::Object(o)) => o.is_empty(),
            _ => false,
        };
        if empty {
            m.remove(*f);
        }
    }
}

/// Every number as a double, so that `128` and `128.0` compare equal.
fn number(v: &mut Value) {
    match v {
        Value::Number(n) if !n.is_f64() => {
            *v = n.as_f64().and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number);
        }
        Value::Array(a) => a.iter_mut().for_each(number),
        Value::Object(o) => o.values_mut().for_each(number),
        _ => {}
    }
}

/// Equal, numbers as numbers (`1` is `1.0`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same(v, w)),
        _ => a == b,
    }
}

/// The first place two normal forms differ, as a JSON path (`/apps/0/mem`), or `None` when they are equal.
pub fn first_difference(a: &Value, b: &Value) -> Option<String> {
    fn walk(a: &Value, b: &Value, at: &mut String) -> bool {
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => {
                let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
                keys.sort();
                keys.dedup();
                for k in keys {
                    let len = at.len();
                    at.push('/');
                    at.push_str(k);
                    match (x.get(k), y.get(k)) {
                        (Some(p), Some(q)) => {
                            if walk(p, q, at) {
                                return true;
                            }
                        }
                        _ => return true,
                    }
                    at.truncate(len);
                }
                false
            }
            (Value::Array(x), Value::Array(y)) => {
                for (i, (p, q)) in x.iter().zip(y).enumerate() {
                    let len = at.len();
                    at.push_str(&format!("/{i}"));
                    if walk(p, q, at) {
                        return true;
                    }
                    at.truncate(len);
                }
                if x.len() != y.len() {
                    at.push_str(&format!("/{}", x.len().min(y.len())));
                    return true;
                }
                false
            }
            _ => a != b,
        }
    }
    // Equal trees (the usual answer) in one pass without paths: `walk` answers exactly `a != b`.
    if a == b {
        return None;
    }
    let mut at = String::new();
    walk(a, b, &mut at).then(|| if at.is_empty() { "/".to_string() } else { at })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_and_translations_compare_equal() {
        let written = json!({"id": "/g", "version": "x", "apps": [{"id": "/g/a", "cmd": "run", "instances": 1,
            "requirePorts": false, "ports": [80], "labels": {}, "mem": 128.0, "uris": ["https://x/a.tgz"],
            "healthChecks": [{"protocol": "HTTP", "gracePeriodSeconds": 300, "portIndex": 0}]}]});
        let built = json!({"id": "/g", "apps": [{"id": "/g/a", "cmd": "run", "portDefinitions": [{"port": 80}],
            "fetch": [{"uri": "https://x/a.tgz", "extract": true}], "healthChecks": [{"portIndex": 0}]}]});
        assert_eq!(first_difference(&cluster(written), &cluster(built)), None);
        // One app, or a group holding it: the same app.
        let app = json!({"id": "/shop/web", "cmd": "run", "dependencies": ["/shop/db"]});
        let held = json!({"id": "/shop", "apps": [{"id": "web", "cmd": "run", "dependencies": ["db"]}]});
        assert_eq!(first_difference(&cluster(json!({"apps": [app]})), &cluster(held)), None);
    }

    /// What Marathon's own system-test apps write (`tests/system/apps/` at v1.10.26), each reduced to the
    /// field pkwc's first normal form missed.
    #[test]
    fn marathon_s_defaults_and_ignored_fields_compare_equal() {
        let pairs = [
            // Readiness defaults written out.
            (
                json!({"id": "/a", "cmd": "x", "readinessChecks": [{"name": "readinessCheck", "protocol": "HTTPS", "path": "/", "portName": "https", "httpStatusCodesForReady": [200], "preserveLastResponse": false}]}),
                json!({"id": "/a", "cmd": "x", "readinessChecks": [{"protocol": "HTTPS", "portName": "https"}]}),
            ),
            // A Mesos container holding nothing.
            (json!({"id": "/a", "cmd": "x", "container": {"type": "MESOS"}}), json!({"id": "/a", "cmd": "x"})),
            // A persistent volume's empty constraints and default type.
            (
                json!({"id": "/a", "cmd": "x", "container": {"type": "MESOS", "volumes": [{"containerPath": "d", "mode": "RW", "persistent": {"size": 10, "type": "root", "constraints": []}}]}}),
                json!({"id": "/a", "cmd": "x", "container": {"type": "MESOS", "volumes": [{"containerPath": "d", "mode": "RW", "persistent": {"size": 10}}]}}),
            ),
            // Docker fields Marathon does not have.
            (
                json!({"id": "/a", "container": {"type": "DOCKER", "docker": {"image": "i", "requirePorts": true, "forcePull": false}}}),
                json!({"id": "/a", "container": {"type": "DOCKER", "docker": {"image": "i"}}}),
            ),
        ];
        for (written, built) in pairs {
            let d = first_difference(&cluster(json!({"apps": [written.clone()]})), &cluster(json!({"apps": [built]})));
            assert_eq!(d, None, "{written}");
        }
    }

    #[test]
    fn a_real_difference_is_found_with_its_path() {
        let a = json!({"id": "/g", "apps": [{"id": "/g/a", "cmd": "run", "mem": 256}]});
        let b = json!({"id": "/g", "apps": [{"id": "/g/a", "cmd": "run", "mem": 512}]});
        assert_eq!(first_difference(&cluster(a), &cluster(b)).as_deref(), Some("/apps/0/mem"));
        // An empty port list is not a list left out.
        let none = json!({"id": "/g", "apps": [{"id": "/g/a", "cmd": "run", "portDefinitions": []}]});
        let one = json!({"id": "/g", "apps": [{"id": "/g/a", "cmd": "run"}]});
        assert!(first_difference(&cluster(none), &cluster(one)).is_some());
    }
}
