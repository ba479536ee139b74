//! Upgrade strategies: fractions in range, and strategies that cannot make progress or need spare agents.

use super::cluster::Index;
use super::ports::{fixed_host_ports, instances, one_per_host};
use crate::diagnostics::{messages, Diagnostic};

pub fn check(index: &Index, diags: &mut Vec<Diagnostic>) {
    for app in &index.apps {
        let upgrade = app.upgrade.as_ref();
        let min_health = upgrade.and_then(|u| u.min_health.as_ref());
        let max_over = upgrade.and_then(|u| u.max_over.as_ref());
        let mut in_range = true;
        for (f, what) in [(min_health, "min-health"), (max_over, "max-over")] {
            if let Some(f) = f.filter(|f| !(0.0..=1.0).contains(&f.value)) {
                diags.push(messages::upgrade_range(f.span, what, f.value, index.wording));
                in_range = false;
            }
        }
        if !in_range {
            continue;
        }
        // Marathon's default is (1, 1); a resident app (persistent or external volumes, `residency`) gets (0.5, 0).
        let resident = app.resident().is_some();
        let (default_min, default_over) = if resident { (0.5, 0.0) } else { (1.0, 1.0) };
        let (min, over) = (min_health.map_or(default_min, |f| f.value), max_over.map_or(default_over, |f| f.value));
        let n = instances(app);
        if n == 0 {
            continue;
        }
        let plan = plan(n, min, over);
        // Reported where the user asked for it in so many words; other cases only matter with fixed host
        // ports, where the spare-agent warning below covers them.
        if let (Some(u), true) = (upgrade, plan.forced_over && min >= 1.0 && over <= 0.0) {
            diags.push(messages::upgrade_no_room(
                min_health.map_or(u.span, |f| f.span),
                max_over.map_or(u.span, |f| f.span),
                n,
                index.wording,
            ));
        }
        let extra = plan.max_capacity.saturating_sub(n);
        if extra > 0 && one_per_host(app) {
            if let Some(hp) = fixed_host_ports(app).first() {
                let at = max_over.map(|f| f.span).or(upgrade.map(|u| u.span)).unwrap_or(app.name.span);
                diags.push(messages::upgrade_spare_agent(
                    at,
                    hp.port.statement,
                    extra,
                    n,
                    upgrade.is_none() || max_over.is_none(),
                    plan.forced_over,
                    index.wording,
                ));
            }
        }
    }
}

/// How Marathon replaces `n` tasks (its `TaskReplaceActor`, the same since 0.8): it keeps
/// `ceil(n × min-health)` healthy and runs at most `floor(n × (1 + max-over))` tasks; when those leave no
/// room to move, it allows one task over capacity.
pub struct Plan {
    pub max_capacity: u64,
    pub forced_over: bool,
}

pub fn plan(n: u64, min_health: f64, max_over: f64) -> Plan {
    let min_healthy = (n as f64 * min_health).ceil() as u64;
    let max_capacity = (n as f64 * (1.0 + max_over)).floor() as u64;
    if min_healthy >= n && max_capacity <= n {
        Plan { max_capacity: n + 1, forced_over: true }
    } else {
        Plan { max_capacity: max_capacity.max(n), forced_over: false }
    }
}

#[cfg(test)]
mod tests {
    use super::plan;

    #[test]
    fn marathon_arithmetic() {
        // The seed's Cassandra: 2 instances, 50% / 20%: one old task stops first, no extra task starts.
        assert_eq!(plan(2, 0.5, 0.2).max_capacity, 2);
        // 3 instances at 67% keep all 3 healthy: Marathon has to start a 4th.
        let p = plan(3, 0.67, 0.0);
        assert!(p.forced_over && p.max_capacity == 4);
        assert_eq!(plan(5, 0.8, 0.4).max_capacity, 7);
        assert!(!plan(5, 0.8, 0.0).forced_over);
    }
}
