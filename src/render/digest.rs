//! A value's serde data written plainly, to be hashed: each part tagged with its kind,
//! each text and list told by its length or closed by an end mark, so that two values
//! that differ are written differently. Nothing is escaped or formatted, which writing
//! JSON to hash it spent most of its time on.

use serde::ser::{self, Serialize};

/// Writes `value` into `out`.
pub fn write<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> Result<(), Error> {
    value.serialize(&mut Digest { out })
}

/// What a value may fail with: only what its own `Serialize` reports.
#[derive(Debug)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(message: T) -> Self {
        Error(message.to_string())
    }
}

struct Digest<'a> {
    out: &'a mut Vec<u8>,
}

// Each kind of part begins with its own byte.
const FALSE: u8 = 0;
const TRUE: u8 = 1;
const INT: u8 = 2;
const UINT: u8 = 3;
const FLOAT: u8 = 4;
const TEXT: u8 = 5;
const BYTES: u8 = 6;
const NONE: u8 = 7;
const SOME: u8 = 8;
const UNIT: u8 = 9;
const VARIANT: u8 = 10;
const LIST: u8 = 11;
const MAP: u8 = 12;
const END: u8 = 13;

impl Digest<'_> {
    fn tag(&mut self, tag: u8) {
        self.out.push(tag);
    }

    fn text(&mut self, text: &[u8]) {
        self.out
            .extend_from_slice(&(text.len() as u64).to_le_bytes());
        self.out.extend_from_slice(text);
    }

    /// A variant of an enum: which one it is, by name.
    fn variant(&mut self, name: &str, variant: &str) {
        self.tag(VARIANT);
        self.text(name.as_bytes());
        self.text(variant.as_bytes());
    }
}

/// Every integer is written at its widest, so that each kind of part has one length.
macro_rules! integers {
    ($($method:ident: $type:ty => $tag:ident as $wide:ty),* $(,)?) => {
        $(
            fn $method(self, v: $type) -> Result<(), Error> {
                self.tag($tag);
                self.out.extend_from_slice(&<$wide>::from(v).to_le_bytes());
                Ok(())
            }
        )*
    };
}

impl<'a> ser::Serializer for &mut Digest<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.tag(if v { TRUE } else { FALSE });
        Ok(())
    }
    integers! {
        serialize_i8: i8 => INT as i128,
        serialize_i16: i16 => INT as i128,
        serialize_i32: i32 => INT as i128,
        serialize_i64: i64 => INT as i128,
        serialize_i128: i128 => INT as i128,
        serialize_u8: u8 => UINT as u128,
        serialize_u16: u16 => UINT as u128,
        serialize_u32: u32 => UINT as u128,
        serialize_u64: u64 => UINT as u128,
        serialize_u128: u128 => UINT as u128,
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.tag(FLOAT);
        self.out.extend_from_slice(&v.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.tag(TEXT);
        self.text(v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        self.tag(BYTES);
        self.text(v);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.tag(NONE);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        self.tag(SOME);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.tag(UNIT);
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.variant(name, variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.variant(name, variant);
        value.serialize(self)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self, Error> {
        self.tag(LIST);
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Self, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self, Error> {
        self.variant(name, variant);
        self.serialize_seq(None)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self, Error> {
        self.tag(MAP);
        Ok(self)
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Self, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self, Error> {
        self.variant(name, variant);
        self.serialize_map(None)
    }
}

/// Lists and maps are closed by an end mark: their parts are written whole, so the
/// mark cannot be mistaken for the start of another part.
macro_rules! closed {
    ($trait:ident, $method:ident) => {
        impl<'a> ser::$trait for &mut Digest<'a> {
            type Ok = ();
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Error> {
                self.tag(END);
                Ok(())
            }
        }
    };
}

closed!(SerializeSeq, serialize_element);
closed!(SerializeTuple, serialize_element);
closed!(SerializeTupleStruct, serialize_field);
closed!(SerializeTupleVariant, serialize_field);

impl<'a> ser::SerializeMap for &mut Digest<'a> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Error> {
        self.tag(END);
        Ok(())
    }
}

macro_rules! fields {
    ($trait:ident) => {
        impl<'a> ser::$trait for &mut Digest<'a> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                key.serialize(&mut **self)?;
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Error> {
                self.tag(END);
                Ok(())
            }
        }
    };
}

fields!(SerializeStruct);
fields!(SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn written<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
        let mut out = Vec::new();
        write(value, &mut out).unwrap();
        out
    }

    #[derive(serde::Serialize)]
    struct Meeting<'a> {
        name: &'a str,
        notes: Option<&'a str>,
        days: Vec<&'a str>,
    }

    #[derive(serde::Serialize)]
    enum Where {
        Online,
        Venue(String),
    }

    #[test]
    fn values_that_differ_are_written_differently() {
        let distinct: Vec<Vec<u8>> = vec![
            written(&("ab", "c")),
            written(&("a", "bc")),
            written(&(vec!["a"], vec!["b"])),
            written(&(vec!["a", "b"], Vec::<&str>::new())),
            written(&Some("")),
            written(&None::<&str>),
            written(&""),
            written(&Some(Some(()))),
            written(&Some(())),
            written(&0_i64),
            written(&(0_i64, 0_i64)),
            written(&0_u64),
            written(&0.0_f64),
            written(&false),
            written(&Where::Online),
            written(&Where::Venue(String::new())),
            written(&BTreeMap::from([("a", 1)])),
            written(&BTreeMap::from([("a", 2)])),
            written(&BTreeMap::from([("b", 1)])),
            written(&Meeting {
                name: "Tuesday",
                notes: None,
                days: vec!["tue"],
            }),
            written(&Meeting {
                name: "Tuesday",
                notes: Some(""),
                days: vec!["tue"],
            }),
            written(&Meeting {
                name: "Tuesday",
                notes: None,
                days: vec!["tue", ""],
            }),
        ];
        for (i, a) in distinct.iter().enumerate() {
            for (j, b) in distinct.iter().enumerate().skip(i + 1) {
                assert_ne!(a, b, "values {i} and {j} are written the same");
            }
        }
    }

    #[test]
    fn the_same_value_is_written_the_same_way() {
        let meeting = Meeting {
            name: "Tuesday \"evening\" <b>",
            notes: Some("ü"),
            days: vec!["tue", "thu"],
        };
        assert_eq!(written(&meeting), written(&meeting));
        let value = minijinja::Value::from_serialize(&meeting);
        assert_eq!(written(&value), written(&value));
    }
}
