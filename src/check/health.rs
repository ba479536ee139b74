//! Health checks: the port they probe exists, options fit the protocol, at most one Mesos check, and a
//! timeout shorter than the interval.

use super::cluster::Index;
use crate::diagnostics::{messages, Diagnostic};
use crate::model::HealthProtocol;

/// Marathon's defaults when a check leaves them out.
pub const DEFAULT_INTERVAL: u64 = 60;
pub const DEFAULT_TIMEOUT: u64 = 20;

pub fn check(index: &Index, diags: &mut Vec<Diagnostic>) {
    for app in &index.apps {
        // An app that declares no ports gets one dynamic port from Marathon.
        let ports = if app.no_ports.is_some() { 0 } else { app.ports.len().max(1) };
        let mut mesos = Vec::new();
        for h in &app.health_checks {
            let proto = h.protocol.value;
            if proto.is_mesos() {
                mesos.push(h.protocol.span);
            }
            let options = [
                (h.delay.as_ref().map(|d| d.span), "delay", proto.is_mesos(), true),
                (h.ignore_1xx, "ignore-1xx", matches!(proto, HealthProtocol::Http | HealthProtocol::Https), false),
                (h.ip_protocol.as_ref().map(|p| p.span), "ip-protocol", proto.is_mesos(), true),
            ];
            for (span, option, fits, mesos_only) in options {
                if let (Some(span), false) = (span, fits) {
                    diags.push(messages::health_option_protocol(
                        span,
                        h.protocol.span,
                        option,
                        proto.marathon(),
                        mesos_only,
                        index.wording,
                    ));
                }
            }
            if let Some(path) = h.path.as_ref().filter(|_| !proto.is_http()) {
                diags.push(messages::health_path_not_http(path.span, h.protocol.span, proto.marathon(), index.wording));
            }
            if proto == HealthProtocol::Command {
                if h.command.is_none() {
                    diags.push(messages::health_command_missing(h.protocol.span, index.wording));
                }
                for span in
                    [h.port_index.as_ref().map(|p| p.span), h.port.as_ref().map(|p| p.span)].into_iter().flatten()
                {
                    diags.push(messages::health_port_on_command(span, h.protocol.span));
                }
            } else {
                if let Some(cmd) = &h.command {
                    diags.push(messages::health_command_not_command(
                        cmd.span,
                        h.protocol.span,
                        proto.marathon(),
                        index.wording,
                    ));
                }
                if let (Some(i), Some(p)) = (&h.port_index, &h.port) {
                    diags.push(messages::health_port_and_index(p.span, i.span, index.wording));
                }
                // Without `port-index` or `port` a check probes the first port, which `no-ports` leaves out.
                if let (Some(no_ports), None) = (app.no_ports, &h.port) {
                    let at = h.port_index.as_ref().map_or(h.protocol.span, |i| i.span);
                    diags.push(messages::health_without_ports(at, no_ports, index.wording));
                } else if let Some(i) = h.port_index.as_ref().filter(|i| i.value as usize >= ports && !app.incomplete) {
                    diags.push(messages::health_port_index(
                        i.span,
                        i.value,
                        app.ports.len(),
                        app.ports.first().map(|p| p.statement),
                        index.wording,
                    ));
                }
            }
            let interval = h.interval.as_ref().map_or(DEFAULT_INTERVAL, |s| s.value);
            let timeout = h.timeout.as_ref().map_or(DEFAULT_TIMEOUT, |s| s.value);
            if timeout >= interval {
                let timeout_span = h.timeout.as_ref().map_or(h.span, |t| t.span);
                diags.push(messages::health_timeout(
                    timeout_span,
                    timeout,
                    h.interval.as_ref().map(|i| i.span),
                    interval,
                    index.wording,
                ));
            }
        }
        if mesos.len() > 1 {
            diags.push(messages::health_multiple_mesos(&mesos, index.wording));
        }
        let marathon_side = app
            .health_checks
            .iter()
            .find(|h| !h.protocol.value.is_mesos() && h.protocol.value != HealthProtocol::Command);
        if let (Some(&m), Some(h)) = (mesos.first(), marathon_side) {
            diags.push(messages::health_mixed(m, h.protocol.span, index.wording));
        }
        for (i, h) in app.health_checks.iter().enumerate() {
            if let Some(first) = app.health_checks[..i].iter().find(|g| same_check(g, h)) {
                diags.push(messages::health_duplicate(h.span, first.span));
            }
        }
    }
}

/// Whether two checks probe the same way with the same settings.
fn same_check(a: &crate::model::HealthCheck, b: &crate::model::HealthCheck) -> bool {
    let v = |o: &Option<crate::source::Spanned<u64>>| o.as_ref().map(|s| s.value);
    a.protocol.value == b.protocol.value
        && a.path.as_ref().map(|s| &s.value) == b.path.as_ref().map(|s| &s.value)
        && a.command.as_ref().map(|s| &s.value) == b.command.as_ref().map(|s| &s.value)
        && a.port_index.as_ref().map(|s| s.value) == b.port_index.as_ref().map(|s| s.value)
        && a.port.as_ref().map(|s| s.value) == b.port.as_ref().map(|s| s.value)
        && v(&a.grace) == v(&b.grace)
        && v(&a.interval) == v(&b.interval)
        && v(&a.timeout) == v(&b.timeout)
        && a.max_failures.as_ref().map(|s| s.value) == b.max_failures.as_ref().map(|s| s.value)
}
