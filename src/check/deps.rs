//! Dependencies: every `depends-on` names an app or group, and the graph Marathon builds from them has no
//! cycle. Marathon's graph: an app depends on its own dependencies and on those of every enclosing group;
//! depending on a group means depending on every app inside it.

use rustc_hash::FxHashMap as HashMap;

use super::cluster::Index;
use crate::diagnostics::{messages, Diagnostic};
use crate::model::{Cluster, Dependency, Group};
use crate::source::Span;

/// An edge of the dependency graph; `written` is set for edges a `depends-on` declared.
struct Edge<'c> {
    to: usize,
    written: Option<&'c Dependency>,
}

pub fn check(cluster: &Cluster, index: &Index, diags: &mut Vec<Diagnostic>) {
    // Nodes: apps, then for each group a "members" node (all its apps) and a "dependencies" node.
    let apps = index.apps.len();
    let mut node_of: HashMap<&str, usize> = HashMap::default();
    for (i, app) in index.apps.iter().enumerate() {
        node_of.insert(&app.id, i);
    }
    let mut groups: Vec<&Group> = Vec::new();
    let mut parent: Vec<Option<usize>> = Vec::new();
    let mut stack: Vec<(&Group, Option<usize>)> = vec![(&cluster.root, None)];
    while let Some((g, p)) = stack.pop() {
        let gi = groups.len();
        groups.push(g);
        parent.push(p);
        stack.extend(g.groups.iter().rev().map(|c| (c, Some(gi))));
    }
    let members = |gi: usize| apps + 2 * gi;
    let deps_node = |gi: usize| apps + 2 * gi + 1;
    for (gi, g) in groups.iter().enumerate() {
        node_of.entry(&g.id).or_insert(members(gi));
    }
    let mut edges: Vec<Vec<Edge>> = (0..apps + 2 * groups.len()).map(|_| Vec::new()).collect();
    let mut names: Vec<&str> = index.apps.iter().map(|a| a.id.as_str()).collect();
    for g in &groups {
        names.push(&g.id);
        names.push(&g.id);
    }
    let app_node: HashMap<*const crate::model::App, usize> =
        index.apps.iter().enumerate().map(|(i, a)| (*a as *const _, i)).collect();

    let externals: Vec<&str> =
        index.groups.iter().flat_map(|g| g.externals.iter().map(|e| e.absolute.as_str())).collect();
    // Suggestions compare with every id: bounded, as "did you mean" is everywhere.
    let mut suggestion_work = 0usize;
    let mut target =
        |dep: &Dependency, from: &str, diags: &mut Vec<Diagnostic>| match node_of.get(dep.absolute.as_str()) {
            Some(n) => Some(*n),
            // Deployed from elsewhere: Marathon has it, and it depends on nothing here.
            None if super::cluster::is_external(&dep.absolute, &externals) => None,
            None => {
                suggestion_work = suggestion_work.saturating_add(node_of.len());
                // Never the app or group itself, nor one of its own groups: depending on those is a cycle.
                let candidates = node_of
                    .keys()
                    .copied()
                    .chain(externals.iter().copied())
                    .filter(|c| *c != from && !is_ancestor(c, from));
                let closest = (suggestion_work <= crate::limits::MAX_SUGGESTION_WORK)
                    .then(|| crate::schema::closest(&dep.absolute, candidates))
                    .flatten();
                diags.push(messages::unknown_dependency(
                    dep.written.span,
                    &dep.written.value,
                    &dep.absolute,
                    closest,
                    index.wording,
                ));
                None
            }
        };
    for (gi, g) in groups.iter().enumerate() {
        if let Some(p) = parent[gi] {
            edges[deps_node(gi)].push(Edge { to: deps_node(p), written: None });
            edges[members(p)].push(Edge { to: members(gi), written: None });
        }
        for dep in &g.dependencies {
            if let Some(to) = target(dep, &g.id, diags) {
                edges[deps_node(gi)].push(Edge { to, written: Some(dep) });
            }
        }
        for app in &g.apps {
            let a = app_node[&(app as *const _)];
            edges[members(gi)].push(Edge { to: a, written: None });
            edges[a].push(Edge { to: deps_node(gi), written: None });
            for dep in &app.dependencies {
                if let Some(to) = target(dep, &app.id, diags) {
                    edges[a].push(Edge { to, written: Some(dep) });
                }
            }
        }
    }
    find_cycles(&edges, &names, apps, index.wording, diags);
}

/// Iterative depth-first search; reports each cycle that goes through an app not yet reported.
fn find_cycles(
    edges: &[Vec<Edge>],
    names: &[&str],
    apps: usize,
    w: crate::diagnostics::wording::Wording,
    diags: &mut Vec<Diagnostic>,
) {
    const WHITE: u8 = 0;
    const GRAY: u8 = 1;
    const BLACK: u8 = 2;
    let mut color = vec![WHITE; edges.len()];
    let mut reported = vec![false; edges.len()];
    // Stack of (node, next edge index, edge that led here).
    type Frame = (usize, usize, Option<(usize, usize)>);
    let mut stack: Vec<Frame> = Vec::new();
    for start in 0..edges.len() {
        if color[start] != WHITE {
            continue;
        }
        stack.push((start, 0, None));
        color[start] = GRAY;
        while let Some(top) = stack.last_mut() {
            let (node, next) = (top.0, top.1);
            if next == edges[node].len() {
                color[node] = BLACK;
                stack.pop();
                continue;
            }
            top.1 += 1;
            let to = edges[node][next].to;
            match color[to] {
                WHITE => {
                    color[to] = GRAY;
                    stack.push((to, 0, Some((node, next))));
                }
                GRAY => {
                    // The cycle: the stack from `to` up to `node`, then the edge back to `to`.
                    let from = stack.iter().position(|(n, _, _)| *n == to).unwrap_or(0);
                    let mut cycle: Vec<(usize, usize)> = stack[from + 1..].iter().filter_map(|(_, _, e)| *e).collect();
                    cycle.push((node, next));
                    let nodes: Vec<usize> = cycle.iter().map(|(n, _)| *n).collect();
                    if nodes.iter().any(|n| *n < apps && !reported[*n]) {
                        for n in &nodes {
                            reported[*n] = true;
                        }
                        let chain: Vec<&str> = nodes.iter().filter(|n| **n < apps).map(|n| names[*n]).collect();
                        let labels: Vec<(Span, &str, &str)> = cycle
                            .iter()
                            .filter_map(|(n, e)| {
                                edges[*n][*e].written.map(|d| (d.written.span, names[*n], d.absolute.as_str()))
                            })
                            .collect();
                        diags.push(messages::dependency_cycle(&chain, &labels, w));
                    }
                }
                _ => {}
            }
        }
    }
}

/// Whether the group `group` holds `id`, at any depth (`/` holds everything).
fn is_ancestor(group: &str, id: &str) -> bool {
    group == "/" || id.strip_prefix(group).is_some_and(|rest| rest.starts_with('/'))
}
