//! Who a diagnostic speaks to: the author of a pkw file, or of Marathon JSON. The rules are the same for both
//! (they read only the model); what to type instead is not. `messages.rs` writes both wordings side by side
//! with `Wording::pick`, so the one place for wording stays one.

/// The language a diagnostic's help and labels are worded in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Wording {
    /// pkw directives: `unique-host`, `timeout 15s`.
    #[default]
    Pkw,
    /// Marathon JSON fields and values: `["hostname", "UNIQUE"]`, `"timeoutSeconds": 15`.
    Json,
}

impl Wording {
    /// The pkw text or the JSON text.
    pub fn pick<T>(self, pkw: T, json: T) -> T {
        match self {
            Wording::Pkw => pkw,
            Wording::Json => json,
        }
    }

    pub fn is_json(self) -> bool {
        self == Wording::Json
    }
}
