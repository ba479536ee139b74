//! The spanned JSON tree: what a Marathon JSON file says, in written order, with the byte span of every
//! value and key. It knows nothing of apps or groups.
//! Invariant: an object keeps every member as written, duplicates included (`get` answers as Marathon's
//! reader does: the last one wins); a number keeps its text, so nothing is rounded before it is checked.

use crate::source::Span;

/// A JSON value with the span it was written at.
#[derive(Clone, Debug, PartialEq)]
pub struct JNode {
    pub value: JValue,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum JValue {
    Null,
    Bool(bool),
    Num(JNum),
    Str(String),
    Arr(Vec<JNode>),
    Obj(Vec<JMember>),
}

/// One `"key": value` of an object.
#[derive(Clone, Debug, PartialEq)]
pub struct JMember {
    pub key: String,
    pub key_span: Span,
    pub value: JNode,
}

/// A number as written (`512`, `0.5`, `1e3`, `-0`): its text, which is valid JSON number syntax.
/// Short texts (nearly all of them) are kept inline, so a number costs no allocation.
#[derive(Clone, PartialEq, Eq)]
pub struct JNum(NumText);

#[derive(Clone, PartialEq, Eq)]
enum NumText {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

const INLINE: usize = 22;

impl JNum {
    /// `text` must be a JSON number (the reader only builds it from one).
    pub fn new(text: &str) -> JNum {
        if text.len() <= INLINE {
            let mut bytes = [0; INLINE];
            bytes[..text.len()].copy_from_slice(text.as_bytes());
            JNum(NumText::Inline { len: text.len() as u8, bytes })
        } else {
            JNum(NumText::Heap(text.into()))
        }
    }

    /// The number as written.
    pub fn text(&self) -> &str {
        match &self.0 {
            // The bytes were copied whole from a `&str`, so they are UTF-8 (ASCII, in fact).
            NumText::Inline { len, bytes } => std::str::from_utf8(&bytes[..*len as usize]).unwrap_or(""),
            NumText::Heap(s) => s,
        }
    }

    /// Written as an integer: no fraction and no exponent (`2`, `-7`; not `2.0` or `2e0`).
    pub fn is_integer(&self) -> bool {
        !self.text().bytes().any(|b| matches!(b, b'.' | b'e' | b'E'))
    }

    /// The integer, when it is written as one and fits.
    pub fn as_i64(&self) -> Option<i64> {
        if self.is_integer() {
            self.text().parse().ok()
        } else {
            None
        }
    }

    /// The value as a double (what Marathon's reader makes of a fractional field).
    pub fn as_f64(&self) -> Option<f64> {
        self.text().parse().ok()
    }
}

impl std::fmt::Debug for JNum {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "JNum({})", self.text())
    }
}

impl JValue {
    /// The kind in words, for messages: `an object`, `a string`.
    pub fn kind(&self) -> &'static str {
        match self {
            JValue::Null => "`null`",
            JValue::Bool(_) => "a boolean",
            JValue::Num(_) => "a number",
            JValue::Str(_) => "a string",
            JValue::Arr(_) => "an array",
            JValue::Obj(_) => "an object",
        }
    }
}

impl JNode {
    pub fn new(value: JValue, span: Span) -> JNode {
        JNode { value, span }
    }

    /// The member named `key` of an object: the last one when it is given twice, as Marathon reads it.
    pub fn member(&self, key: &str) -> Option<&JMember> {
        self.members()?.iter().rev().find(|m| m.key == key)
    }

    /// The value of the member named `key` (see `member`); `None` for a non-object.
    pub fn get(&self, key: &str) -> Option<&JNode> {
        self.member(key).map(|m| &m.value)
    }

    pub fn members(&self) -> Option<&[JMember]> {
        match &self.value {
            JValue::Obj(m) => Some(m),
            _ => None,
        }
    }

    pub fn items(&self) -> Option<&[JNode]> {
        match &self.value {
            JValue::Arr(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            JValue::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            JValue::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_num(&self) -> Option<&JNum> {
        match &self.value {
            JValue::Num(n) => Some(n),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, JValue::Null)
    }

    pub fn is_object(&self) -> bool {
        matches!(self.value, JValue::Obj(_))
    }
}

impl JNode {
    /// The value as `serde_json` holds it (a duplicate key: the last one, as Marathon reads it).
    pub fn to_value(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.value {
            JValue::Null => Value::Null,
            JValue::Bool(b) => Value::Bool(*b),
            JValue::Num(n) => match n.as_i64() {
                Some(i) => Value::from(i),
                None => n.as_f64().and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number),
            },
            JValue::Str(s) => Value::String(s.clone()),
            JValue::Arr(items) => Value::Array(items.iter().map(JNode::to_value).collect()),
            JValue::Obj(members) => {
                let mut map = serde_json::Map::new();
                for m in members {
                    map.insert(m.key.clone(), m.value.to_value());
                }
                Value::Object(map)
            }
        }
    }
}

/// The members of `members` whose key an earlier member already gave: (the first, the later one), in
/// the order the later ones are written. Each later one is paired with the first of its key.
pub fn duplicate_keys(members: &[JMember]) -> Vec<(&JMember, &JMember)> {
    let mut out = Vec::new();
    // Marathon objects are small; past a few dozen members (labels, env) a hash set keeps it linear.
    if members.len() <= 32 {
        for (i, m) in members.iter().enumerate() {
            if let Some(first) = members[..i].iter().find(|f| f.key == m.key) {
                out.push((first, m));
            }
        }
        return out;
    }
    let mut first: rustc_hash::FxHashMap<&str, &JMember> = Default::default();
    first.reserve(members.len());
    for m in members {
        match first.get(m.key.as_str()) {
            Some(f) => out.push((*f, m)),
            None => {
                first.insert(&m.key, m);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn at(start: usize, end: usize) -> Span {
        Span::new(FileId(0), start, end)
    }

    fn member(key: &str, n: &str, start: usize) -> JMember {
        JMember {
            key: key.into(),
            key_span: at(start, start + 1),
            value: JNode::new(JValue::Num(JNum::new(n)), at(0, 0)),
        }
    }

    #[test]
    fn numbers_keep_their_text_inline_or_not() {
        for text in ["0", "-0", "512", "0.5", "1e3", "-12345678901234567890123456789.5"] {
            assert_eq!(JNum::new(text).text(), text);
        }
        assert!(JNum::new("2").is_integer());
        assert!(!JNum::new("2.0").is_integer());
        assert!(!JNum::new("2E1").is_integer());
        assert_eq!(JNum::new("-7").as_i64(), Some(-7));
        assert_eq!(JNum::new("99999999999999999999").as_i64(), None);
        assert_eq!(JNum::new("0.5").as_f64(), Some(0.5));
    }

    #[test]
    fn get_takes_the_last_of_a_duplicate_key() {
        let node =
            JNode::new(JValue::Obj(vec![member("a", "1", 0), member("b", "2", 1), member("a", "3", 2)]), at(0, 9));
        assert_eq!(node.get("a").and_then(|v| v.as_num()).map(|n| n.text()), Some("3"));
        assert_eq!(node.get("c"), None);
        assert_eq!(node.as_str(), None);
    }

    #[test]
    fn duplicates_are_found_small_and_large() {
        let small = vec![member("a", "1", 0), member("a", "2", 1), member("a", "3", 2)];
        let found: Vec<(u32, u32)> =
            duplicate_keys(&small).iter().map(|(f, l)| (f.key_span.start, l.key_span.start)).collect();
        assert_eq!(found, [(0, 1), (0, 2)]);
        let mut large: Vec<JMember> = (0..100).map(|i| member(&format!("k{i}"), "1", i)).collect();
        large.push(member("k7", "2", 100));
        let found: Vec<(u32, u32)> =
            duplicate_keys(&large).iter().map(|(f, l)| (f.key_span.start, l.key_span.start)).collect();
        assert_eq!(found, [(7, 100)]);
    }
}
