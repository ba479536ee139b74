//! Units of sizes and durations: the one table of unit names and their scale.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitKind {
    Size,
    Duration,
}

/// (unit, kind, scale): sizes scale to MiB, durations to milliseconds.
const UNITS: &[(&str, UnitKind, f64)] = &[
    ("KiB", UnitKind::Size, 1.0 / 1024.0),
    ("MiB", UnitKind::Size, 1.0),
    ("GiB", UnitKind::Size, 1024.0),
    ("TiB", UnitKind::Size, 1024.0 * 1024.0),
    ("ms", UnitKind::Duration, 1.0),
    ("s", UnitKind::Duration, 1000.0),
    ("m", UnitKind::Duration, 60_000.0),
    ("h", UnitKind::Duration, 3_600_000.0),
    ("d", UnitKind::Duration, 86_400_000.0),
];

pub fn classify(unit: &str) -> Option<UnitKind> {
    UNITS.iter().find(|(u, _, _)| *u == unit).map(|(_, k, _)| *k)
}

/// The factor that turns a number in `unit` into MiB (sizes) or milliseconds (durations).
pub fn scale(unit: &str) -> Option<f64> {
    UNITS.iter().find(|(u, _, _)| *u == unit).map(|(_, _, s)| *s)
}

/// All unit names of a kind, for "did you mean" and help lines.
pub fn names(kind: UnitKind) -> impl Iterator<Item = &'static str> {
    UNITS.iter().filter(move |(_, k, _)| *k == kind).map(|(u, _, _)| *u)
}

/// The unit a user probably meant: `GB` → `GiB`, `sec` → `s`.
pub fn suggest(unit: &str) -> Option<&'static str> {
    let lower = unit.to_ascii_lowercase();
    let alias = match lower.as_str() {
        "k" | "kb" | "kib" => "KiB",
        "mb" | "mib" | "mi" => "MiB",
        "g" | "gb" | "gib" | "gi" => "GiB",
        "t" | "tb" | "tib" | "ti" => "TiB",
        "sec" | "secs" | "second" | "seconds" => "s",
        "min" | "mins" | "minute" | "minutes" => "m",
        "hr" | "hrs" | "hour" | "hours" => "h",
        "day" | "days" => "d",
        "msec" | "millis" => "ms",
        _ => return None,
    };
    Some(alias)
}
