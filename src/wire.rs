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
}
