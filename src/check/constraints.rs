//! Placement constraints: the value each operator takes, and combinations that can never be met.

use rustc_hash::FxHashMap as HashMap;

use super::cluster::Index;
use super::java_regex;
use crate::diagnostics::messages::ConstraintProblem;
use crate::diagnostics::{messages, Diagnostic};
use crate::model::{Constraint, Operator};

/// `@hostname` and `hostname` are the same field.
fn field(c: &Constraint) -> &str {
    match c.field.value.as_str() {
        "@hostname" => "hostname",
        f => f,
    }
}

pub fn check(index: &Index, diags: &mut Vec<Diagnostic>) {
    for app in &index.apps {
        let mut cluster: HashMap<&str, &Constraint> = HashMap::default();
        let mut unique: HashMap<&str, &Constraint> = HashMap::default();
        let mut max_per: HashMap<&str, &Constraint> = HashMap::default();
        let mut seen: HashMap<(&str, &str, Option<&str>), &Constraint> = HashMap::default();
        for c in &app.constraints {
            let key = (field(c), c.operator.value.word(), c.value.as_ref().map(|v| v.value.as_str()));
            if let Some(first) = seen.get(&key) {
                diags.push(messages::duplicate_constraint(c.span, first.span, index.wording));
            } else {
                seen.insert(key, c);
            }
            value(c, index.wording, diags);
            if c.field.value.trim().is_empty() {
                diags.push(messages::empty_value(
                    c.field.span,
                    "constraint field",
                    "an agent attribute like `rack` or `hostname`",
                ));
            }
            let f = field(c);
            match c.operator.value {
                Operator::Cluster => {
                    if let Some(value) = &c.value {
                        match cluster.get(f).and_then(|o| o.value.as_ref().map(|v| (o, v))) {
                            Some((_, v)) if v.value != value.value => diags.push(messages::constraint_unsatisfiable(
                                value.span,
                                v.span,
                                f,
                                &v.value,
                                &value.value,
                                index.wording,
                            )),
                            Some(_) => {}
                            None => {
                                cluster.insert(f, c);
                            }
                        }
                    }
                }
                Operator::Unique => {
                    unique.entry(f).or_insert(c);
                }
                Operator::MaxPer => {
                    max_per.entry(f).or_insert(c);
                }
                _ => {}
            }
        }
        for (f, u) in &unique {
            if let Some(m) = max_per.get(f) {
                let (later, earlier) = if u.span.start > m.span.start { (u, m) } else { (m, u) };
                diags.push(messages::constraint_unique_and_max_per(later.span, earlier.span, f, index.wording));
            }
        }
        ruled_out(app, &cluster, index.wording, diags);
        pinned_beyond_one_agent(app, &cluster, index.wording, diags);
    }
}

/// A `cluster VALUE` that a `like`, `unlike` or `is` on the same field rules out. A pattern is matched
/// whole, as Marathon does, and only where the `regex` crate agrees with Java (`java_regex::portable`).
fn ruled_out(
    app: &crate::model::App,
    cluster: &HashMap<&str, &Constraint>,
    w: crate::diagnostics::wording::Wording,
    diags: &mut Vec<Diagnostic>,
) {
    for c in &app.constraints {
        let (Some(pinned), Some(rule)) = (cluster.get(field(c)), c.value.as_ref()) else { continue };
        let Some(wanted) = pinned.value.as_ref() else { continue };
        let excluded = match c.operator.value {
            Operator::Is => rule.value != wanted.value,
            Operator::Like | Operator::Unlike => {
                let ascii = wanted.value.bytes().all(|b| (0x20..0x7F).contains(&b));
                if !ascii || !java_regex::portable(&rule.value) {
                    continue;
                }
                let Ok(re) = regex::bytes::Regex::new(&format!("(?-u)^(?:{})$", rule.value)) else { continue };
                re.is_match(wanted.value.as_bytes()) == (c.operator.value == Operator::Unlike)
            }
            _ => false,
        };
        if excluded {
            diags.push(messages::constraint_ruled_out(
                rule.span,
                wanted.span,
                field(c),
                &wanted.value,
                (c.operator.value.word(), c.operator.value.marathon()),
                w,
            ));
        }
    }
}

/// Several instances pinned to one agent (`hostname cluster "…"`) that can each only run alone there:
/// `unique-host`, or fixed host ports. Only one ever starts, and the deployment waits for the others.
fn pinned_beyond_one_agent(
    app: &crate::model::App,
    cluster: &HashMap<&str, &Constraint>,
    w: crate::diagnostics::wording::Wording,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(pin) = cluster.get("hostname").and_then(|c| c.value.as_ref()) else { return };
    let instances = super::ports::instances(app);
    if instances < 2 || app.incomplete {
        return;
    }
    let alone = if super::ports::one_per_host(app) {
        app.constraints
            .iter()
            .find(|c| field(c) == "hostname" && matches!(c.operator.value, Operator::Unique | Operator::MaxPer))
            .map(|c| (c.span, "one task per agent"))
    } else {
        super::ports::fixed_host_ports(app)
            .first()
            .map(|p| (p.span, "a fixed host port, which one task at a time can bind"))
    };
    if let (Some((span, why)), Some(count)) = (alone, app.instances.as_ref()) {
        diags.push(messages::pinned_instances(count.span, pin.span, span, instances, &pin.value, why, w));
    }
}

/// The value each operator takes (Marathon's rules, a little stricter about signs).
fn value(c: &Constraint, w: crate::diagnostics::wording::Wording, diags: &mut Vec<Diagnostic>) {
    let op = c.operator.value;
    let v = c.value.as_ref();
    let field = c.field.value.as_str();
    let bad = |diags: &mut Vec<Diagnostic>, span, problem: ConstraintProblem| {
        diags.push(messages::constraint_value(span, field, (op.word(), op.marathon()), problem, w))
    };
    match op {
        Operator::Unique => {
            if let Some(v) = v {
                bad(diags, v.span, ConstraintProblem::UniqueValue);
            }
        }
        Operator::Cluster => {}
        Operator::GroupBy => {
            // Marathon reads the value as a Java `int`.
            if let Some(v) = v.filter(|v| !v.value.parse::<i32>().is_ok_and(|n| n >= 0)) {
                bad(diags, v.span, ConstraintProblem::GroupByValue);
            }
        }
        Operator::MaxPer => match v {
            None => bad(diags, c.operator.span, ConstraintProblem::MaxPerMissing),
            Some(v) if !v.value.parse::<i32>().is_ok_and(|n| n >= 1) => {
                bad(diags, v.span, ConstraintProblem::MaxPerValue)
            }
            _ => {}
        },
        Operator::Like | Operator::Unlike => match v {
            None => bad(diags, c.operator.span, ConstraintProblem::RegexMissing),
            Some(v) => {
                if let Err(e) = java_regex::check(&v.value) {
                    diags.push(messages::constraint_regex(v.span, op.word(), &v.value, &e));
                } else if v.value.is_empty() {
                    bad(diags, v.span, ConstraintProblem::RegexEmpty);
                }
            }
        },
        Operator::Is => match v {
            None => bad(diags, c.operator.span, ConstraintProblem::IsMissing),
            Some(v)
                if v.value.is_empty()
                    || !v.value.bytes().all(|b| b.is_ascii_alphanumeric() || b"_/.-".contains(&b)) =>
            {
                bad(diags, v.span, ConstraintProblem::IsValue)
            }
            _ => {}
        },
    }
}
