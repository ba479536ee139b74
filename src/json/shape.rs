//! What a Marathon JSON file is, from its top level: an app, a list of apps, a group, or what one of
//! Marathon's `GET` endpoints answered; and which of its fields only Marathon writes (task counts,
//! versions, deployments), to be recognised and set aside. Invariant: nothing here judges an app's or a
//! group's fields beyond that; the walk over groups is recursive, and bounded by `read::MAX_DEPTH`.

use super::tree::{JMember, JNode, JValue};
use crate::diagnostics::{messages, Diagnostic};
use crate::source::Span;

pub use crate::marathon::fields::APP_SERVER_FIELDS;

/// The fields Marathon adds to a group in `GET /v2/groups` (`GroupInfo`): its `version`. (`pods`,
/// `dependencies` and `enforceRole` are fields of a group as written.)
pub const GROUP_SERVER_FIELDS: &[&str] = &["version"];

/// The apps or the group a file holds.
#[derive(Debug, PartialEq)]
pub enum Shape<'a> {
    App(&'a JNode),
    Apps(Vec<&'a JNode>),
    Group(&'a JNode),
}

/// What kind of file it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An object with an `id` and no `apps` or `groups`: the body of `POST /v2/apps`.
    App,
    /// An array of apps: the body of `PUT /v2/apps`.
    AppList,
    /// An object with `apps`, `groups` or `pods`: the body of `POST /v2/groups`.
    Group,
    /// `{"apps": [...]}` without an `id`: what `GET /v2/apps` answers.
    AppsResponse,
    /// `{"app": {...}}`: what `GET /v2/apps/ID` answers.
    AppResponse,
    /// A group holding fields only Marathon writes: what `GET /v2/groups` answers.
    GroupResponse,
}

/// A field only Marathon writes, found in an app or a group of the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Ignored {
    pub field: &'static str,
    pub key_span: Span,
    pub value_span: Span,
}

#[derive(Debug, PartialEq)]
pub struct Classified<'a> {
    pub kind: Kind,
    pub shape: Shape<'a>,
    /// Every server-only field, in the order written.
    pub ignored: Vec<Ignored>,
}

/// Classifies a file's value. `None` when it is none of the shapes; an array's items that are not
/// objects are reported and left out.
pub fn classify(root: &JNode) -> (Option<Classified<'_>>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut ignored = Vec::new();
    let (kind, shape) = match &root.value {
        JValue::Arr(items) => (Kind::AppList, Shape::Apps(apps(items, &mut ignored, &mut diagnostics))),
        JValue::Obj(_) => {
            let has = |key: &str| root.get(key).is_some();
            if has("apps") || has("groups") || has("pods") {
                match (root.get("apps"), has("id") || has("groups") || has("pods")) {
                    (Some(JNode { value: JValue::Arr(items), .. }), false) => {
                        (Kind::AppsResponse, Shape::Apps(apps(items, &mut ignored, &mut diagnostics)))
                    }
                    _ => {
                        group(root, &mut ignored);
                        let kind = if ignored.is_empty() { Kind::Group } else { Kind::GroupResponse };
                        (kind, Shape::Group(root))
                    }
                }
            } else if has("id") {
                server_fields(root, APP_SERVER_FIELDS, &mut ignored);
                (Kind::App, Shape::App(root))
            } else if let Some(app) = root.get("app") {
                if !app.is_object() {
                    diagnostics.push(messages::json_not_an_app(app.span, app.value.kind()));
                    return (None, diagnostics);
                }
                server_fields(app, APP_SERVER_FIELDS, &mut ignored);
                (Kind::AppResponse, Shape::App(app))
            } else {
                diagnostics.push(messages::json_shape(root.span, "an object without `id`, `apps`, `groups` or `app`"));
                return (None, diagnostics);
            }
        }
        other => {
            diagnostics.push(messages::json_shape(root.span, other.kind()));
            return (None, diagnostics);
        }
    };
    (Some(Classified { kind, shape, ignored }), diagnostics)
}

/// The objects of a list of apps; anything else in it is reported.
fn apps<'a>(items: &'a [JNode], ignored: &mut Vec<Ignored>, diagnostics: &mut Vec<Diagnostic>) -> Vec<&'a JNode> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        if item.is_object() {
            server_fields(item, APP_SERVER_FIELDS, ignored);
            out.push(item);
        } else {
            diagnostics.push(messages::json_not_an_app(item.span, item.value.kind()));
        }
    }
    out
}

/// A group's server-only fields, its apps' and its groups', in the order written.
fn group(node: &JNode, ignored: &mut Vec<Ignored>) {
    let Some(members) = node.members() else { return };
    for m in members {
        if GROUP_SERVER_FIELDS.contains(&m.key.as_str()) {
            ignored.push(ignore(m, GROUP_SERVER_FIELDS));
        }
        match (m.key.as_str(), m.value.items()) {
            ("apps", Some(apps)) => apps.iter().for_each(|a| server_fields(a, APP_SERVER_FIELDS, ignored)),
            ("groups", Some(groups)) => groups.iter().for_each(|g| group(g, ignored)),
            _ => {}
        }
    }
}

fn server_fields(node: &JNode, fields: &'static [&'static str], ignored: &mut Vec<Ignored>) {
    for m in node.members().unwrap_or_default() {
        if fields.contains(&m.key.as_str()) {
            ignored.push(ignore(m, fields));
        }
    }
}

fn ignore(m: &JMember, fields: &'static [&'static str]) -> Ignored {
    let field = fields.iter().copied().find(|f| *f == m.key).unwrap_or("");
    Ignored { field, key_span: m.key_span, value_span: m.value.span }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;
    use crate::source::FileId;

    fn kind(text: &str) -> Option<Kind> {
        let (root, d) = super::super::read(FileId(0), text);
        assert!(d.is_empty(), "{d:#?}");
        let root = root.unwrap();
        let (c, _) = classify(&root);
        c.map(|c| c.kind)
    }

    #[test]
    fn each_shape_is_recognised() {
        assert_eq!(kind(r#"{"id": "/web", "cmd": "sleep 1"}"#), Some(Kind::App));
        assert_eq!(kind(r#"[{"id": "/a"}, {"id": "/b"}]"#), Some(Kind::AppList));
        assert_eq!(kind(r#"{"id": "/g", "apps": [{"id": "a"}]}"#), Some(Kind::Group));
        assert_eq!(kind(r#"{"id": "/g", "groups": []}"#), Some(Kind::Group));
        assert_eq!(kind(r#"{"apps": [{"id": "/a", "tasksRunning": 1}]}"#), Some(Kind::AppsResponse));
        assert_eq!(kind(r#"{"app": {"id": "/a", "version": "2024-01-01T00:00:00Z"}}"#), Some(Kind::AppResponse));
        assert_eq!(kind(r#"{"id": "/", "apps": [], "version": "2024-01-01T00:00:00Z"}"#), Some(Kind::GroupResponse));
        assert_eq!(kind(r#"{"cmd": "x"}"#), None);
        assert_eq!(kind(r#""x""#), None);
        assert_eq!(kind(r#"{"app": 1}"#), None);
    }

    #[test]
    fn server_fields_are_listed_through_groups() {
        let text = r#"{"id": "/", "version": "v", "groups": [{"id": "/g", "version": "v",
            "apps": [{"id": "/g/a", "uris": [], "tasksStaged": 0, "deployments": [], "taskStats": {}}]}]}"#;
        let (root, _) = super::super::read(FileId(0), text);
        let root = root.unwrap();
        let (c, d) = classify(&root);
        assert!(d.is_empty());
        let c = c.unwrap();
        let fields: Vec<_> = c.ignored.iter().map(|i| i.field).collect();
        assert_eq!(fields, ["version", "version", "tasksStaged", "deployments", "taskStats"]);
        assert_eq!(&text[c.ignored[0].key_span.range()], r#""version""#);
        assert_eq!(&text[c.ignored[0].value_span.range()], r#""v""#);
    }

    #[test]
    fn items_that_are_not_apps_are_reported() {
        let (root, _) = super::super::read(FileId(0), r#"[{"id": "/a"}, 3]"#);
        let root = root.unwrap();
        let (c, d) = classify(&root);
        assert!(matches!(c.map(|c| c.shape), Some(Shape::Apps(a)) if a.len() == 1));
        assert_eq!(
            d.iter().map(|d| (d.code, d.labels[0].span.range())).collect::<Vec<_>>(),
            [(Code::JsonShape, 15..16)]
        );
    }
}
