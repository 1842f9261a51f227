//! How the REPL shows a value: read from the memory it is stored in, by its
//! type. Integers in decimal (a `u8` with its character), `bool` as
//! `true`/`false`, floats as the shortest decimal that reads back as the
//! same value, pointers in hex (`null` for zero; a `*u8` with the string
//! it points to, when that memory can be read), function pointers by the
//! name of the function, structs field by field and arrays element by
//! element.

use crate::tast::Program;
use crate::types::{layout_of, Display, Layout, Ty};

/// At most this many array elements are shown.
const MAX_ELEMENTS: u64 = 32;
/// At most this many bytes of the string a `*u8` points to are shown.
const MAX_STRING: usize = 64;

/// `= <value> : <type>` for the value of type `ty` at `addr`.
/// `func_at` names the function a function-pointer value points to.
///
/// # Safety
/// `addr` holds a value of type `ty` laid out as `prog` says.
pub unsafe fn show(
    prog: &Program,
    ty: &Ty,
    addr: usize,
    func_at: &dyn Fn(usize) -> Option<String>,
) -> String {
    let mut out = String::new();
    value(prog, ty, addr, func_at, &mut out);
    format!("= {out} : {}", Display(ty, prog))
}

fn layout(prog: &Program, ty: &Ty) -> Layout {
    layout_of(ty, &|id| prog.structs[id].layout)
}

/// A float as the shortest decimal that reads back as the same value of
/// its type (Rust's `{:?}`): always with a `.` or an exponent (`2.0`,
/// `0.1`, `1e-7`, `1e16`); `inf`, `-inf` and `nan` as C prints them.
fn float_text<F: std::fmt::Debug + Into<f64> + Copy>(v: F) -> String {
    if v.into().is_nan() {
        "nan".to_string()
    } else {
        format!("{v:?}")
    }
}

/// Byte `b` as it would be written inside an LC literal quoted by `quote`:
/// itself when printable ASCII, else an escape.
fn escaped_byte(b: u8, quote: u8, out: &mut String) {
    match b {
        b'\n' => out.push_str("\\n"),
        b'\t' => out.push_str("\\t"),
        b'\r' => out.push_str("\\r"),
        0 => out.push_str("\\0"),
        b'\\' => out.push_str("\\\\"),
        _ if b == quote => {
            out.push('\\');
            out.push(b as char);
        }
        0x20..=0x7e => out.push(b as char),
        _ => out.push_str(&format!("\\x{b:02x}")),
    }
}

/// `'a'`: a `u8` as an LC character literal.
fn char_literal(b: u8) -> String {
    let mut out = String::from("'");
    escaped_byte(b, b'\'', &mut out);
    out.push('\'');
    out
}

/// `"text"`: bytes as an LC string literal (UTF-8 text as it is, other
/// bytes escaped), `…` after it when `more` follows.
fn string_literal(bytes: &[u8], more: bool) -> String {
    let mut out = String::from("\"");
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_ascii() {
                escaped_byte(c as u8, b'"', &mut out);
            } else if c.is_control() {
                let mut buf = [0u8; 4];
                for &b in c.encode_utf8(&mut buf).as_bytes() {
                    escaped_byte(b, b'"', &mut out);
                }
            } else {
                out.push(c);
            }
        }
        for &b in chunk.invalid() {
            escaped_byte(b, b'"', &mut out);
        }
    }
    out.push('"');
    if more {
        out.push('…');
    }
    out
}

/// The NUL-terminated string at `addr`, up to [`MAX_STRING`] bytes, and
/// whether more follows; `None` when its first byte cannot be read. Reads
/// through `process_vm_readv` on this process, which fails instead of
/// faulting on memory that is not mapped or not readable.
fn read_string(addr: usize) -> Option<(Vec<u8>, bool)> {
    const PAGE: usize = 4096;
    let mut bytes = Vec::new();
    let mut at = addr;
    while bytes.len() <= MAX_STRING {
        // One page at a time: a read stops whole at the first bad page.
        let want = (PAGE - at % PAGE).min(MAX_STRING + 1 - bytes.len());
        let mut buf = vec![0u8; want];
        let local = libc::iovec {
            iov_base: buf.as_mut_ptr() as *mut libc::c_void,
            iov_len: want,
        };
        let remote = libc::iovec {
            iov_base: at as *mut libc::c_void,
            iov_len: want,
        };
        // SAFETY: writes at most `want` bytes into `buf`; reading another
        // address of this process through the kernel cannot fault.
        let n = unsafe { libc::process_vm_readv(libc::getpid(), &local, 1, &remote, 1, 0) };
        if n <= 0 {
            break;
        }
        let got = &buf[..n as usize];
        if let Some(end) = got.iter().position(|&b| b == 0) {
            bytes.extend_from_slice(&got[..end]);
            return Some((bytes, false));
        }
        bytes.extend_from_slice(got);
        at += n as usize;
    }
    if bytes.is_empty() {
        return None;
    }
    let more = bytes.len() > MAX_STRING;
    bytes.truncate(MAX_STRING);
    Some((bytes, more))
}

/// Appends the value of type `ty` at `addr` to `out`.
///
/// # Safety
/// As for [`show`]: `addr` holds a value of type `ty` laid out as `prog`
/// says. The reads are of whole scalars at `addr` (unaligned, as integers
/// and floats, so any bit pattern is valid); the recursive calls pass an
/// element's (`addr + k * size`, `k < n`) or a field's (`addr + offset`)
/// address inside that value, which holds a value of its type in turn.
unsafe fn value(
    prog: &Program,
    ty: &Ty,
    addr: usize,
    func_at: &dyn Fn(usize) -> Option<String>,
    out: &mut String,
) {
    let p = addr as *const u8;
    match ty {
        Ty::Int(i) => {
            let bits = i.bits;
            let raw: u64 = match bits {
                8 => p.read() as u64,
                16 => (p as *const u16).read_unaligned() as u64,
                32 => (p as *const u32).read_unaligned() as u64,
                _ => (p as *const u64).read_unaligned(),
            };
            if i.signed {
                let shift = 64 - bits;
                out.push_str(&(((raw << shift) as i64) >> shift).to_string());
            } else {
                out.push_str(&raw.to_string());
            }
            if bits == 8 && !i.signed {
                out.push(' ');
                out.push_str(&char_literal(raw as u8));
            }
        }
        Ty::Bool => out.push_str(if p.read() != 0 { "true" } else { "false" }),
        Ty::F32 => out.push_str(&float_text((p as *const f32).read_unaligned())),
        Ty::F64 => out.push_str(&float_text((p as *const f64).read_unaligned())),
        Ty::Ptr(to) => {
            let v = (p as *const usize).read_unaligned();
            if v == 0 {
                out.push_str("null");
                return;
            }
            out.push_str(&format!("{v:#x}"));
            if **to == Ty::Int(crate::types::IntTy::U8) {
                if let Some((bytes, more)) = read_string(v) {
                    out.push(' ');
                    out.push_str(&string_literal(&bytes, more));
                }
            }
        }
        Ty::Null => out.push_str("null"),
        Ty::Fn(_) => {
            let v = (p as *const usize).read_unaligned();
            match (v, func_at(v)) {
                (0, _) => out.push_str("null"),
                (_, Some(name)) => out.push_str(&format!("fn {name}")),
                (v, None) => out.push_str(&format!("{v:#x}")),
            }
        }
        Ty::Array(n, elem) => {
            let size = layout(prog, elem).size as usize;
            out.push('[');
            for k in 0..(*n).min(MAX_ELEMENTS) {
                if k > 0 {
                    out.push_str(", ");
                }
                value(prog, elem, addr + k as usize * size, func_at, out);
            }
            if *n > MAX_ELEMENTS {
                out.push_str(&format!(", … ({} more)", n - MAX_ELEMENTS));
            }
            out.push(']');
        }
        Ty::Struct(id) => {
            let s = &prog.structs[*id];
            out.push_str(&s.name);
            out.push_str(" { ");
            for (k, ((name, fty), off)) in s.fields.iter().zip(&s.offsets).enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                out.push_str(name);
                out.push_str(": ");
                value(prog, fty, addr + *off as usize, func_at, out);
            }
            out.push_str(if s.fields.is_empty() { "}" } else { " }" });
        }
        Ty::Void | Ty::Error => out.push_str("()"),
    }
}
