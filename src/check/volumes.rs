//! Volumes: local persistent volumes (`AppValidation.validVolume`), external volumes (one name, one task at a
//! time, across the cluster), and the rules for resident apps.

use super::cluster::Index;
use super::java_regex;
use crate::diagnostics::messages::Refusal;
use crate::diagnostics::wording::Wording;
use crate::diagnostics::{messages, Diagnostic};
use crate::model::App;
use rustc_hash::FxHashMap;

pub fn check(index: &Index, diags: &mut Vec<Diagnostic>) {
    // External volume names are unique across Marathon (provider and name): the first use of each.
    let mut external: FxHashMap<(&str, &str), (crate::source::Span, &str)> = FxHashMap::default();
    for app in &index.apps {
        persistent_volumes(app, index.wording, diags);
        for v in &app.volumes {
            let Some(e) = &v.external else { continue };
            let provider = e.provider.as_ref().map_or("dvdi", |p| p.value.as_str());
            if provider != "dvdi" {
                let span = e.provider.as_ref().map_or(v.span, |p| p.span);
                diags.push(messages::external_provider(span, provider, index.wording));
            }
            if e.name.value.trim().is_empty() {
                diags.push(messages::refusal(Refusal::ExternalName, e.name.span, index.wording));
            }
            if let Some(size) = e.size.as_ref().filter(|s| s.value <= 0.0 || (s.value / 1024.0).fract() != 0.0) {
                diags.push(messages::refusal(Refusal::ExternalSize, size.span, index.wording));
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
fn persistent_volumes(app: &App, w: Wording, diags: &mut Vec<Diagnostic>) {
    for v in &app.volumes {
        let Some(p) = &v.persistent else { continue };
        let path = &v.container_path.value;
        if path.contains('/') || path == "." || path == ".." {
            diags.push(messages::refusal(Refusal::PersistentPath, v.container_path.span, w));
        }
        for s in [Some(&p.size), p.max_size.as_ref()].into_iter().flatten().filter(|s| s.value.fract() != 0.0) {
            diags.push(messages::refusal(Refusal::PersistentWholeMib, s.span, w));
        }
        if p.size.value <= 0.0 {
            diags.push(messages::refusal(Refusal::PersistentSize, p.size.span, w));
        }
        if let Some(like) = &p.path_like {
            if p.kind.as_ref().is_none_or(|k| k.value == "root") {
                diags.push(messages::refusal(Refusal::PathLikeType, like.span, w));
            } else if let Err(e) = java_regex::check(&like.value) {
                diags.push(messages::path_like_regex(like.span, &e.description, w));
            }
        }
        if let Some(max) = &p.max_size {
            if p.kind.as_ref().is_none_or(|k| k.value != "mount") {
                diags.push(messages::refusal(Refusal::MaxSizeType, max.span, w));
            } else if max.value <= p.size.value {
                diags.push(messages::refusal(Refusal::MaxSizeSmall, max.span, w));
            }
        }
    }
    // A resident app's tasks stay with their volumes: Marathon starts no extra task to upgrade it.
    if let (Some(resident), Some(over)) = (app.resident(), app.upgrade.as_ref().and_then(|u| u.max_over.as_ref())) {
        if over.value != 0.0 {
            diags.push(
                messages::refusal(Refusal::ResidentMaxOver, over.span, w)
                    .secondary(resident, "resident because of this"),
            );
        }
    }
}
