//! How the REPL shows a value: read from the memory it is stored in, by its
//! type. Integers in decimal, `bool` as `true`/`false`, floats as C's
//! `%g`, pointers in hex (`null` for zero), function pointers by the name
//! of the function, structs field by field and arrays element by element.

use crate::tast::Program;
use crate::types::{layout_of, Display, Layout, Ty};

/// At most this many array elements are shown.
const MAX_ELEMENTS: u64 = 32;

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

/// C's `%g` of `v`.
pub fn g_format(v: f64) -> String {
    let mut buf = [0u8; 64];
    // SAFETY: a bounded write into `buf` with a constant format.
    let n = unsafe {
        libc::snprintf(
            buf.as_mut_ptr() as *mut libc::c_char,
            buf.len(),
            c"%g".as_ptr(),
            v,
        )
    };
    String::from_utf8_lossy(&buf[..(n.max(0) as usize).min(buf.len() - 1)]).into_owned()
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
        }
        Ty::Bool => out.push_str(if p.read() != 0 { "true" } else { "false" }),
        Ty::F32 => out.push_str(&g_format((p as *const f32).read_unaligned() as f64)),
        Ty::F64 => out.push_str(&g_format((p as *const f64).read_unaligned())),
        Ty::Ptr(_) | Ty::Null => {
            let v = (p as *const usize).read_unaligned();
            if v == 0 {
                out.push_str("null");
            } else {
                out.push_str(&format!("{v:#x}"));
            }
        }
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
