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
                diags.push(messages::upgrade_range(f.span, what, f.value));
                in_range = false;
            }
        }
        if !in_range {
            continue;
        }
        let (min, over) = (min_health.map_or(1.0, |f| f.value), max_over.map_or(1.0, |f| f.value));
        if let Some(u) = upgrade {
            if min >= 1.0 && over <= 0.0 && instances(app) > 0 {
                diags.push(messages::upgrade_stuck(
                    min_health.map_or(u.span, |f| f.span),
                    max_over.map_or(u.span, |f| f.span),
                ));
            }
        }
        if over > 0.0 && one_per_host(app) {
            if let Some((_, _, port)) = fixed_host_ports(app).first() {
                let extra = (instances(app) as f64 * over).ceil() as u64;
                if extra > 0 {
                    let at = max_over.map(|f| f.span).or(upgrade.map(|u| u.span)).unwrap_or(app.name.span);
                    diags.push(messages::upgrade_spare_agent(
                        at,
                        port.statement,
                        extra,
                        instances(app),
                        max_over.is_none(),
                    ));
                }
            }
        }
    }
}
