//! Conversions between PHP values and the core's wire types.

use crate::wire::Bytes;
use ext_php_rs::convert::FromZval;
use ext_php_rs::flags::DataType;
use ext_php_rs::types::Zval;

impl<'a> FromZval<'a> for Bytes {
    const TYPE: DataType = DataType::String;

    fn from_zval(zval: &'a Zval) -> Option<Self> {
        zval.zend_str().map(|s| Bytes(s.as_bytes().to_vec()))
    }
}
