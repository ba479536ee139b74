//! Model → Marathon group JSON (the body of `POST /v2/groups`), in the field dialect of the target version:
//! `ports` before 1.0, `portDefinitions` from 1.0; `container.docker.network`, `docker.portMappings` and
//! `ipAddress` before 1.5, `networks` / `container.portMappings` from 1.5; `fetch[].outputFile` before 1.4.6.
//! Invariant: only what the source declares is written (plus `upgradeStrategy`'s second field, which
//! Marathon 1.5+ requires), ids are absolute, and the output is byte-for-byte deterministic.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use crate::model::{self, App, CheckKind, Cluster, Entry, Json, LimitValue, NetworkMode, Num, Passthrough};
use crate::version::Version;

/// The cluster as pretty-printed JSON, ending with a newline.
pub fn to_json(cluster: &Cluster, version: Version) -> Vec<u8> {
    let mut out = Vec::with_capacity(4096);
    // Writing plain structs of strings and numbers into a Vec cannot fail.
    let _ = write_json(cluster, version, &mut out);
    out
}

/// The cluster's JSON as a `serde_json::Value` (for comparing, without text in between).
pub fn to_value(cluster: &Cluster, version: Version) -> serde_json::Value {
    serde_json::to_value(group(&cluster.root, version)).unwrap_or(serde_json::Value::Null)
}

/// One app's JSON, pretty-printed, as the build writes it inside its group (for an editor's hover).
pub fn app_json(a: &App, version: Version) -> String {
    serde_json::to_string_pretty(&app(a, version)).unwrap_or_default()
}

/// Streams the cluster as pretty-printed JSON, ending with a newline: no copy of the whole output is held.
pub fn write_json<W: std::io::Write>(cluster: &Cluster, version: Version, mut out: W) -> std::io::Result<()> {
    // Generic, not `dyn`: serde writes in many small pieces, and each would be a virtual call.
    let group = group(&cluster.root, version);
    serde_json::to_writer_pretty(&mut out, &group).map_err(std::io::Error::other)?;
    out.write_all(b"\n")
}

/// A group, serialized straight from the model: each app's JSON struct is built just before it is written,
/// so the whole cluster never exists twice in memory.
struct Group<'a> {
    group: &'a model::Group,
    version: Version,
}

fn group(g: &model::Group, version: Version) -> Group<'_> {
    Group { group: g, version }
}

impl Serialize for Group<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (g, version) = (self.group, self.version);
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("id", &g.id)?;
        if !g.apps.is_empty() {
            map.serialize_entry("apps", &each(&g.apps, |a| app(a, version)))?;
        }
        if !g.groups.is_empty() {
            map.serialize_entry("groups", &each(&g.groups, |c| group(c, version)))?;
        }
        if !g.dependencies.is_empty() {
            map.serialize_entry("dependencies", &each(&g.dependencies, |d| &d.absolute))?;
        }
        for p in &g.passthrough {
            map.serialize_entry(&p.path.value, &JsonOut(&p.value.value))?;
        }
        map.end()
    }
}

/// A list serialized item by item through `f`, without collecting the converted items first.
struct Each<'a, T, F>(&'a [T], F);

fn each<'a, T, J: Serialize, F: Fn(&'a T) -> J>(items: &'a [T], f: F) -> Each<'a, T, F> {
    Each(items, f)
}

impl<'a, T, F, J> Serialize for Each<'a, T, F>
where
    F: Fn(&'a T) -> J,
    J: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(&self.1))
    }
}

/// A number written as an integer when the source wrote one (`cpus 4` → `4`, `cpus 0.5` → `0.5`).
struct JsonNum(Num);

impl Serialize for JsonNum {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.integer && self.0.value.abs() < 9.0e15 {
            s.serialize_i64(self.0.value as i64)
        } else {
            s.serialize_f64(self.0.value)
        }
    }
}

/// A passthrough's value, members in the order written.
struct JsonOut<'a>(&'a Json);

impl Serialize for JsonOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Json::Null => s.serialize_unit(),
            Json::Bool(b) => s.serialize_bool(*b),
            Json::Num(n) => JsonNum(*n).serialize(s),
            Json::Str(t) => s.serialize_str(t),
            Json::List(items) => s.collect_seq(items.iter().map(JsonOut)),
            Json::Obj(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(k, &JsonOut(v))?;
                }
                map.end()
            }
        }
    }
}

/// The passthroughs written into one object: those under `prefix` (`""` for the app itself,
/// `"container."`, `"container.docker."`) with no further dot.
struct Extra<'a> {
    all: &'a [Passthrough],
    prefix: &'static str,
}

impl Extra<'_> {
    fn fields(&self) -> impl Iterator<Item = (&str, &Json)> {
        self.all.iter().filter_map(|p| {
            let rest = p.path.value.strip_prefix(self.prefix)?;
            (!rest.contains('.')).then_some((rest, &p.value.value))
        })
    }
}

impl Serialize for Extra<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        for (k, v) in self.fields() {
            map.serialize_entry(k, &JsonOut(v))?;
        }
        map.end()
    }
}

/// `env`: the entries, then the variables that receive secrets (`{"secret": NAME}`).
struct Env<'a> {
    entries: &'a [Entry],
    secrets: &'a [model::Secret],
}

impl Serialize for Env<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        for e in self.entries {
            map.serialize_entry(&e.key.value, &e.value.value)?;
        }
        for secret in self.secrets {
            if let Some(key) = &secret.env {
                map.serialize_entry(&key.value, &OneEntry("secret", &secret.name.value))?;
            }
        }
        map.end()
    }
}

/// An object of one entry: `{"secret": NAME}`, `{"source": PATH}`, `{"VIP_0": ADDRESS}`.
struct OneEntry<'a>(&'static str, &'a str);

impl Serialize for OneEntry<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry(self.0, self.1)?;
        map.end()
    }
}

/// A port's labels: its `vip` as `VIP_0`, then the others as written.
struct PortLabels<'a>(Option<&'a str>, &'a [Entry]);

impl Serialize for PortLabels<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.1.len() + usize::from(self.0.is_some())))?;
        if let Some(vip) = self.0 {
            map.serialize_entry("VIP_0", vip)?;
        }
        for e in self.1 {
            map.serialize_entry(&e.key.value, &e.value.value)?;
        }
        map.end()
    }
}

fn port_labels(p: &model::Port) -> Option<PortLabels<'_>> {
    (p.vip.is_some() || !p.labels.is_empty()).then(|| PortLabels(p.vip.as_ref().map(|v| v.value.as_str()), &p.labels))
}

/// `secrets`: each by name, with its source.
struct Secrets<'a>(&'a [model::Secret]);

impl Serialize for Secrets<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for secret in self.0 {
            map.serialize_entry(&secret.name.value, &OneEntry("source", &secret.source.value))?;
        }
        map.end()
    }
}

/// `env` and `labels`: a JSON object in declaration order.
struct Entries<'a>(&'a [Entry]);

impl Serialize for Entries<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for e in self.0 {
            map.serialize_entry(&e.key.value, &e.value.value)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AppJson<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    cmd: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    args: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    constraints: Vec<Vec<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    accepted_resource_roles: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    executor: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ports: Option<Vec<u16>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    port_definitions: Option<Vec<PortDefinition<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    require_ports: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    container: Option<Container<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    networks: Option<Vec<NetworkJson<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ip_address: Option<IpAddress<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    env: Option<Env<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    secrets: Option<Secrets<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    labels: Option<Entries<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cpus: Option<JsonNum>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mem: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disk: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gpus: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    instances: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    backoff_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    backoff_factor: Option<JsonNum>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_launch_delay_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    health_checks: Vec<HealthCheckJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    readiness_checks: Option<[ReadinessJson<'a>; 1]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    check: Option<CheckJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    upgrade_strategy: Option<UpgradeStrategy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    task_kill_grace_period_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unreachable_strategy: Option<UnreachableJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kill_selection: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    residency: Option<ResidencyJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tty: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource_limits: Option<ResourceLimitsJson>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    dependencies: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fetch: Vec<FetchJson<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    uris: Vec<&'a str>,
    #[serde(flatten)]
    extra: Extra<'a>,
}

#[derive(Serialize)]
struct PortDefinition<'a> {
    port: u16,
    protocol: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    labels: Option<PortLabels<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PortMapping<'a> {
    container_port: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    host_port: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    service_port: Option<u16>,
    protocol: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    labels: Option<PortLabels<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    network_names: Vec<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Container<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    docker: Option<Docker<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    port_mappings: Option<Vec<PortMapping<'a>>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    volumes: Vec<VolumeJson<'a>>,
    #[serde(flatten)]
    extra: Extra<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Docker<'a> {
    image: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    network: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    port_mappings: Option<Vec<PortMapping<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    privileged: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    parameters: Vec<Parameter<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    force_pull_image: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pull_config: Option<OneEntry<'a>>,
    #[serde(flatten)]
    extra: Extra<'a>,
}

#[derive(Serialize)]
struct Parameter<'a> {
    key: &'a str,
    value: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VolumeJson<'a> {
    container_path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    host_path: Option<&'a str>,
    /// Absent for a secret volume.
    #[serde(skip_serializing_if = "Option::is_none")]
    mode: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    persistent: Option<PersistentJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    external: Option<ExternalJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PersistentJson<'a> {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<&'a str>,
    /// Whole MiB (the checks refuse a fraction).
    size: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_size: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    profile_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    constraints: Vec<[&'a str; 3]>,
}

#[derive(Serialize)]
struct ExternalJson<'a> {
    name: &'a str,
    provider: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    options: Option<Entries<'a>>,
    /// Whole GiB (the checks refuse a fraction).
    #[serde(skip_serializing_if = "Option::is_none")]
    size: Option<u64>,
}

#[derive(Serialize)]
struct NetworkJson<'a> {
    mode: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    labels: Option<Entries<'a>>,
}

/// 1.2–1.4: the container network a docker `USER` network joins.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IpAddress<'a> {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    groups: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    labels: Option<Entries<'a>>,
    network_name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReadinessJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    protocol: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    port_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    interval_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timeout_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    http_status_codes_for_ready: Vec<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    preserve_last_response: Option<bool>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CheckJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    http: Option<CheckPort<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tcp: Option<CheckPort<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exec: Option<CheckExec<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    interval_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timeout_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delay_seconds: Option<u64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CheckPort<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    port_index: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
}

#[derive(Serialize)]
struct CheckExec<'a> {
    command: OneEntry<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResidencyJson {
    #[serde(skip_serializing_if = "Option::is_none")]
    relaunch_escalation_timeout_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    task_lost_behavior: Option<&'static str>,
}

#[derive(Serialize)]
struct ResourceLimitsJson {
    #[serde(skip_serializing_if = "Option::is_none")]
    cpus: Option<LimitJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mem: Option<LimitJson>,
}

struct LimitJson(LimitValue);

impl Serialize for LimitJson {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            LimitValue::Unlimited => s.serialize_str("unlimited"),
            LimitValue::Amount(n) => JsonNum(n).serialize(s),
        }
    }
}

#[derive(Serialize)]
struct Command<'a> {
    value: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HealthCheckJson<'a> {
    protocol: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    command: Option<Command<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    grace_period_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    interval_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    port_index: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    port: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timeout_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_consecutive_failures: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delay_seconds: Option<u64>,
    #[serde(rename = "ignoreHttp1xx", skip_serializing_if = "Option::is_none")]
    ignore_http_1xx: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ip_protocol: Option<&'static str>,
}

/// `"disabled"`, or when to replace and when to give up an unreachable task.
#[derive(Serialize)]
#[serde(untagged)]
enum UnreachableJson {
    #[serde(serialize_with = "disabled")]
    Disabled,
    #[serde(rename_all = "camelCase")]
    Enabled {
        #[serde(skip_serializing_if = "Option::is_none")]
        inactive_after_seconds: Option<u64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        expunge_after_seconds: Option<u64>,
    },
}

fn disabled<S: Serializer>(s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str("disabled")
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UpgradeStrategy {
    minimum_health_capacity: f64,
    maximum_over_capacity: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FetchJson<'a> {
    uri: &'a str,
    extract: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    executable: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    cache: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    dest_path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    output_file: Option<&'a str>,
}

fn port_mappings(a: &App) -> Vec<PortMapping<'_>> {
    a.ports
        .iter()
        .map(|p| PortMapping {
            container_port: p.number.value,
            host_port: p.host.as_ref().map(|h| h.value),
            service_port: p.service.as_ref().map(|s| s.value),
            protocol: p.protocol.value.marathon(),
            name: p.name.as_ref().map(|n| n.value.as_str()),
            labels: port_labels(p),
            network_names: p.networks.iter().map(|n| n.value.as_str()).collect(),
        })
        .collect()
}

fn app(a: &App, version: Version) -> AppJson<'_> {
    let legacy = version.is_legacy();
    let mode = a.network_mode();
    // `no-ports` writes the port list empty, which Marathon reads as "no port" (absent means one port).
    let any_ports = !a.ports.is_empty() || a.no_ports.is_some();
    let host_ports = mode == NetworkMode::Host && any_ports;
    let mapped_ports = mode != NetworkMode::Host && any_ports;
    let mesos = a.mesos_containerizer.is_some();

    let docker = a.image.as_ref().map(|image| Docker {
        image: &image.value,
        network: a.network().filter(|_| legacy && !mesos).map(|n| match n.mode {
            NetworkMode::Host => "HOST",
            NetworkMode::Bridge => "BRIDGE",
            NetworkMode::Container => "USER",
        }),
        port_mappings: (legacy && mapped_ports).then(|| port_mappings(a)),
        privileged: a.privileged.map(|_| true),
        parameters: a.docker_params.iter().map(|e| Parameter { key: &e.key.value, value: &e.value.value }).collect(),
        force_pull_image: a.force_pull.map(|_| true),
        pull_config: a.pull_secret.as_ref().map(|p| OneEntry("secret", &p.value)),
        extra: Extra { all: &a.passthrough, prefix: "container.docker." },
    });
    // Without an image, bridge and container networking run in the Mesos containerizer (1.5+; the checks
    // refuse it before).
    let kind = if docker.is_some() && !mesos { "DOCKER" } else { "MESOS" };
    // Persistent volumes need no image: without one they live in a Mesos container.
    let container_fields =
        a.passthrough.iter().any(|p| p.path.value.starts_with("container.")) || a.volumes.iter().any(|v| !v.is_host());
    let container =
        (docker.is_some() || (!legacy && mode != NetworkMode::Host) || container_fields).then(|| Container {
            kind,
            docker,
            port_mappings: (!legacy && mapped_ports).then(|| port_mappings(a)),
            volumes: a
                .volumes
                .iter()
                .map(|v| VolumeJson {
                    container_path: &v.container_path.value,
                    host_path: v.is_host().then(|| v.host_path.as_ref().unwrap_or(&v.container_path).value.as_str()),
                    mode: v.secret.is_none().then_some(if v.read_write { "RW" } else { "RO" }),
                    persistent: v.persistent.as_ref().map(|p| PersistentJson {
                        kind: p.kind.as_ref().map(|k| k.value.as_str()),
                        size: p.size.value as u64,
                        max_size: p.max_size.as_ref().map(|m| m.value as u64),
                        profile_name: p.profile.as_ref().map(|n| n.value.as_str()),
                        constraints: p.path_like.iter().map(|r| ["path", "LIKE", r.value.as_str()]).collect(),
                    }),
                    external: v.external.as_ref().map(|e| ExternalJson {
                        name: &e.name.value,
                        provider: e.provider.as_ref().map_or("dvdi", |p| p.value.as_str()),
                        options: (!e.options.is_empty()).then_some(Entries(&e.options)),
                        size: e.size.as_ref().map(|s| (s.value / 1024.0) as u64),
                    }),
                    secret: v.secret.as_ref().map(|s| s.value.as_str()),
                })
                .collect(),
            extra: Extra { all: &a.passthrough, prefix: "container." },
        });

    let networks = (!legacy && !a.networks.is_empty()).then(|| {
        a.networks
            .iter()
            .map(|n| match n.mode {
                NetworkMode::Host => NetworkJson { mode: "host", name: None, labels: None },
                NetworkMode::Bridge => NetworkJson { mode: "container/bridge", name: None, labels: None },
                NetworkMode::Container => NetworkJson {
                    mode: "container",
                    name: n.name.as_ref().map(|x| x.value.as_str()),
                    labels: (!n.labels.is_empty()).then_some(Entries(&n.labels)),
                },
            })
            .collect::<Vec<_>>()
    });

    let ip_address = a.network().filter(|n| legacy && n.mode == NetworkMode::Container).and_then(|n| {
        n.name.as_ref().map(|name| IpAddress {
            groups: n.groups.iter().map(|g| g.value.as_str()).collect(),
            labels: (!n.labels.is_empty()).then_some(Entries(&n.labels)),
            network_name: &name.value,
        })
    });

    let dest_path = version >= Version::DEST_PATH;
    let (fetch, uris) = if version < Version::new(0, 15) {
        (Vec::new(), a.fetch.iter().map(|f| f.uri.value.as_str()).collect())
    } else {
        let fetch = a
            .fetch
            .iter()
            .map(|f| FetchJson {
                uri: &f.uri.value,
                extract: f.extract,
                executable: f.executable,
                cache: f.cache,
                dest_path: f.dest.as_ref().filter(|_| dest_path).map(|d| d.value.as_str()),
                output_file: f.dest.as_ref().filter(|_| !dest_path).map(|d| d.value.as_str()),
            })
            .collect();
        (fetch, Vec::new())
    };

    AppJson {
        id: &a.id,
        cmd: a.cmd.as_ref().map(|c| c.value.as_str()),
        args: a.args.as_ref().map(|v| v.value.as_slice()),
        user: a.user.as_ref().map(|u| u.value.as_str()),
        accepted_resource_roles: a.roles.as_ref().map(|r| r.value.as_slice()),
        role: a.role.as_ref().map(|r| r.value.as_str()),
        executor: a.executor.as_ref().map(|e| e.value.as_str()),
        constraints: a
            .constraints
            .iter()
            .map(|c| {
                let mut v = vec![c.field.value.as_str(), c.operator.value.marathon()];
                if let Some(value) = &c.value {
                    v.push(&value.value);
                }
                v
            })
            .collect(),
        ports: (version < Version::PORT_DEFINITIONS && host_ports)
            .then(|| a.ports.iter().map(|p| p.number.value).collect()),
        port_definitions: (version >= Version::PORT_DEFINITIONS && host_ports).then(|| {
            a.ports
                .iter()
                .map(|p| PortDefinition {
                    port: p.number.value,
                    protocol: p.protocol.value.marathon(),
                    name: p.name.as_ref().map(|n| n.value.as_str()),
                    labels: port_labels(p),
                })
                .collect()
        }),
        require_ports: a.require_ports.map(|_| true),
        container,
        networks,
        ip_address,
        env: (!a.env.is_empty() || a.secrets.iter().any(|s| s.env.is_some()))
            .then_some(Env { entries: &a.env, secrets: &a.secrets }),
        secrets: (!a.secrets.is_empty()).then_some(Secrets(&a.secrets)),
        labels: (!a.labels.is_empty()).then_some(Entries(&a.labels)),
        cpus: a.cpus.as_ref().map(|c| JsonNum(c.value)),
        mem: a.mem.as_ref().map(|m| m.value),
        disk: a.disk.as_ref().map(|d| d.value),
        gpus: a.gpus.as_ref().map(|g| g.value),
        instances: a.instances.as_ref().map(|i| i.value),
        backoff_seconds: a.backoff.as_ref().and_then(|b| b.delay.as_ref()).map(|d| d.value),
        backoff_factor: a.backoff.as_ref().and_then(|b| b.factor.as_ref()).map(|f| JsonNum(f.value)),
        max_launch_delay_seconds: a.backoff.as_ref().and_then(|b| b.max_delay.as_ref()).map(|d| d.value),
        health_checks: a
            .health_checks
            .iter()
            .map(|h| HealthCheckJson {
                protocol: h.protocol.value.marathon(),
                command: h.command.as_ref().map(|c| Command { value: &c.value }),
                path: h.path.as_ref().map(|p| p.value.as_str()),
                grace_period_seconds: h.grace.as_ref().map(|s| s.value),
                interval_seconds: h.interval.as_ref().map(|s| s.value),
                port_index: h.port_index.as_ref().map(|s| s.value),
                port: h.port.as_ref().map(|s| s.value),
                timeout_seconds: h.timeout.as_ref().map(|s| s.value),
                max_consecutive_failures: h.max_failures.as_ref().map(|s| s.value),
                delay_seconds: h.delay.as_ref().map(|d| d.value),
                ignore_http_1xx: h.ignore_1xx.map(|_| true),
                ip_protocol: h.ip_protocol.as_ref().map(|p| p.value),
            })
            .collect(),
        readiness_checks: a.readiness.as_ref().map(|r| {
            [ReadinessJson {
                name: r.name.as_ref().map(|n| n.value.as_str()),
                protocol: r.protocol.value,
                path: r.path.as_ref().map(|p| p.value.as_str()),
                port_name: r.port_name.as_ref().map(|p| p.value.as_str()),
                interval_seconds: r.interval.as_ref().map(|i| i.value),
                timeout_seconds: r.timeout.as_ref().map(|t| t.value),
                http_status_codes_for_ready: r.statuses.iter().map(|s| s.value).collect(),
                preserve_last_response: r.preserve_last_response.map(|_| true),
            }]
        }),
        check: a.mesos_check.as_ref().map(|c| {
            let port_index = c.port_index.as_ref().map(|p| p.value);
            let (http, tcp, exec) = match &c.kind.value {
                CheckKind::Http => {
                    (Some(CheckPort { port_index, path: c.path.as_ref().map(|p| p.value.as_str()) }), None, None)
                }
                CheckKind::Tcp => (None, Some(CheckPort { port_index, path: None }), None),
                CheckKind::Command(cmd) => (None, None, Some(CheckExec { command: OneEntry("shell", &cmd.value) })),
            };
            CheckJson {
                http,
                tcp,
                exec,
                interval_seconds: c.interval.as_ref().map(|i| i.value),
                timeout_seconds: c.timeout.as_ref().map(|t| t.value),
                delay_seconds: c.delay.as_ref().map(|d| d.value),
            }
        }),
        upgrade_strategy: a.upgrade.as_ref().map(|u| UpgradeStrategy {
            minimum_health_capacity: u.min_health.as_ref().map_or(1.0, |f| f.value),
            maximum_over_capacity: u.max_over.as_ref().map_or(1.0, |f| f.value),
        }),
        task_kill_grace_period_seconds: a.kill_grace.as_ref().map(|k| k.value),
        unreachable_strategy: a.unreachable.as_ref().map(|u| {
            if u.disabled {
                UnreachableJson::Disabled
            } else {
                UnreachableJson::Enabled {
                    inactive_after_seconds: u.inactive_after.as_ref().map(|s| s.value),
                    expunge_after_seconds: u.expunge_after.as_ref().map(|s| s.value),
                }
            }
        }),
        kill_selection: a.kill_selection.as_ref().map(|k| k.value),
        residency: a.residency.as_ref().map(|r| ResidencyJson {
            relaunch_escalation_timeout_seconds: r.relaunch_escalation.as_ref().map(|s| s.value),
            task_lost_behavior: r.task_lost.as_ref().map(|t| t.value),
        }),
        tty: a.tty.map(|_| true),
        resource_limits: (a.limit_cpus.is_some() || a.limit_mem.is_some()).then(|| ResourceLimitsJson {
            cpus: a.limit_cpus.as_ref().map(|l| LimitJson(l.value.value)),
            mem: a.limit_mem.as_ref().map(|l| LimitJson(l.value.value)),
        }),
        dependencies: a.dependencies.iter().map(|d| d.absolute.as_str()).collect(),
        fetch,
        uris,
        extra: Extra { all: &a.passthrough, prefix: "" },
    }
}
