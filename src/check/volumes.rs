//! Volumes: local persistent volumes (`AppValidation.validVolume`), external volumes (one name, one task at a
//! time, across the cluster), and the rules for resident apps.

use super::cluster::Index;
use super::java_regex;
use crate::diagnostics::{messages, Diagnostic};
use crate::model::App;
use rustc_hash::FxHashMap;

pub fn check(index: &Index, diags: &mut Vec<Diagnostic>) {
    // External volume names are unique across Marathon (provider and name): the first use of each.
    let mut external: FxHashMap<(&str, &str), (crate::source::Span, &str)> = FxHashMap::default();
    for app in &index.apps {
        persistent_volumes(app, diags);
        for v in &app.volumes {
            let Some(e) = &v.external else { continue };
            let provider = e.provider.as_ref().map_or("dvdi", |p| p.value.as_str());
            if provider != "dvdi" {
                let span = e.provider.as_ref().map_or(v.span, |p| p.span);
                diags.push(messages::external_volume(
                    span,
                    &format!("Marathon has no external volume provider `{provider}`"),
                    "write `provider dvdi` (Docker volume driver isolation), or leave it out: it is the default",
                ));
            }
            if e.name.value.trim().is_empty() {
                diags.push(messages::external_volume(
                    e.name.span,
                    "an external volume needs a name",
                    "give the provider's volume name, like `pgdata`",
                ));
            }
            if let Some(size) = e.size.as_ref().filter(|s| s.value <= 0.0 || (s.value / 1024.0).fract() != 0.0) {
                diags.push(messages::external_volume(
                    size.span,
                    "an external volume's size is a whole number of GiB above 0",
                    "write it in whole GiB, like `100GiB`",
                ));
            }
            match external.get(&(provider, e.name.value.as_str())) {
                Some((first, first_app)) => {
                    diags.push(messages::external_volume_shared(e.name.span, *first, &e.name.value, first_app))
                }
                None => {
                    external.insert((provider, e.name.value.as_str()), (e.name.span, app.id.as_str()));
                }
            }
        }
    }
}

/// Marathon's rules for local persistent volumes (`AppValidation.validVolume`, resident upgrades).
fn persistent_volumes(app: &App, diags: &mut Vec<Diagnostic>) {
    for v in &app.volumes {
        let Some(p) = &v.persistent else { continue };
        let path = &v.container_path.value;
        if path.contains('/') || path == "." || path == ".." {
            diags.push(messages::persistent_volume(
                v.container_path.span,
                "a persistent volume's path is one name inside the sandbox, without `/`",
                "write a plain name like `data`, and point the program at it (e.g. with an `env`)",
            ));
        }
        for s in [Some(&p.size), p.max_size.as_ref()].into_iter().flatten().filter(|s| s.value.fract() != 0.0) {
            diags.push(messages::persistent_volume(
                s.span,
                "a persistent volume's size is a whole number of MiB",
                "round it to whole MiB, like `512MiB` or `10GiB`",
            ));
        }
        if p.size.value <= 0.0 {
            diags.push(messages::persistent_volume(
                p.size.span,
                "a persistent volume needs a size above 0",
                "give its size, like `10GiB`",
            ));
        }
        if let Some(like) = &p.path_like {
            if p.kind.as_ref().is_none_or(|k| k.value == "root") {
                diags.push(messages::persistent_volume(
                    like.span,
                    "`path-like` applies only to `type path` and `type mount` volumes",
                    "add `type path` or `type mount`, or remove `path-like`: a root volume has no disk path to match",
                ));
            } else if let Err(e) = java_regex::check(&like.value) {
                diags.push(messages::persistent_volume(
                    like.span,
                    &format!("`path-like` is not a Java regular expression: {}", e.description),
                    "Marathon matches the disk's path with Java's `Pattern`; fix the expression",
                ));
            }
        }
        if let Some(max) = &p.max_size {
            if p.kind.as_ref().is_none_or(|k| k.value != "mount") {
                diags.push(messages::persistent_volume(
                    max.span,
                    "`max-size` applies only to `type mount` volumes",
                    "add `type mount`, or remove `max-size`",
                ));
            } else if max.value <= p.size.value {
                diags.push(messages::persistent_volume(
                    max.span,
                    "`max-size` must be larger than the size",
                    "raise `max-size` above the volume's size",
                ));
            }
        }
    }
    // A resident app's tasks stay with their volumes: Marathon starts no extra task to upgrade it.
    if let (Some(resident), Some(over)) = (app.resident(), app.upgrade.as_ref().and_then(|u| u.max_over.as_ref())) {
        if over.value != 0.0 {
            diags.push(
                messages::persistent_volume(
                    over.span,
                    "a resident app (one with persistent or external volumes, or `residency`) must upgrade with `max-over 0%`",
                    "write `max-over 0%`: a task keeps its volume, so Marathon stops it before starting its replacement",
                )
                .secondary(resident, "resident because of this"),
            );
        }
    }
}
