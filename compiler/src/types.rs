//! LC types, their spelling in messages, and their C layout.

use std::fmt;
use std::rc::Rc;

/// Index of a struct in [`crate::tast::Program::structs`].
pub type StructId = usize;

/// An integer type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IntTy {
    pub bits: u32,
    pub signed: bool,
}

impl IntTy {
    pub const I8: IntTy = IntTy {
        bits: 8,
        signed: true,
    };
    pub const I16: IntTy = IntTy {
        bits: 16,
        signed: true,
    };
    pub const I32: IntTy = IntTy {
        bits: 32,
        signed: true,
    };
    pub const I64: IntTy = IntTy {
        bits: 64,
        signed: true,
    };
    pub const U8: IntTy = IntTy {
        bits: 8,
        signed: false,
    };
    pub const U16: IntTy = IntTy {
        bits: 16,
        signed: false,
    };
    pub const U32: IntTy = IntTy {
        bits: 32,
        signed: false,
    };
    pub const U64: IntTy = IntTy {
        bits: 64,
        signed: false,
    };

    /// Smallest value, sign-extended into an i128.
    pub fn min(self) -> i128 {
        if self.signed {
            -(1i128 << (self.bits - 1))
        } else {
            0
        }
    }

    /// Largest value.
    pub fn max(self) -> i128 {
        if self.signed {
            (1i128 << (self.bits - 1)) - 1
        } else {
            (1i128 << self.bits) - 1
        }
    }

    /// True when `v` is representable.
    pub fn fits(self, v: i128) -> bool {
        v >= self.min() && v <= self.max()
    }

    /// Wraps `v` into this type, returned as its 64-bit two's-complement bits
    /// (sign-extended for signed types, zero-extended for unsigned).
    pub fn wrap(self, v: i128) -> u64 {
        let mask: u128 = if self.bits == 64 {
            u64::MAX as u128
        } else {
            (1u128 << self.bits) - 1
        };
        let low = (v as u128) & mask;
        if self.signed && self.bits < 64 && (low >> (self.bits - 1)) & 1 == 1 {
            (low | !mask) as u64
        } else {
            low as u64
        }
    }

    /// Interprets 64-bit bits (as stored by [`IntTy::wrap`]) as a number.
    pub fn value(self, bits: u64) -> i128 {
        if self.signed {
            bits as i64 as i128
        } else {
            bits as i128
        }
    }
}

/// A function-pointer signature.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FnSig {
    pub params: Vec<Ty>,
    pub ret: Ty,
}

/// A type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Ty {
    Int(IntTy),
    F32,
    F64,
    Bool,
    /// The "type" of a function that returns nothing.
    #[default]
    Void,
    Ptr(Box<Ty>),
    Array(u64, Box<Ty>),
    Struct(StructId),
    Fn(Rc<FnSig>),
    /// The type of `null` before context gives it a pointer type.
    Null,
    /// The type of an expression that already produced an error.
    Error,
}

impl Ty {
    /// The primitive type with this name.
    pub fn primitive(name: &str) -> Option<Ty> {
        Some(match name {
            "i8" => Ty::Int(IntTy::I8),
            "i16" => Ty::Int(IntTy::I16),
            "i32" => Ty::Int(IntTy::I32),
            "i64" => Ty::Int(IntTy::I64),
            "u8" => Ty::Int(IntTy::U8),
            "u16" => Ty::Int(IntTy::U16),
            "u32" => Ty::Int(IntTy::U32),
            "u64" => Ty::Int(IntTy::U64),
            "f32" => Ty::F32,
            "f64" => Ty::F64,
            "bool" => Ty::Bool,
            _ => return None,
        })
    }

    pub fn is_int(&self) -> bool {
        matches!(self, Ty::Int(_))
    }
    pub fn is_float(&self) -> bool {
        matches!(self, Ty::F32 | Ty::F64)
    }
    pub fn is_numeric(&self) -> bool {
        self.is_int() || self.is_float()
    }
    pub fn is_ptr(&self) -> bool {
        matches!(self, Ty::Ptr(_))
    }
    /// Structs and arrays: values that live in memory and are copied.
    pub fn is_aggregate(&self) -> bool {
        matches!(self, Ty::Struct(_) | Ty::Array(..))
    }
    pub fn is_error(&self) -> bool {
        matches!(self, Ty::Error)
    }
    /// The integer type, if any.
    pub fn int(&self) -> Option<IntTy> {
        match self {
            Ty::Int(i) => Some(*i),
            _ => None,
        }
    }
}

/// Names of structs, for printing types.
pub trait StructNames {
    fn struct_name(&self, id: StructId) -> &str;
}

/// A type together with the struct names needed to print it.
pub struct Display<'a, N: StructNames>(pub &'a Ty, pub &'a N);

impl<N: StructNames> fmt::Display for Display<'_, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = self.1;
        match self.0 {
            Ty::Int(i) => write!(f, "{}{}", if i.signed { "i" } else { "u" }, i.bits),
            Ty::F32 => write!(f, "f32"),
            Ty::F64 => write!(f, "f64"),
            Ty::Bool => write!(f, "bool"),
            Ty::Void => write!(f, "()"),
            Ty::Ptr(t) => write!(f, "*{}", Display(t, names)),
            Ty::Array(n, t) => write!(f, "[{}]{}", n, Display(t, names)),
            Ty::Struct(id) => write!(f, "{}", names.struct_name(*id)),
            Ty::Fn(sig) => {
                write!(f, "fn(")?;
                for (i, p) in sig.params.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{}", Display(p, names))?;
                }
                write!(f, ")")?;
                if sig.ret != Ty::Void {
                    write!(f, " -> {}", Display(&sig.ret, names))?;
                }
                Ok(())
            }
            Ty::Null => write!(f, "null"),
            Ty::Error => write!(f, "{{error}}"),
        }
    }
}

/// Size and alignment in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub size: u64,
    pub align: u64,
}

/// Size and alignment of a non-struct type; `field_layout` gives struct ones.
pub fn layout_of(ty: &Ty, struct_layout: &dyn Fn(StructId) -> Layout) -> Layout {
    let l = |size| Layout { size, align: size };
    match ty {
        Ty::Int(i) => l(i.bits as u64 / 8),
        Ty::F32 => l(4),
        Ty::F64 => l(8),
        Ty::Bool => l(1),
        Ty::Ptr(_) | Ty::Fn(_) | Ty::Null => l(8),
        Ty::Void | Ty::Error => Layout { size: 0, align: 1 },
        Ty::Array(n, t) => {
            let e = layout_of(t, struct_layout);
            Layout {
                size: e.size.saturating_mul(*n),
                align: e.align,
            }
        }
        Ty::Struct(id) => struct_layout(*id),
    }
}

/// Rounds `x` up to a multiple of `a`.
pub fn align_to(x: u64, a: u64) -> u64 {
    x.div_ceil(a.max(1)).saturating_mul(a.max(1))
}
