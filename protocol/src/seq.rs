//! [`Seq`]: a list on the wire that the device can send without an allocator.
//!
//! The device serializes a borrowed slice (usually a `static` table); the
//! host, with the `std` feature, deserializes into a `Vec`. On the wire both
//! are a postcard sequence (varint length, then the elements), so the two
//! sides agree byte for byte.

use core::fmt;
use core::marker::PhantomData;
use serde::de::{Deserialize, Deserializer, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeSeq, Serializer};

/// A sequence of `T`: borrowed when sending, owned when received on the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seq<'a, T: 'a> {
    /// A borrowed slice (what the device sends).
    Slice(&'a [T]),
    /// An owned list (what the host receives).
    #[cfg(any(test, feature = "std"))]
    Owned(std::vec::Vec<T>),
}

impl<'a, T> Seq<'a, T> {
    /// The elements as a slice.
    pub fn as_slice(&self) -> &[T] {
        match self {
            Seq::Slice(s) => s,
            #[cfg(any(test, feature = "std"))]
            Seq::Owned(v) => v,
        }
    }
}

impl<T> Default for Seq<'_, T> {
    fn default() -> Self {
        Seq::Slice(&[])
    }
}

impl<T: Serialize> Serialize for Seq<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let items = self.as_slice();
        let mut seq = serializer.serialize_seq(Some(items.len()))?;
        for item in items {
            seq.serialize_element(item)?;
        }
        seq.end()
    }
}

impl<'de: 'a, 'a, T: Deserialize<'de> + 'a> Deserialize<'de> for Seq<'a, T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SeqVisitor<'a, T>(PhantomData<&'a T>);
        impl<'de: 'a, 'a, T: Deserialize<'de> + 'a> Visitor<'de> for SeqVisitor<'a, T> {
            type Value = Seq<'a, T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a sequence")
            }
            #[cfg(any(test, feature = "std"))]
            fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut items = std::vec::Vec::new();
                while let Some(item) = access.next_element()? {
                    items.push(item);
                }
                Ok(Seq::Owned(items))
            }
            #[cfg(not(any(test, feature = "std")))]
            fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                // Without an allocator only an empty sequence can be received.
                match access.next_element::<T>()? {
                    None => Ok(Seq::Slice(&[])),
                    Some(_) => Err(serde::de::Error::custom("sequence needs std")),
                }
            }
        }
        deserializer.deserialize_seq(SeqVisitor(PhantomData))
    }
}
