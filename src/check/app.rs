//! Per-app rules: command or image, container settings that need an image, resources.

use super::cluster::Index;
use crate::diagnostics::{messages, Diagnostic};
use crate::model::NetworkMode;
use crate::version::Version;

pub fn check(index: &Index, diags: &mut Vec<Diagnostic>) {
    for app in &index.apps {
        if let (Some(cmd), Some(args)) = (&app.cmd, &app.args) {
            diags.push(messages::cmd_and_args(cmd.span, args.span));
        }
        if app.cmd.is_none() && app.args.is_none() && app.image.is_none() && !app.incomplete {
            diags.push(messages::no_command(app.name.span, &app.id));
        }
        if let Some(cmd) = &app.cmd {
            if cmd.value.trim().chars().count() <= 1 {
                diags.push(messages::empty_value(cmd.span, "cmd", "a command of at least two characters"));
            }
        }
        if let Some(image) = &app.image {
            if image.value.trim().is_empty() {
                diags.push(messages::empty_value(image.span, "image", "an image name like \"nginx:1.25\""));
            }
            if let Some(gpus) = app.gpus.as_ref().filter(|g| g.value > 0) {
                diags.push(messages::gpus_with_docker(gpus.span, image.span));
            }
        } else {
            let mut needs = |span, what: &str| diags.push(messages::needs_image(span, what));
            if let Some(n) = app.network.as_ref().filter(|n| n.mode != NetworkMode::Host) {
                needs(n.span, "bridge and container networking");
            }
            if let Some(span) = app.privileged {
                needs(span, "`privileged`");
            }
            if let Some(span) = app.force_pull {
                needs(span, "`force-pull`");
            }
            if let Some(p) = app.docker_params.first() {
                needs(p.key.span, "`docker-param`");
            }
            if let Some(v) = app.volumes.first() {
                needs(v.span, "`volume`");
            }
        }
        for v in &app.volumes {
            if let Some(h) = v.host_path.as_ref().filter(|h| h.value.is_empty()) {
                diags.push(messages::empty_value(h.span, "volume host path", "a host path like /data/app"));
            }
            if v.container_path.value.is_empty() {
                diags.push(messages::empty_value(
                    v.container_path.span,
                    "volume container path",
                    "a path like /var/lib/app",
                ));
            }
        }
        for f in &app.fetch {
            if f.uri.value.trim().is_empty() {
                diags.push(messages::empty_value(f.uri.span, "fetch", "a URI like \"https://example.org/app.tgz\""));
            }
        }
        for e in app.env.iter().chain(&app.labels).chain(&app.docker_params) {
            if e.key.value.is_empty() {
                diags.push(messages::empty_value(e.key.span, "key", "a non-empty name"));
            }
        }
        if let Some(cpus) = &app.cpus {
            let min = if index.version >= Version::NETWORKS_API { 0.001 } else { f64::MIN_POSITIVE };
            if cpus.value.value < min {
                diags.push(messages::cpus_not_positive(
                    cpus.span,
                    cpus.value.value,
                    index.version >= Version::NETWORKS_API,
                ));
            }
        }
        if let Some(mem) = app.mem.as_ref().filter(|m| m.value < 32.0) {
            diags.push(messages::mem_low(mem.span, mem.value));
        }
        if let Some(factor) = app.backoff.as_ref().and_then(|b| b.factor.as_ref()).filter(|f| f.value.value < 1.0) {
            diags.push(messages::backoff_factor(factor.span, factor.value.value));
        }
    }
}
