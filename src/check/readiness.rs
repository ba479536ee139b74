//! Readiness checks and Mesos checks: the port they probe exists, their options fit their kind, and a
//! readiness check's timeout is shorter than its interval (`AppValidation.readinessCheckValidator`).

use super::cluster::Index;
use crate::diagnostics::wording::Wording;
use crate::diagnostics::{messages, Diagnostic};
use crate::model::{App, CheckKind};
use crate::schema::closest;

/// Marathon's readiness-check defaults (`types/readinessCheck.raml`).
const DEFAULT_INTERVAL: u64 = 30;
const DEFAULT_TIMEOUT: u64 = 10;
const DEFAULT_PORT_NAME: &str = "http-api";

pub fn check(index: &Index, diags: &mut Vec<Diagnostic>) {
    for app in &index.apps {
        readiness(app, index.wording, diags);
        mesos_check(app, index.wording, diags);
    }
}

fn readiness(app: &App, w: Wording, diags: &mut Vec<Diagnostic>) {
    let Some(r) = &app.readiness else { return };
    if app.no_ports.is_some() {
        diags.push(messages::readiness_no_ports(r.span, w));
    } else if !app.incomplete {
        let names: Vec<&str> = app.ports.iter().filter_map(|p| p.name.as_ref()).map(|n| n.value.as_str()).collect();
        let (name, span) = match &r.port_name {
            Some(n) => (n.value.as_str(), n.span),
            None => (DEFAULT_PORT_NAME, r.span),
        };
        if !names.contains(&name) {
            let suggestion = r.port_name.as_ref().and_then(|_| closest(name, names.iter().copied()));
            diags.push(messages::readiness_port(span, name, &names, suggestion, r.port_name.is_some(), w));
        }
    }
    let timeout = r.timeout.as_ref().map_or(DEFAULT_TIMEOUT, |t| t.value);
    let interval = r.interval.as_ref().map_or(DEFAULT_INTERVAL, |i| i.value);
    if timeout >= interval {
        diags.push(messages::readiness_timeout(
            r.span,
            r.timeout.as_ref().map(|t| t.span),
            r.interval.as_ref().map(|i| i.span),
            timeout,
            interval,
            w,
        ));
    }
    for s in r.statuses.iter().filter(|s| !(100..=999).contains(&s.value)) {
        diags.push(messages::readiness_status(s.span, s.value, w));
    }
}

fn mesos_check(app: &App, w: Wording, diags: &mut Vec<Diagnostic>) {
    let Some(c) = &app.mesos_check else { return };
    let kind = match &c.kind.value {
        CheckKind::Command(_) => "command",
        CheckKind::Http => "http",
        CheckKind::Tcp => "tcp",
    };
    if let (CheckKind::Command(_), Some(p)) = (&c.kind.value, &c.port_index) {
        diags.push(messages::mesos_check_option(p.span, "port-index", kind, w));
    }
    if let (false, Some(path)) = (matches!(c.kind.value, CheckKind::Http), &c.path) {
        diags.push(messages::mesos_check_option(path.span, "path", kind, w));
    }
    if let (CheckKind::Http | CheckKind::Tcp, false) = (&c.kind.value, app.incomplete) {
        // An app that declares no ports gets one dynamic port from Marathon.
        let ports = if app.no_ports.is_some() { 0 } else { app.ports.len().max(1) };
        let index = c.port_index.as_ref().map_or(0, |p| p.value);
        if index as usize >= ports {
            diags.push(messages::mesos_check_port(c.port_index.as_ref().map_or(c.span, |p| p.span), index, ports));
        }
    }
}
