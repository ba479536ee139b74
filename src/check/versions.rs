//! Version gates, on the model: every feature the target Marathon version lacks is an error naming the
//! version it needs (`version::Feature`). Host-network port protocols and names are in `ports.rs`.

use super::cluster::Index;
use crate::diagnostics::{messages, Diagnostic};
use crate::model::{HealthProtocol, NetworkMode, Operator, Protocol};
use crate::source::Span;
use crate::version::{Feature, Version};

pub fn check(index: &Index, diags: &mut Vec<Diagnostic>) {
    let version = index.version;
    let mut need = |feature: Feature, span: Span| {
        if version < feature.info().1 {
            diags.push(messages::needs_feature(span, feature, version, index.wording));
        }
    };
    // Diagnostics other than `need`'s, added after them.
    let mut later = Vec::new();
    for app in &index.apps {
        if let Some(n) = app.network().filter(|n| n.mode == NetworkMode::Container) {
            need(if n.name.is_some() { Feature::ContainerNetwork } else { Feature::DefaultNetwork }, n.span);
        }
        if let Some(span) = app.force_pull {
            need(Feature::ForcePull, span);
        }
        if let Some(span) = app.mesos_containerizer {
            need(Feature::MesosContainerizer, span);
        }
        if let Some(roles) = &app.roles {
            need(Feature::AcceptedRoles, roles.span);
        }
        if let Some(u) = &app.unreachable {
            need(Feature::Unreachable, u.span);
        }
        if let Some(k) = &app.kill_selection {
            need(Feature::KillSelection, k.span);
        }
        if let Some(g) = &app.gpus {
            need(Feature::Gpus, g.span);
        }
        if let Some(k) = &app.kill_grace {
            need(Feature::KillGrace, k.span);
        }
        if let Some(s) = app.secrets.first() {
            need(Feature::Secrets, s.span);
        }
        for v in &app.volumes {
            if let Some(p) = &v.persistent {
                need(Feature::PersistentVolumes, v.span);
                if let Some(profile) = &p.profile {
                    need(Feature::VolumeProfile, profile.span);
                }
            }
            if v.external.is_some() {
                need(Feature::ExternalVolumes, v.span);
            }
            if v.secret.is_some() {
                need(Feature::SecretVolumes, v.span);
            }
        }
        for (feature, span) in [
            (Feature::Tty, app.tty),
            (Feature::Role, app.role.as_ref().map(|r| r.span)),
            (Feature::PullSecret, app.pull_secret.as_ref().map(|p| p.span)),
            (Feature::Residency, app.residency.as_ref().map(|r| r.span)),
            (Feature::Readiness, app.readiness.as_ref().map(|r| r.span)),
            (Feature::MesosCheck, app.mesos_check.as_ref().map(|c| c.span)),
            (Feature::ResourceLimits, app.limit_cpus.as_ref().or(app.limit_mem.as_ref()).map(|l| l.span)),
        ] {
            if let Some(span) = span {
                need(feature, span);
            }
        }
        // IP-per-task groups went with `ipAddress` in 1.5.
        if let Some(group) = app.networks.iter().flat_map(|n| &n.groups).next() {
            if !version.is_legacy() {
                later.push(messages::no_longer_supported(
                    group.span,
                    "IP-per-task network groups (`ipAddress.groups`)",
                    Version::NETWORKS_API,
                    version,
                ));
            }
        }
        for p in &app.ports {
            if p.protocol.value == Protocol::UdpTcp {
                need(Feature::UdpTcp, p.protocol.span);
            }
            if let Some(span) = p.vip.as_ref().map(|v| v.span).or(p.labels.first().map(|l| l.key.span)) {
                need(Feature::PortLabels, span);
            }
            if let Some(n) = p.networks.first() {
                need(Feature::PortNetworkNames, n.span);
            }
        }
        for c in &app.constraints {
            match c.operator.value {
                Operator::MaxPer => need(Feature::MaxPer, c.operator.span),
                Operator::Is => need(Feature::Is, c.operator.span),
                _ => {}
            }
        }
        for h in &app.health_checks {
            if h.protocol.value.is_mesos() {
                need(Feature::MesosHealthChecks, h.protocol.span);
            }
            if h.protocol.value == HealthProtocol::Https {
                need(Feature::HttpsHealthChecks, h.protocol.span);
            }
            if let Some(p) = &h.port {
                need(Feature::HealthPort, p.span);
            }
            if let Some(d) = &h.delay {
                need(Feature::HealthDelay, d.span);
            }
            if let Some(span) = h.ignore_1xx {
                need(Feature::HealthIgnore1xx, span);
            }
            if let Some(ip) = &h.ip_protocol {
                need(Feature::HealthIpProtocol, ip.span);
            }
        }
        for f in &app.fetch {
            if f.executable || f.cache {
                need(Feature::Fetch, f.span);
            }
            if let Some(d) = &f.dest {
                need(Feature::FetchDest, d.span);
                // The field is renamed within 1.4 (`outputFile` → `destPath` in 1.4.6): no guessing.
                if version >= Feature::FetchDest.info().1 && version.same_release_unpatched(Version::DEST_PATH) {
                    later.push(messages::patch_level_needed(
                        d.span,
                        "`fetch … dest`",
                        "`outputFile` up to 1.4.5 and `destPath` from 1.4.6",
                        version,
                        [Version::with_patch(1, 4, 5), Version::DEST_PATH],
                    ));
                }
            }
        }
    }
    diags.extend(later);
}
