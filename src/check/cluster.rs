//! Cluster-wide checks over the lowered model: one entry point that runs every topic's checks.
//! Invariant: every check is near-linear in the number of apps (indexes by port, id and DNS name,
//! never a loop over pairs of apps).

use crate::diagnostics::wording::Wording;
use crate::diagnostics::Diagnostic;
use crate::model::{App, Cluster, Group};
use crate::version::Version;

/// The cluster flattened for the checks: every app and group with its absolute id.
pub struct Index<'c> {
    pub apps: Vec<&'c App>,
    pub groups: Vec<&'c Group>,
    pub version: Version,
    /// pkw or JSON: what the diagnostics' help is worded in.
    pub wording: Wording,
}

/// Whether `path` is one of the declared external apps or groups, or lies under one.
pub fn is_external(path: &str, externals: &[&str]) -> bool {
    externals.iter().any(|e| path == *e || path.strip_prefix(e).is_some_and(|rest| rest.starts_with('/')))
}

impl<'c> Index<'c> {
    pub fn new(cluster: &'c Cluster, version: Version, wording: Wording) -> Index<'c> {
        let mut index = Index { apps: Vec::new(), groups: Vec::new(), version, wording };
        let mut stack = vec![&cluster.root];
        while let Some(g) = stack.pop() {
            index.groups.push(g);
            index.apps.extend(g.apps.iter());
            stack.extend(g.groups.iter().rev());
        }
        index
    }
}

/// Runs every cluster-wide check, and says when the cluster is the root group (a pkw file's top level).
pub fn check(cluster: &Cluster, version: Version) -> Vec<Diagnostic> {
    let mut diags = rules(cluster, version, Wording::Pkw);
    root_group(cluster, &mut diags);
    diags
}

/// Every Marathon rule, on the model alone (what `pkwc check` runs on Marathon JSON as well), with help
/// worded for pkw or for JSON.
pub fn rules(cluster: &Cluster, version: Version, wording: Wording) -> Vec<Diagnostic> {
    let index = Index::new(cluster, version, wording);
    let mut diags = Vec::new();
    super::versions::check(&index, &mut diags);
    super::app::check(&index, &mut diags);
    super::ports::check(&index, &mut diags);
    super::health::check(&index, &mut diags);
    super::readiness::check(&index, &mut diags);
    super::volumes::check(&index, &mut diags);
    super::constraints::check(&index, &mut diags);
    super::upgrade::check(&index, &mut diags);
    super::names::check(&index, &mut diags);
    super::passthrough::check(&index, &mut diags);
    super::deps::check(cluster, &index, &mut diags);
    diags
}

/// A cluster whose top level is not one group is the root group `/`: `POST /v2/groups` answers 409, and
/// `PUT /v2/groups` removes every top-level group and app the body does not hold.
fn root_group(cluster: &Cluster, diags: &mut Vec<Diagnostic>) {
    let root = &cluster.root;
    if root.id != "/" {
        return;
    }
    let names: Vec<(crate::source::Span, &str)> = root
        .groups
        .iter()
        .map(|g| (g.name.span, "a group"))
        .chain(root.apps.iter().map(|a| (a.name.span, "an app")))
        .collect();
    if !names.is_empty() {
        diags.push(crate::diagnostics::messages::root_group(&names));
    }
}
