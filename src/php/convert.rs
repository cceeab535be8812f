//! Conversions between PHP values and the core's wire types.
//!
//! Results are serialised straight into zvals by [`ZvalSerializer`] (a serde
//! serializer): structs and maps become ordered associative arrays,
//! sequences become lists, `None` becomes null, [`Bytes`] become binary PHP
//! strings. Array arguments go the other way through JSON values.

use crate::wire::{Array, Bytes, MAX_TREE_DEPTH, Object, Tree};
use base64::Engine as _;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::convert::{FromZval, IntoZval};
use ext_php_rs::flags::DataType;
use ext_php_rs::types::{ZendHashTable, ZendStr, Zval};
use serde::ser::{self, Serialize};
use serde_json::{Map, Number, Value};

impl<'a> FromZval<'a> for Bytes {
    const TYPE: DataType = DataType::String;

    fn from_zval(zval: &'a Zval) -> Option<Self> {
        zval.zend_str().map(|s| Bytes(s.as_bytes().to_vec()))
    }
}

impl IntoZval for Bytes {
    const TYPE: DataType = DataType::String;
    const NULLABLE: bool = false;

    fn set_zval(self, zv: &mut Zval, _persistent: bool) -> ext_php_rs::error::Result<()> {
        *zv = string_zval(&self.0);
        Ok(())
    }
}

impl<'a> FromZval<'a> for Object {
    const TYPE: DataType = DataType::Array;

    fn from_zval(zval: &'a Zval) -> Option<Self> {
        zval.array()?;
        zval_to_json(zval, 0).map(Object)
    }
}

impl<'a> FromZval<'a> for Tree {
    const TYPE: DataType = DataType::Array;

    fn from_zval(zval: &'a Zval) -> Option<Self> {
        zval.array()?;
        zval_to_tree(zval, 0)
    }
}

/// Whether the keys of a PHP array are 0, 1, 2, … (a list). Unlike
/// `ZendHashTable::has_sequential_keys`, a key that is not UTF-8 does not panic.
fn has_sequential_keys(ht: &ZendHashTable) -> bool {
    let mut iter = ht.iter();
    let mut expected = 0i64;
    while let Some((key, _)) = iter.next_zval() {
        if key.long() != Some(expected) {
            return false;
        }
        expected += 1;
    }
    true
}

/// The entries of a PHP array with their keys as bytes (integer keys as
/// digits). Unlike `ZendHashTable::iter`, a key that is not UTF-8 is read
/// as it is instead of panicking.
fn entries_of(ht: &ZendHashTable) -> impl Iterator<Item = (Vec<u8>, &Zval)> {
    let mut iter = ht.iter();
    std::iter::from_fn(move || {
        let (key, value) = iter.next_zval()?;
        let key = match key.long() {
            Some(l) => l.to_string().into_bytes(),
            None => key
                .zend_str()
                .map(|k| k.as_bytes().to_vec())
                .unwrap_or_default(),
        };
        Some((key, value))
    })
}

/// A PHP value as a [`Tree`], bytes as they are (no base64 convention:
/// an array `['base64' => …]` stays an array). Objects, resources and
/// nesting deeper than [`MAX_TREE_DEPTH`] give `None`.
fn zval_to_tree(zval: &Zval, depth: usize) -> Option<Tree> {
    if depth > MAX_TREE_DEPTH {
        return None;
    }
    if let Some(s) = zval.zend_str() {
        return Some(Tree::Str(s.as_bytes().to_vec()));
    }
    if let Some(ht) = zval.array() {
        let mut entries = Vec::with_capacity(ht.len());
        for (key, value) in entries_of(ht) {
            entries.push((key, zval_to_tree(value, depth + 1)?));
        }
        return Some(Tree::Map(entries));
    }
    if zval.is_null() {
        return Some(Tree::Str(Vec::new()));
    }
    if let Some(b) = zval.bool() {
        return Some(Tree::Str(if b { b"1".to_vec() } else { Vec::new() }));
    }
    if let Some(l) = zval.long() {
        return Some(Tree::Str(l.to_string().into_bytes()));
    }
    if let Some(d) = zval.double() {
        return Some(Tree::Str(d.to_string().into_bytes()));
    }
    None
}

impl<T: Serialize> IntoZval for Array<T> {
    const TYPE: DataType = DataType::Array;
    const NULLABLE: bool = false;

    fn set_zval(self, zv: &mut Zval, _persistent: bool) -> ext_php_rs::error::Result<()> {
        // Results are plain data built by the core; a failure here is a bug
        // and surfaces as ext-php-rs's conversion error.
        *zv = self
            .0
            .serialize(ZvalSerializer)
            .map_err(|_| ext_php_rs::error::Error::ZvalConversion(DataType::Array))?;
        Ok(())
    }
}

/// Nesting deeper than this in an argument is refused (no stack exhaustion).
const MAX_DEPTH: usize = 64;

/// A PHP value as JSON: arrays with keys 0..n-1 become lists, other arrays
/// objects; a string that is not UTF-8 becomes `{"base64": …}` (as [`Bytes`]
/// expects). Objects, resources and over-deep nesting give `None`.
fn zval_to_json(zval: &Zval, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    if zval.is_null() {
        return Some(Value::Null);
    }
    if let Some(b) = zval.bool() {
        return Some(Value::Bool(b));
    }
    if let Some(l) = zval.long() {
        return Some(Value::Number(l.into()));
    }
    if let Some(d) = zval.double() {
        return Number::from_f64(d).map(Value::Number);
    }
    if let Some(s) = zval.zend_str() {
        let bytes = s.as_bytes();
        return Some(match std::str::from_utf8(bytes) {
            Ok(text) => Value::String(text.to_string()),
            Err(_) => {
                let mut m = Map::new();
                m.insert(
                    "base64".into(),
                    Value::String(base64::engine::general_purpose::STANDARD.encode(bytes)),
                );
                Value::Object(m)
            }
        });
    }
    let ht = zval.array()?;
    if has_sequential_keys(ht) {
        return ht
            .values()
            .map(|v| zval_to_json(v, depth + 1))
            .collect::<Option<Vec<_>>>()
            .map(Value::Array);
    }
    let mut map = Map::new();
    for (key, value) in entries_of(ht) {
        let key = String::from_utf8(key)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        map.insert(key, zval_to_json(value, depth + 1)?);
    }
    Some(Value::Object(map))
}

/// The error of [`ZvalSerializer`].
#[derive(Debug)]
pub struct SerError(String);

impl std::fmt::Display for SerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SerError {}

impl ser::Error for SerError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        SerError(msg.to_string())
    }
}

fn err<E: std::fmt::Debug>(e: E) -> SerError {
    SerError(format!("{e:?}"))
}

fn string_zval(bytes: &[u8]) -> Zval {
    let mut z = Zval::new();
    z.set_zend_string(ZendStr::new(bytes, false));
    z
}

/// A serde serializer whose output is a PHP value.
pub struct ZvalSerializer;

/// Builds a PHP list or associative array.
pub struct ArrayBuilder {
    ht: ZBox<ZendHashTable>,
    key: Option<String>,
    wrap: Option<&'static str>,
}

impl ArrayBuilder {
    fn new(wrap: Option<&'static str>) -> Self {
        ArrayBuilder {
            ht: ZendHashTable::new(),
            key: None,
            wrap,
        }
    }

    fn push(&mut self, v: Zval) -> Result<(), SerError> {
        self.ht.push(v).map_err(err)
    }

    fn insert(&mut self, k: &str, v: Zval) -> Result<(), SerError> {
        self.ht.insert(k, v).map_err(err)
    }

    fn finish(self) -> Result<Zval, SerError> {
        let mut z = Zval::new();
        z.set_hashtable(self.ht);
        match self.wrap {
            None => Ok(z),
            Some(variant) => {
                let mut outer = ZendHashTable::new();
                outer.insert(variant, z).map_err(err)?;
                let mut o = Zval::new();
                o.set_hashtable(outer);
                Ok(o)
            }
        }
    }
}

impl ser::Serializer for ZvalSerializer {
    type Ok = Zval;
    type Error = SerError;
    type SerializeSeq = ArrayBuilder;
    type SerializeTuple = ArrayBuilder;
    type SerializeTupleStruct = ArrayBuilder;
    type SerializeTupleVariant = ArrayBuilder;
    type SerializeMap = ArrayBuilder;
    type SerializeStruct = ArrayBuilder;
    type SerializeStructVariant = ArrayBuilder;

    fn is_human_readable(&self) -> bool {
        // Bytes serialise as binary strings, not as text or base64.
        false
    }

    fn serialize_bool(self, v: bool) -> Result<Zval, SerError> {
        v.into_zval(false).map_err(err)
    }
    fn serialize_i8(self, v: i8) -> Result<Zval, SerError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<Zval, SerError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<Zval, SerError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<Zval, SerError> {
        let mut z = Zval::new();
        z.set_long(v);
        Ok(z)
    }
    fn serialize_u8(self, v: u8) -> Result<Zval, SerError> {
        self.serialize_i64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<Zval, SerError> {
        self.serialize_i64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<Zval, SerError> {
        self.serialize_i64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<Zval, SerError> {
        match i64::try_from(v) {
            Ok(i) => self.serialize_i64(i),
            Err(_) => self.serialize_f64(v as f64),
        }
    }
    fn serialize_f32(self, v: f32) -> Result<Zval, SerError> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<Zval, SerError> {
        let mut z = Zval::new();
        z.set_double(v);
        Ok(z)
    }
    fn serialize_char(self, v: char) -> Result<Zval, SerError> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<Zval, SerError> {
        Ok(string_zval(v.as_bytes()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Zval, SerError> {
        Ok(string_zval(v))
    }
    fn serialize_none(self) -> Result<Zval, SerError> {
        Ok(Zval::null())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Result<Zval, SerError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<Zval, SerError> {
        Ok(Zval::null())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Zval, SerError> {
        Ok(Zval::null())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Zval, SerError> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<Zval, SerError> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<Zval, SerError> {
        let mut b = ArrayBuilder::new(None);
        b.insert(variant, v.serialize(ZvalSerializer)?)?;
        b.finish()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<ArrayBuilder, SerError> {
        Ok(ArrayBuilder::new(None))
    }
    fn serialize_tuple(self, _: usize) -> Result<ArrayBuilder, SerError> {
        Ok(ArrayBuilder::new(None))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<ArrayBuilder, SerError> {
        Ok(ArrayBuilder::new(None))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<ArrayBuilder, SerError> {
        Ok(ArrayBuilder::new(Some(variant)))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<ArrayBuilder, SerError> {
        Ok(ArrayBuilder::new(None))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<ArrayBuilder, SerError> {
        Ok(ArrayBuilder::new(None))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<ArrayBuilder, SerError> {
        Ok(ArrayBuilder::new(Some(variant)))
    }
}

macro_rules! seq_impl {
    ($($t:ident :: $f:ident),*) => {$(
        impl ser::$t for ArrayBuilder {
            type Ok = Zval;
            type Error = SerError;
            fn $f<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), SerError> {
                let z = v.serialize(ZvalSerializer)?;
                self.push(z)
            }
            fn end(self) -> Result<Zval, SerError> {
                self.finish()
            }
        }
    )*};
}
seq_impl!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for ArrayBuilder {
    type Ok = Zval;
    type Error = SerError;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, k: &T) -> Result<(), SerError> {
        let key = serde_json::to_value(k).map_err(err)?;
        self.key = Some(match key {
            Value::String(s) => s,
            other => other.to_string(),
        });
        Ok(())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), SerError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| SerError("map value without a key".into()))?;
        let z = v.serialize(ZvalSerializer)?;
        self.insert(&key, z)
    }
    fn end(self) -> Result<Zval, SerError> {
        self.finish()
    }
}

macro_rules! struct_impl {
    ($($t:ident),*) => {$(
        impl ser::$t for ArrayBuilder {
            type Ok = Zval;
            type Error = SerError;
            fn serialize_field<T: ?Sized + Serialize>(&mut self, k: &'static str, v: &T) -> Result<(), SerError> {
                let z = v.serialize(ZvalSerializer)?;
                self.insert(k, z)
            }
            fn end(self) -> Result<Zval, SerError> {
                self.finish()
            }
        }
    )*};
}
struct_impl!(SerializeStruct, SerializeStructVariant);
