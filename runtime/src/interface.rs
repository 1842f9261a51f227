//! The runtime interface: the single list of functions generated code may
//! call, with their symbol names and C signatures.

use crate::trap::TrapKind;

/// A C type as it appears in a runtime function's signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AbiType {
    /// No value (only as a return type).
    Void,
    /// `int32_t`.
    I32,
    /// `int64_t`.
    I64,
    /// Any pointer.
    Ptr,
}

/// One runtime entry point.
#[derive(Clone, Copy, Debug)]
pub struct RuntimeFunction {
    /// The C symbol name.
    pub name: &'static str,
    /// Parameter types, in order.
    pub params: &'static [AbiType],
    /// Return type.
    pub ret: AbiType,
    /// True when the function never returns.
    pub noreturn: bool,
    /// The function's address in this process (for the JIT).
    pub address: fn() -> usize,
}

/// Every runtime function generated code may call.
pub const RUNTIME_FUNCTIONS: &[RuntimeFunction] = &[
    RuntimeFunction {
        name: TRAP,
        params: &[AbiType::I32, AbiType::Ptr, AbiType::I64, AbiType::I64],
        ret: AbiType::Void,
        noreturn: true,
        address: || crate::trap::lljit_rt_trap as *const () as usize,
    },
    RuntimeFunction {
        name: AOT_MAIN,
        params: &[AbiType::I32, AbiType::Ptr, AbiType::Ptr],
        ret: AbiType::I32,
        noreturn: false,
        address: || crate::start::lljit_rt_aot_main as *const () as usize,
    },
    RuntimeFunction {
        name: CHECK_FRAME,
        params: &[AbiType::I64],
        ret: AbiType::Void,
        noreturn: false,
        address: || crate::start::lljit_rt_check_frame as *const () as usize,
    },
    RuntimeFunction {
        name: PROFILE_VALUE,
        params: &[AbiType::Ptr, AbiType::I64],
        ret: AbiType::Void,
        noreturn: false,
        address: || crate::profile::lljit_rt_profile_value as *const () as usize,
    },
    RuntimeFunction {
        name: PROFILE_TARGET,
        params: &[AbiType::Ptr, AbiType::I64],
        ret: AbiType::Void,
        noreturn: false,
        address: || crate::profile::lljit_rt_profile_target as *const () as usize,
    },
];

/// `void lljit_rt_profile_value(ValueProfile *p, uint64_t v)`: records a
/// parameter's value (profiling JIT code, on entry).
pub const PROFILE_VALUE: &str = "lljit_rt_profile_value";

/// `void lljit_rt_profile_target(TargetProfile *p, uint64_t target)`:
/// records an indirect call's target (profiling JIT code).
pub const PROFILE_TARGET: &str = "lljit_rt_profile_target";

/// `void lljit_rt_check_frame(int64_t bytes)`: reports `stack overflow`
/// unless `bytes` more fit on the program stack (called on entry to
/// functions with large frames).
pub const CHECK_FRAME: &str = "lljit_rt_check_frame";

/// `void lljit_rt_trap(int32_t kind, const char *location, int64_t a, int64_t b)`:
/// reports a runtime error (`kind` is a [`TrapKind`] code, `location` a
/// NUL-terminated `file:line:col`) and exits with status 101.
pub const TRAP: &str = "lljit_rt_trap";

/// `int32_t lljit_rt_aot_main(int32_t argc, char **argv, int32_t (*entry)(int32_t, char **))`:
/// runs an ahead-of-time compiled program's entry on the guarded program stack.
pub const AOT_MAIN: &str = "lljit_rt_aot_main";

/// Looks up a runtime function by name.
pub fn runtime_function(name: &str) -> Option<&'static RuntimeFunction> {
    RUNTIME_FUNCTIONS.iter().find(|f| f.name == name)
}

/// The trap code generated code passes for `kind`.
pub fn trap_code(kind: TrapKind) -> i32 {
    kind as i32
}
