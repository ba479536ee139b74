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
        let (what, since) = feature.info();
        if version < since {
            diags.push(messages::needs_newer_marathon(span, what, since, version));
        }
    };
    let mut patch_levels = Vec::new();
    for app in &index.apps {
        if let Some(n) = app.network.as_ref().filter(|n| n.mode == NetworkMode::Container) {
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
        if let Some(v) = app.volumes.iter().find(|v| v.persistent.is_some()) {
            need(Feature::PersistentVolumes, v.span);
        }
        for p in &app.ports {
            if p.protocol.value == Protocol::UdpTcp {
                need(Feature::UdpTcp, p.protocol.span);
            }
            if let Some(vip) = &p.vip {
                need(Feature::PortLabels, vip.span);
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
                    patch_levels.push(messages::patch_level_needed(
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
    diags.extend(patch_levels);
}
