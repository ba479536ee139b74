//! Marathon ids: segment syntax, reserved words, and resolving paths the way Marathon resolves
//! `dependencies` (relative to the enclosing group, `.` skipped, `..` popping a segment).

/// Whether `name` fully matches Marathon's id-segment pattern (without the `.`/`..` navigation forms):
/// dot-separated labels of lowercase letters, digits and `-`, no label starting or ending with `-`.
pub fn is_valid_segment(name: &str) -> bool {
    !name.is_empty()
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// Last segments Marathon's REST API reserves.
pub fn is_reserved(name: &str) -> bool {
    matches!(name, "restart" | "tasks" | "versions")
}

/// A valid segment close to an invalid one: `Web_Tier` → `web-tier`.
pub fn suggest_segment(name: &str) -> Option<String> {
    let mut out = String::new();
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out: Vec<&str> = out.split('.').map(|l| l.trim_matches('-')).filter(|l| !l.is_empty()).collect();
    let out = out.join(".");
    (is_valid_segment(&out) && out != name).then_some(out)
}

/// Joins a child name onto an absolute group id.
pub fn child(parent: &str, name: &str) -> String {
    if parent == "/" {
        format!("/{name}")
    } else {
        format!("{parent}/{name}")
    }
}

/// Resolves a path written in group `base` to an absolute id; `None` if `..` climbs above the root.
pub fn resolve(base: &str, path: &str) -> Option<String> {
    let mut segments: Vec<&str> =
        if path.starts_with('/') { Vec::new() } else { base.split('/').filter(|s| !s.is_empty()).collect() };
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        match segment {
            "." => {}
            ".." => {
                segments.pop()?;
            }
            s => segments.push(s),
        }
    }
    Some(format!("/{}", segments.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments() {
        for ok in ["a", "cassandra-seed", "web.v2", "1st", "a-b.c-d"] {
            assert!(is_valid_segment(ok), "{ok}");
        }
        for bad in ["", "Web_Tier", "-a", "a-", "a..b", "a_b", "A", "a/b"] {
            assert!(!is_valid_segment(bad), "{bad}");
        }
        assert_eq!(suggest_segment("Web_Tier").as_deref(), Some("web-tier"));
    }

    #[test]
    fn resolves_like_marathon() {
        assert_eq!(resolve("/product/service", "../database").as_deref(), Some("/product/database"));
        assert_eq!(resolve("/product/service", "/product/database").as_deref(), Some("/product/database"));
        assert_eq!(resolve("/product/service", "specific/../../database").as_deref(), Some("/product/database"));
        assert_eq!(resolve("/a", "../../x"), None);
    }
}
