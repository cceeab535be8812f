//! Values that cross the boundary to PHP and to the CLI's JSON.
//!
//! Plain Rust types (`String`, `Option<T>`, `bool`, `i64`) cross as they are;
//! the types here cover what JSON and ext-php-rs do not agree on by default.

use base64::Engine as _;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

/// A PHP string that may hold any bytes (file contents need not be UTF-8).
///
/// In JSON it is a string when the bytes are UTF-8, else `{"base64": "…"}`;
/// both forms are accepted on input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bytes(pub Vec<u8>);

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if !s.is_human_readable() {
            // PHP values: a binary string as it is.
            return s.serialize_bytes(&self.0);
        }
        match std::str::from_utf8(&self.0) {
            Ok(text) => s.serialize_str(text),
            Err(_) => {
                #[derive(Serialize)]
                struct Encoded {
                    base64: String,
                }
                Encoded {
                    base64: base64::engine::general_purpose::STANDARD.encode(&self.0),
                }
                .serialize(s)
            }
        }
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            Text(String),
            Encoded { base64: String },
        }
        match Form::deserialize(d)? {
            Form::Text(t) => Ok(Bytes(t.into_bytes())),
            Form::Encoded { base64 } => base64::engine::general_purpose::STANDARD
                .decode(base64)
                .map(Bytes)
                .map_err(|e| de::Error::custom(format!("invalid base64: {e}"))),
        }
    }
}

/// A PHP array argument or result: any serde type, crossing as an ordered
/// associative array in PHP and as the same shape in JSON.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Array<T>(pub T);

/// A PHP array argument whose shape the core checks itself, so that a
/// wrong key or type is a `WebTotem\InvalidArgumentException` naming it,
/// not a bare `TypeError`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Object(pub serde_json::Value);

impl Object {
    /// Decodes the array as `T`; `what` names the argument in the error.
    pub fn parse<T: serde::de::DeserializeOwned>(self, what: &str) -> crate::Result<T> {
        let value = match self.0 {
            // PHP's [] is an empty list, not an empty map.
            serde_json::Value::Array(list) if list.is_empty() => {
                serde_json::Value::Object(serde_json::Map::new())
            }
            other => other,
        };
        serde_json::from_value(value).map_err(|e| crate::Error::invalid(format!("{what}: {e}")))
    }
}

/// A PHP value kept binary-safe, for values whose every byte matters
/// (a request the firewall inspects): strings keep their bytes, arrays
/// their keys (as bytes) and order. Scalars become strings as PHP casts
/// them (`true` → `"1"`, `false` and null → `""`).
///
/// From PHP it is read straight from the zval; in JSON (the CLI) a string
/// that is not UTF-8 travels as `{"base64": "…"}`, as for [`Bytes`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tree {
    /// A string (or a scalar cast to one).
    Str(Vec<u8>),
    /// An array: its entries in order, keys as bytes (list indexes as digits).
    Map(Vec<(Vec<u8>, Tree)>),
}

/// Nesting deeper than this in a [`Tree`] is refused (no stack exhaustion).
pub const MAX_TREE_DEPTH: usize = 128;

impl Tree {
    /// The string, if this is one.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Tree::Str(s) => Some(s),
            Tree::Map(_) => None,
        }
    }

    fn from_json(value: serde_json::Value, depth: usize) -> Result<Tree, String> {
        use serde_json::Value;
        if depth > MAX_TREE_DEPTH {
            return Err(format!("nested deeper than {MAX_TREE_DEPTH} levels"));
        }
        Ok(match value {
            Value::Null => Tree::Str(Vec::new()),
            Value::Bool(b) => Tree::Str(if b { b"1".to_vec() } else { Vec::new() }),
            Value::Number(n) => Tree::Str(n.to_string().into_bytes()),
            Value::String(s) => Tree::Str(s.into_bytes()),
            Value::Array(list) => Tree::Map(
                list.into_iter()
                    .enumerate()
                    .map(|(i, v)| Ok((i.to_string().into_bytes(), Tree::from_json(v, depth + 1)?)))
                    .collect::<Result<_, String>>()?,
            ),
            Value::Object(map) if map.len() == 1 && map.contains_key("base64") => {
                let Some(Value::String(encoded)) = map.get("base64") else {
                    return Err("\"base64\" must be a string".into());
                };
                Tree::Str(
                    base64::engine::general_purpose::STANDARD
                        .decode(encoded)
                        .map_err(|e| format!("invalid base64: {e}"))?,
                )
            }
            Value::Object(map) => Tree::Map(
                map.into_iter()
                    .map(|(k, v)| Ok((k.into_bytes(), Tree::from_json(v, depth + 1)?)))
                    .collect::<Result<_, String>>()?,
            ),
        })
    }
}

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        Tree::from_json(value, 0).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_round_trip_through_json() {
        for raw in [b"plain text".to_vec(), vec![0xE9, 0x00, 0xFF, b'x']] {
            let json = serde_json::to_string(&Bytes(raw.clone())).unwrap();
            let back: Bytes = serde_json::from_str(&json).unwrap();
            assert_eq!(back.0, raw, "via {json}");
        }
        assert_eq!(
            serde_json::to_string(&Bytes(b"a\"b".to_vec())).unwrap(),
            r#""a\"b""#
        );
        assert!(serde_json::from_str::<Bytes>(r#"{"base64":"!!"}"#).is_err());
    }

    #[test]
    fn trees_from_json_keep_bytes_order_and_cast_scalars() {
        let tree: Tree =
            serde_json::from_str(r#"{"b":"x","a":[true,false,null,12],"c":{"base64":"6QA="}}"#)
                .unwrap();
        let Tree::Map(entries) = tree else {
            panic!("a map")
        };
        assert_eq!(entries[0], (b"b".to_vec(), Tree::Str(b"x".to_vec())));
        assert_eq!(
            entries[1].1,
            Tree::Map(vec![
                (b"0".to_vec(), Tree::Str(b"1".to_vec())),
                (b"1".to_vec(), Tree::Str(vec![])),
                (b"2".to_vec(), Tree::Str(vec![])),
                (b"3".to_vec(), Tree::Str(b"12".to_vec())),
            ])
        );
        assert_eq!(entries[2].1, Tree::Str(vec![0xE9, 0]));
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(serde_json::from_str::<Tree>(&deep).is_err());
    }
}
