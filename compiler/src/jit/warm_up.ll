; Warm-up for a compile server's fast code generator (jit/background.rs):
; the tier-0 code of three small LC functions (integer and floating-point
; arithmetic, conversions, loops, struct and array accesses, an indirect
; call), compiled once before the first job so that the first functions
; sent ahead of their first call do not pay for LLVM's first use. Any
; representative tier-0 module serves; made with
;   lljit run --no-cache --compile-threads=0 --emit=llvm-ir warm.lc
; and llvm-link of the modules of `step`, `fill` and `mix`, from this
; warm.lc:
;
;   extern fn printf(fmt: *u8, ...) -> i32;
;   extern fn malloc(n: u64) -> *u8;
;   struct P { x: f64, y: f64, n: i32, tag: u8 }
;   fn mix(a: i64, b: u32, c: i16, d: u8) -> i64 {
;       var h: i64 = a ^ (b as i64) * 31 + (c as i64) - (d as i64);
;       if (h < 0) { h = -h; } else if (h % 3 == 0) { h = h / 3; }
;       return (h << 3) | (h >> 5) & 255;
;   }
;   fn step(ps: *P, n: i32, dt: f64) -> f64 {
;       var e: f64 = 0.0;
;       for (var i: i32 = 0; i < n; i += 1) {
;           ps[i].x += ps[i].y * dt;
;           var f: f32 = ps[i].x as f32;
;           e += (f as f64) * 0.5 + (ps[i].n as f64);
;           if (ps[i].tag == 3 as u8 && e > 10.0) { break; }
;       }
;       return e;
;   }
;   fn fill(a: *i64, n: u64, f: fn(i64, u32, i16, u8) -> i64) -> i64 {
;       var s: i64 = 0;
;       var i: u64 = 0;
;       while (i < n) {
;           a[i] = f(i as i64, i as u32, 7 as i16, 9 as u8);
;           s += a[i] % 1000;
;           i += 1;
;       }
;       return s;
;   }
;   fn main() -> i32 {
;       var ps: *P = malloc(64 * sizeof(P)) as *P;
;       var a: *i64 = malloc(64 * 8) as *i64;
;       for (var i: i32 = 0; i < 64; i += 1) { ps[i] = P { x: i as f64, y: 1.5, n: i, tag: i as u8 }; }
;       printf("%f %ld\n", step(ps, 64, 0.25), fill(a, 64, mix));
;       return 0;
;   }

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

%struct.P = type { double, double, i32, i8 }

@lljit.profile.step = external global [0 x i8], code_model "small"
@.pos = private unnamed_addr constant [13 x i8] c"warm.lc:12:9\00"
@.pos.1 = private unnamed_addr constant [14 x i8] c"warm.lc:12:20\00"
@.pos.2 = private unnamed_addr constant [14 x i8] c"warm.lc:13:22\00"
@.pos.3 = private unnamed_addr constant [14 x i8] c"warm.lc:14:34\00"
@.pos.4 = private unnamed_addr constant [14 x i8] c"warm.lc:15:13\00"
@lljit.profile.fill = external global [0 x i8], code_model "small"
@.pos.5 = private unnamed_addr constant [13 x i8] c"warm.lc:23:9\00"
@.pos.1.6 = private unnamed_addr constant [14 x i8] c"warm.lc:24:14\00"
@.pos.2.7 = private unnamed_addr constant [14 x i8] c"warm.lc:24:14\00"
@lljit.profile.mix = external global [0 x i8], code_model "small"
@lljit.targets = external global [0 x i8], code_model "small"
@.pos.8 = private unnamed_addr constant [13 x i8] c"warm.lc:6:37\00"
@.pos.1.9 = private unnamed_addr constant [13 x i8] c"warm.lc:6:55\00"

; Function Attrs: nounwind null_pointer_is_valid
define double @lc.step.t0(ptr %ps, i32 %n, double %dt) #0 {
entry:
  %osr.frame = alloca [7 x i64], align 8
  %osr.count = alloca i64, align 8
  %ps1 = alloca ptr, align 8
  store ptr %ps, ptr %ps1, align 8
  %n2 = alloca i32, align 4
  store i32 %n, ptr %n2, align 4
  %dt3 = alloca double, align 8
  store double %dt, ptr %dt3, align 8
  %e = alloca double, align 8
  %i = alloca i32, align 4
  %f = alloca float, align 4
  %calls = load i64, ptr @lljit.profile.step, align 4
  %calls4 = add i64 %calls, 1
  store i64 %calls4, ptr @lljit.profile.step, align 4
  %p = load ptr, ptr %ps1, align 8
  %bits = ptrtoint ptr %p to i64
  call void @lljit_rt_profile_value(ptr getelementptr (i8, ptr @lljit.profile.step, i64 16), i64 %bits)
  %p5 = load i32, ptr %n2, align 4
  %bits6 = sext i32 %p5 to i64
  call void @lljit_rt_profile_value(ptr getelementptr (i8, ptr @lljit.profile.step, i64 72), i64 %bits6)
  %ret = alloca double, align 8
  %prof = alloca i64, align 8
  store i64 0, ptr %prof, align 4
  %prof7 = alloca i64, align 8
  store i64 0, ptr %prof7, align 4
  %prof8 = alloca i64, align 8
  store i64 0, ptr %prof8, align 4
  %prof9 = alloca i64, align 8
  store i64 0, ptr %prof9, align 4
  %prof10 = alloca i64, align 8
  store i64 0, ptr %prof10, align 4
  %prof11 = alloca i64, align 8
  store i64 0, ptr %prof11, align 4
  %hot = icmp eq i64 %calls4, 1000000
  %past = icmp ugt i64 %calls4, 1000000
  %low = and i64 %calls4, 1048575
  %round = icmp eq i64 %low, 0
  %again = and i1 %past, %round
  %hot12 = or i1 %hot, %again
  %back = load i64, ptr getelementptr (i8, ptr @lljit.profile.step, i64 8), align 4
  %loopy = icmp uge i64 %back, 64000000
  %called = icmp uge i64 %calls4, 4
  %loopy13 = and i1 %loopy, %called
  %hot14 = or i1 %hot12, %loopy13
  %0 = call i1 @llvm.expect.i1(i1 %hot14, i1 false)
  br i1 %0, label %tier_up, label %body

tier_up:                                          ; preds = %entry
  call void @lljit_jit_tier_up(ptr getelementptr (i8, ptr @lljit.targets, i64 48))
  br label %body

body:                                             ; preds = %tier_up, %entry
  store i64 0, ptr %osr.count, align 4
  store double 0.000000e+00, ptr %e, align 8
  store i32 0, ptr %i, align 4
  %count = load i64, ptr %prof, align 4
  %count15 = add i64 %count, 1
  store i64 %count15, ptr %prof, align 4
  br label %loop.cond

loop.cond:                                        ; preds = %osr.stay100, %loop.step, %body
  %i16 = load i32, ptr %i, align 4
  %n17 = load i32, ptr %n2, align 4
  %cmp = icmp slt i32 %i16, %n17
  br i1 %cmp, label %loop.body, label %loop.end

loop.body:                                        ; preds = %loop.cond
  %ps18 = load ptr, ptr %ps1, align 8
  %i19 = load i32, ptr %i, align 4
  %idx = sext i32 %i19 to i64
  %elem = getelementptr inbounds %struct.P, ptr %ps18, i64 %idx
  %x = getelementptr inbounds %struct.P, ptr %elem, i32 0, i32 0
  %null = icmp eq ptr %ps18, null
  %1 = call i1 @llvm.expect.i1(i1 %null, i1 false)
  br i1 %1, label %trap, label %ok

trap:                                             ; preds = %loop.body
  call void @lljit_rt_trap(i32 3, ptr @.pos, i64 0, i64 0)
  unreachable

ok:                                               ; preds = %loop.body
  %old = load double, ptr %x, align 8
  %ps20 = load ptr, ptr %ps1, align 8
  %i21 = load i32, ptr %i, align 4
  %idx22 = sext i32 %i21 to i64
  %elem23 = getelementptr inbounds %struct.P, ptr %ps20, i64 %idx22
  %y = getelementptr inbounds %struct.P, ptr %elem23, i32 0, i32 1
  %null24 = icmp eq ptr %ps20, null
  %2 = call i1 @llvm.expect.i1(i1 %null24, i1 false)
  br i1 %2, label %trap25, label %ok26

trap25:                                           ; preds = %ok
  call void @lljit_rt_trap(i32 3, ptr @.pos.1, i64 0, i64 0)
  unreachable

ok26:                                             ; preds = %ok
  %3 = load double, ptr %y, align 8
  %dt27 = load double, ptr %dt3, align 8
  %mul = fmul double %3, %dt27
  %add = fadd double %old, %mul
  store double %add, ptr %x, align 8
  %ps28 = load ptr, ptr %ps1, align 8
  %i29 = load i32, ptr %i, align 4
  %idx30 = sext i32 %i29 to i64
  %elem31 = getelementptr inbounds %struct.P, ptr %ps28, i64 %idx30
  %x32 = getelementptr inbounds %struct.P, ptr %elem31, i32 0, i32 0
  %null33 = icmp eq ptr %ps28, null
  %4 = call i1 @llvm.expect.i1(i1 %null33, i1 false)
  br i1 %4, label %trap34, label %ok35

trap34:                                           ; preds = %ok26
  call void @lljit_rt_trap(i32 3, ptr @.pos.2, i64 0, i64 0)
  unreachable

ok35:                                             ; preds = %ok26
  %5 = load double, ptr %x32, align 8
  %ftrunc = fptrunc double %5 to float
  store float %ftrunc, ptr %f, align 4
  %old36 = load double, ptr %e, align 8
  %f37 = load float, ptr %f, align 4
  %fext = fpext float %f37 to double
  %mul38 = fmul double %fext, 5.000000e-01
  %ps39 = load ptr, ptr %ps1, align 8
  %i40 = load i32, ptr %i, align 4
  %idx41 = sext i32 %i40 to i64
  %elem42 = getelementptr inbounds %struct.P, ptr %ps39, i64 %idx41
  %n43 = getelementptr inbounds %struct.P, ptr %elem42, i32 0, i32 2
  %null44 = icmp eq ptr %ps39, null
  %6 = call i1 @llvm.expect.i1(i1 %null44, i1 false)
  br i1 %6, label %trap45, label %ok46

trap45:                                           ; preds = %ok35
  call void @lljit_rt_trap(i32 3, ptr @.pos.3, i64 0, i64 0)
  unreachable

ok46:                                             ; preds = %ok35
  %7 = load i32, ptr %n43, align 4
  %itof = sitofp i32 %7 to double
  %add47 = fadd double %mul38, %itof
  %add48 = fadd double %old36, %add47
  store double %add48, ptr %e, align 8
  %ps49 = load ptr, ptr %ps1, align 8
  %i50 = load i32, ptr %i, align 4
  %idx51 = sext i32 %i50 to i64
  %elem52 = getelementptr inbounds %struct.P, ptr %ps49, i64 %idx51
  %tag = getelementptr inbounds %struct.P, ptr %elem52, i32 0, i32 3
  %null53 = icmp eq ptr %ps49, null
  %8 = call i1 @llvm.expect.i1(i1 %null53, i1 false)
  br i1 %8, label %trap54, label %ok55

trap54:                                           ; preds = %ok46
  call void @lljit_rt_trap(i32 3, ptr @.pos.4, i64 0, i64 0)
  unreachable

ok55:                                             ; preds = %ok46
  %9 = load i8, ptr %tag, align 1
  %cmp56 = icmp eq i8 %9, 3
  br i1 %cmp56, label %and.rhs, label %logic.end

and.rhs:                                          ; preds = %ok55
  %e57 = load double, ptr %e, align 8
  %cmp58 = fcmp ogt double %e57, 1.000000e+01
  br label %logic.end

logic.end:                                        ; preds = %and.rhs, %ok55
  %logic = phi i1 [ false, %ok55 ], [ %cmp58, %and.rhs ]
  br i1 %logic, label %then, label %endif

then:                                             ; preds = %logic.end
  br label %loop.end

endif:                                            ; preds = %logic.end
  br label %loop.step

loop.step:                                        ; preds = %endif
  %old59 = load i32, ptr %i, align 4
  %add60 = add i32 %old59, 1
  store i32 %add60, ptr %i, align 4
  %count61 = load i64, ptr %prof7, align 4
  %count62 = add i64 %count61, 1
  store i64 %count62, ptr %prof7, align 4
  %osr.n = load i64, ptr %osr.count, align 4
  %osr.n63 = add i64 %osr.n, 1
  store i64 %osr.n63, ptr %osr.count, align 4
  %osr.hot = icmp eq i64 %osr.n63, 10000
  %10 = call i1 @llvm.expect.i1(i1 %osr.hot, i1 false)
  br i1 %10, label %osr.enter, label %loop.cond

osr.enter:                                        ; preds = %loop.step
  %osr.site = phi i32 [ 0, %loop.step ]
  %11 = load i64, ptr %prof, align 4
  %count64 = load i64, ptr getelementptr (i8, ptr @lljit.profile.step, i64 136), align 4
  %count65 = add i64 %count64, %11
  store i64 %count65, ptr getelementptr (i8, ptr @lljit.profile.step, i64 136), align 4
  %12 = load i64, ptr %prof7, align 4
  %count66 = load i64, ptr getelementptr (i8, ptr @lljit.profile.step, i64 128), align 4
  %count67 = add i64 %count66, %12
  store i64 %count67, ptr getelementptr (i8, ptr @lljit.profile.step, i64 128), align 4
  %count68 = load i64, ptr getelementptr (i8, ptr @lljit.profile.step, i64 144), align 4
  %count69 = add i64 %count68, %12
  store i64 %count69, ptr getelementptr (i8, ptr @lljit.profile.step, i64 144), align 4
  %count70 = load i64, ptr getelementptr (i8, ptr @lljit.profile.step, i64 8), align 4
  %count71 = add i64 %count70, %12
  store i64 %count71, ptr getelementptr (i8, ptr @lljit.profile.step, i64 8), align 4
  %13 = load i64, ptr %prof8, align 4
  %count72 = load i64, ptr getelementptr (i8, ptr @lljit.profile.step, i64 152), align 4
  %count73 = add i64 %count72, %13
  store i64 %count73, ptr getelementptr (i8, ptr @lljit.profile.step, i64 152), align 4
  %14 = load i64, ptr %prof9, align 4
  %count74 = load i64, ptr getelementptr (i8, ptr @lljit.profile.step, i64 160), align 4
  %count75 = add i64 %count74, %14
  store i64 %count75, ptr getelementptr (i8, ptr @lljit.profile.step, i64 160), align 4
  %15 = load i64, ptr %prof10, align 4
  %count76 = load i64, ptr getelementptr (i8, ptr @lljit.profile.step, i64 168), align 4
  %count77 = add i64 %count76, %15
  store i64 %count77, ptr getelementptr (i8, ptr @lljit.profile.step, i64 168), align 4
  %16 = load i64, ptr %prof11, align 4
  %count78 = load i64, ptr getelementptr (i8, ptr @lljit.profile.step, i64 176), align 4
  %count79 = add i64 %count78, %16
  store i64 %count79, ptr getelementptr (i8, ptr @lljit.profile.step, i64 176), align 4
  store i64 0, ptr %prof, align 4
  store i64 0, ptr %prof7, align 4
  store i64 0, ptr %prof8, align 4
  store i64 0, ptr %prof9, align 4
  store i64 0, ptr %prof10, align 4
  store i64 0, ptr %prof11, align 4
  %ps80 = load ptr, ptr %ps1, align 8
  %bits81 = ptrtoint ptr %ps80 to i64
  %osr.word = getelementptr inbounds i64, ptr %osr.frame, i64 0
  store i64 %bits81, ptr %osr.word, align 4
  %n82 = load i32, ptr %n2, align 4
  %bits83 = sext i32 %n82 to i64
  %osr.word84 = getelementptr inbounds i64, ptr %osr.frame, i64 1
  store i64 %bits83, ptr %osr.word84, align 4
  %dt85 = load double, ptr %dt3, align 8
  %bits86 = bitcast double %dt85 to i64
  %osr.word87 = getelementptr inbounds i64, ptr %osr.frame, i64 2
  store i64 %bits86, ptr %osr.word87, align 4
  %e88 = load double, ptr %e, align 8
  %bits89 = bitcast double %e88 to i64
  %osr.word90 = getelementptr inbounds i64, ptr %osr.frame, i64 3
  store i64 %bits89, ptr %osr.word90, align 4
  %i91 = load i32, ptr %i, align 4
  %bits92 = sext i32 %i91 to i64
  %osr.word93 = getelementptr inbounds i64, ptr %osr.frame, i64 4
  store i64 %bits92, ptr %osr.word93, align 4
  %f94 = load float, ptr %f, align 4
  %bits95 = bitcast float %f94 to i32
  %bits96 = zext i32 %bits95 to i64
  %osr.word97 = getelementptr inbounds i64, ptr %osr.frame, i64 5
  store i64 %bits96, ptr %osr.word97, align 4
  %osr.word98 = getelementptr inbounds i64, ptr %osr.frame, i64 6
  store i64 0, ptr %osr.word98, align 4
  %osr.code = call i64 @lljit_jit_osr(ptr getelementptr (i8, ptr @lljit.targets, i64 48), i32 %osr.site, ptr %osr.frame)
  %osr.stay = icmp ule i64 %osr.code, 1
  br i1 %osr.stay, label %osr.back, label %osr.go

osr.go:                                           ; preds = %osr.enter
  %osr.cont = inttoptr i64 %osr.code to ptr
  %osr.ret = call double %osr.cont(ptr %osr.frame)
  ret double %osr.ret

osr.back:                                         ; preds = %osr.enter
  %osr.never = icmp eq i64 %osr.code, 0
  %osr.n99 = select i1 %osr.never, i64 10000, i64 0
  switch i32 %osr.site, label %osr.stay100 [
  ]

osr.stay100:                                      ; preds = %osr.back
  store i64 %osr.n99, ptr %osr.count, align 4
  br label %loop.cond

loop.end:                                         ; preds = %then, %loop.cond
  %e101 = load double, ptr %e, align 8
  store double %e101, ptr %ret, align 8
  br label %exit

exit:                                             ; preds = %loop.end
  %17 = load i64, ptr %prof, align 4
  %count102 = load i64, ptr getelementptr (i8, ptr @lljit.profile.step, i64 136), align 4
  %count103 = add i64 %count102, %17
  store i64 %count103, ptr getelementptr (i8, ptr @lljit.profile.step, i64 136), align 4
  %18 = load i64, ptr %prof7, align 4
  %count104 = load i64, ptr getelementptr (i8, ptr @lljit.profile.step, i64 128), align 4
  %count105 = add i64 %count104, %18
  store i64 %count105, ptr getelementptr (i8, ptr @lljit.profile.step, i64 128), align 4
  %count106 = load i64, ptr getelementptr (i8, ptr @lljit.profile.step, i64 144), align 4
  %count107 = add i64 %count106, %18
  store i64 %count107, ptr getelementptr (i8, ptr @lljit.profile.step, i64 144), align 4
  %count108 = load i64, ptr getelementptr (i8, ptr @lljit.profile.step, i64 8), align 4
  %count109 = add i64 %count108, %18
  store i64 %count109, ptr getelementptr (i8, ptr @lljit.profile.step, i64 8), align 4
  %19 = load i64, ptr %prof8, align 4
  %count110 = load i64, ptr getelementptr (i8, ptr @lljit.profile.step, i64 152), align 4
  %count111 = add i64 %count110, %19
  store i64 %count111, ptr getelementptr (i8, ptr @lljit.profile.step, i64 152), align 4
  %20 = load i64, ptr %prof9, align 4
  %count112 = load i64, ptr getelementptr (i8, ptr @lljit.profile.step, i64 160), align 4
  %count113 = add i64 %count112, %20
  store i64 %count113, ptr getelementptr (i8, ptr @lljit.profile.step, i64 160), align 4
  %21 = load i64, ptr %prof10, align 4
  %count114 = load i64, ptr getelementptr (i8, ptr @lljit.profile.step, i64 168), align 4
  %count115 = add i64 %count114, %21
  store i64 %count115, ptr getelementptr (i8, ptr @lljit.profile.step, i64 168), align 4
  %22 = load i64, ptr %prof11, align 4
  %count116 = load i64, ptr getelementptr (i8, ptr @lljit.profile.step, i64 176), align 4
  %count117 = add i64 %count116, %22
  store i64 %count117, ptr getelementptr (i8, ptr @lljit.profile.step, i64 176), align 4
  %ret118 = load double, ptr %ret, align 8
  ret double %ret118
}

declare void @lljit_rt_profile_value(ptr, i64)

; Function Attrs: nocallback nofree nosync nounwind willreturn memory(none)
declare i1 @llvm.expect.i1(i1, i1) #1

declare void @lljit_jit_tier_up(ptr)

; Function Attrs: cold noreturn
declare void @lljit_rt_trap(i32, ptr, i64, i64) #2

declare i64 @lljit_jit_osr(ptr, i32, ptr)

; Function Attrs: nounwind null_pointer_is_valid
define i64 @lc.fill.t0(ptr %a, i64 %n, ptr %f) #0 {
entry:
  %osr.frame = alloca [6 x i64], align 8
  %osr.count = alloca i64, align 8
  %a1 = alloca ptr, align 8
  store ptr %a, ptr %a1, align 8
  %n2 = alloca i64, align 8
  store i64 %n, ptr %n2, align 4
  %f3 = alloca ptr, align 8
  store ptr %f, ptr %f3, align 8
  %s = alloca i64, align 8
  %i = alloca i64, align 8
  %calls = load i64, ptr @lljit.profile.fill, align 4
  %calls4 = add i64 %calls, 1
  store i64 %calls4, ptr @lljit.profile.fill, align 4
  %p = load ptr, ptr %a1, align 8
  %bits = ptrtoint ptr %p to i64
  call void @lljit_rt_profile_value(ptr getelementptr (i8, ptr @lljit.profile.fill, i64 16), i64 %bits)
  %p5 = load i64, ptr %n2, align 4
  call void @lljit_rt_profile_value(ptr getelementptr (i8, ptr @lljit.profile.fill, i64 72), i64 %p5)
  %p6 = load ptr, ptr %f3, align 8
  %bits7 = ptrtoint ptr %p6 to i64
  call void @lljit_rt_profile_value(ptr getelementptr (i8, ptr @lljit.profile.fill, i64 128), i64 %bits7)
  %ret = alloca i64, align 8
  %prof = alloca i64, align 8
  store i64 0, ptr %prof, align 4
  %prof8 = alloca i64, align 8
  store i64 0, ptr %prof8, align 4
  %prof9 = alloca i64, align 8
  store i64 0, ptr %prof9, align 4
  %hot = icmp eq i64 %calls4, 1000000
  %past = icmp ugt i64 %calls4, 1000000
  %low = and i64 %calls4, 1048575
  %round = icmp eq i64 %low, 0
  %again = and i1 %past, %round
  %hot10 = or i1 %hot, %again
  %back = load i64, ptr getelementptr (i8, ptr @lljit.profile.fill, i64 8), align 4
  %loopy = icmp uge i64 %back, 64000000
  %called = icmp uge i64 %calls4, 4
  %loopy11 = and i1 %loopy, %called
  %hot12 = or i1 %hot10, %loopy11
  %0 = call i1 @llvm.expect.i1(i1 %hot12, i1 false)
  br i1 %0, label %tier_up, label %body

tier_up:                                          ; preds = %entry
  call void @lljit_jit_tier_up(ptr getelementptr (i8, ptr @lljit.targets, i64 64))
  br label %body

body:                                             ; preds = %tier_up, %entry
  store i64 0, ptr %osr.count, align 4
  store i64 0, ptr %s, align 4
  store i64 0, ptr %i, align 4
  %count = load i64, ptr %prof, align 4
  %count13 = add i64 %count, 1
  store i64 %count13, ptr %prof, align 4
  br label %loop.cond

loop.cond:                                        ; preds = %osr.stay61, %loop.step, %body
  %i14 = load i64, ptr %i, align 4
  %n15 = load i64, ptr %n2, align 4
  %cmp = icmp ult i64 %i14, %n15
  br i1 %cmp, label %loop.body, label %loop.end

loop.body:                                        ; preds = %loop.cond
  %a16 = load ptr, ptr %a1, align 8
  %i17 = load i64, ptr %i, align 4
  %elem = getelementptr inbounds i64, ptr %a16, i64 %i17
  %null = icmp eq ptr %a16, null
  %1 = call i1 @llvm.expect.i1(i1 %null, i1 false)
  br i1 %1, label %trap, label %ok

trap:                                             ; preds = %loop.body
  call void @lljit_rt_trap(i32 3, ptr @.pos.5, i64 0, i64 0)
  unreachable

ok:                                               ; preds = %loop.body
  %f18 = load ptr, ptr %f3, align 8
  %i19 = load i64, ptr %i, align 4
  %i20 = load i64, ptr %i, align 4
  %trunc = trunc i64 %i20 to i32
  %target = ptrtoint ptr %f18 to i64
  %first = load i64, ptr getelementptr (i8, ptr @lljit.profile.fill, i64 208), align 4
  %same = icmp eq i64 %target, %first
  br i1 %same, label %target.first, label %target.other

target.first:                                     ; preds = %ok
  %count21 = load i64, ptr %prof9, align 4
  %count22 = add i64 %count21, 1
  store i64 %count22, ptr %prof9, align 4
  br label %target.done

target.other:                                     ; preds = %ok
  call void @lljit_rt_profile_target(ptr getelementptr (i8, ptr @lljit.profile.fill, i64 208), i64 %target)
  br label %target.done

target.done:                                      ; preds = %target.other, %target.first
  %2 = call i64 %f18(i64 %i19, i32 %trunc, i16 7, i8 9)
  store i64 %2, ptr %elem, align 4
  %old = load i64, ptr %s, align 4
  %a23 = load ptr, ptr %a1, align 8
  %i24 = load i64, ptr %i, align 4
  %elem25 = getelementptr inbounds i64, ptr %a23, i64 %i24
  %null26 = icmp eq ptr %a23, null
  %3 = call i1 @llvm.expect.i1(i1 %null26, i1 false)
  br i1 %3, label %trap27, label %ok28

trap27:                                           ; preds = %target.done
  call void @lljit_rt_trap(i32 3, ptr @.pos.1.6, i64 0, i64 0)
  unreachable

ok28:                                             ; preds = %target.done
  %4 = load i64, ptr %elem25, align 4
  %5 = call i1 @llvm.expect.i1(i1 false, i1 false)
  br i1 %5, label %trap29, label %ok30

trap29:                                           ; preds = %ok28
  call void @lljit_rt_trap(i32 0, ptr @.pos.2.7, i64 0, i64 0)
  unreachable

ok30:                                             ; preds = %ok28
  %6 = icmp eq i64 %4, -9223372036854775808
  %divovf = and i1 %6, false
  %7 = call i1 @llvm.expect.i1(i1 %divovf, i1 false)
  br i1 %7, label %trap31, label %ok32

trap31:                                           ; preds = %ok30
  call void @lljit_rt_trap(i32 1, ptr @.pos.2.7, i64 0, i64 0)
  unreachable

ok32:                                             ; preds = %ok30
  %rem = srem i64 %4, 1000
  %add = add i64 %old, %rem
  store i64 %add, ptr %s, align 4
  %old33 = load i64, ptr %i, align 4
  %add34 = add i64 %old33, 1
  store i64 %add34, ptr %i, align 4
  br label %loop.step

loop.step:                                        ; preds = %ok32
  %count35 = load i64, ptr %prof8, align 4
  %count36 = add i64 %count35, 1
  store i64 %count36, ptr %prof8, align 4
  %osr.n = load i64, ptr %osr.count, align 4
  %osr.n37 = add i64 %osr.n, 1
  store i64 %osr.n37, ptr %osr.count, align 4
  %osr.hot = icmp eq i64 %osr.n37, 10000
  %8 = call i1 @llvm.expect.i1(i1 %osr.hot, i1 false)
  br i1 %8, label %osr.enter, label %loop.cond

osr.enter:                                        ; preds = %loop.step
  %osr.site = phi i32 [ 0, %loop.step ]
  %9 = load i64, ptr %prof, align 4
  %count38 = load i64, ptr getelementptr (i8, ptr @lljit.profile.fill, i64 192), align 4
  %count39 = add i64 %count38, %9
  store i64 %count39, ptr getelementptr (i8, ptr @lljit.profile.fill, i64 192), align 4
  %10 = load i64, ptr %prof8, align 4
  %count40 = load i64, ptr getelementptr (i8, ptr @lljit.profile.fill, i64 184), align 4
  %count41 = add i64 %count40, %10
  store i64 %count41, ptr getelementptr (i8, ptr @lljit.profile.fill, i64 184), align 4
  %count42 = load i64, ptr getelementptr (i8, ptr @lljit.profile.fill, i64 200), align 4
  %count43 = add i64 %count42, %10
  store i64 %count43, ptr getelementptr (i8, ptr @lljit.profile.fill, i64 200), align 4
  %count44 = load i64, ptr getelementptr (i8, ptr @lljit.profile.fill, i64 8), align 4
  %count45 = add i64 %count44, %10
  store i64 %count45, ptr getelementptr (i8, ptr @lljit.profile.fill, i64 8), align 4
  %11 = load i64, ptr %prof9, align 4
  %count46 = load i64, ptr getelementptr (i8, ptr @lljit.profile.fill, i64 240), align 4
  %count47 = add i64 %count46, %11
  store i64 %count47, ptr getelementptr (i8, ptr @lljit.profile.fill, i64 240), align 4
  store i64 0, ptr %prof, align 4
  store i64 0, ptr %prof8, align 4
  store i64 0, ptr %prof9, align 4
  %a48 = load ptr, ptr %a1, align 8
  %bits49 = ptrtoint ptr %a48 to i64
  %osr.word = getelementptr inbounds i64, ptr %osr.frame, i64 0
  store i64 %bits49, ptr %osr.word, align 4
  %n50 = load i64, ptr %n2, align 4
  %osr.word51 = getelementptr inbounds i64, ptr %osr.frame, i64 1
  store i64 %n50, ptr %osr.word51, align 4
  %f52 = load ptr, ptr %f3, align 8
  %bits53 = ptrtoint ptr %f52 to i64
  %osr.word54 = getelementptr inbounds i64, ptr %osr.frame, i64 2
  store i64 %bits53, ptr %osr.word54, align 4
  %s55 = load i64, ptr %s, align 4
  %osr.word56 = getelementptr inbounds i64, ptr %osr.frame, i64 3
  store i64 %s55, ptr %osr.word56, align 4
  %i57 = load i64, ptr %i, align 4
  %osr.word58 = getelementptr inbounds i64, ptr %osr.frame, i64 4
  store i64 %i57, ptr %osr.word58, align 4
  %osr.word59 = getelementptr inbounds i64, ptr %osr.frame, i64 5
  store i64 0, ptr %osr.word59, align 4
  %osr.code = call i64 @lljit_jit_osr(ptr getelementptr (i8, ptr @lljit.targets, i64 64), i32 %osr.site, ptr %osr.frame)
  %osr.stay = icmp ule i64 %osr.code, 1
  br i1 %osr.stay, label %osr.back, label %osr.go

osr.go:                                           ; preds = %osr.enter
  %osr.cont = inttoptr i64 %osr.code to ptr
  %osr.ret = call i64 %osr.cont(ptr %osr.frame)
  ret i64 %osr.ret

osr.back:                                         ; preds = %osr.enter
  %osr.never = icmp eq i64 %osr.code, 0
  %osr.n60 = select i1 %osr.never, i64 10000, i64 0
  switch i32 %osr.site, label %osr.stay61 [
  ]

osr.stay61:                                       ; preds = %osr.back
  store i64 %osr.n60, ptr %osr.count, align 4
  br label %loop.cond

loop.end:                                         ; preds = %loop.cond
  %s62 = load i64, ptr %s, align 4
  store i64 %s62, ptr %ret, align 4
  br label %exit

exit:                                             ; preds = %loop.end
  %12 = load i64, ptr %prof, align 4
  %count63 = load i64, ptr getelementptr (i8, ptr @lljit.profile.fill, i64 192), align 4
  %count64 = add i64 %count63, %12
  store i64 %count64, ptr getelementptr (i8, ptr @lljit.profile.fill, i64 192), align 4
  %13 = load i64, ptr %prof8, align 4
  %count65 = load i64, ptr getelementptr (i8, ptr @lljit.profile.fill, i64 184), align 4
  %count66 = add i64 %count65, %13
  store i64 %count66, ptr getelementptr (i8, ptr @lljit.profile.fill, i64 184), align 4
  %count67 = load i64, ptr getelementptr (i8, ptr @lljit.profile.fill, i64 200), align 4
  %count68 = add i64 %count67, %13
  store i64 %count68, ptr getelementptr (i8, ptr @lljit.profile.fill, i64 200), align 4
  %count69 = load i64, ptr getelementptr (i8, ptr @lljit.profile.fill, i64 8), align 4
  %count70 = add i64 %count69, %13
  store i64 %count70, ptr getelementptr (i8, ptr @lljit.profile.fill, i64 8), align 4
  %14 = load i64, ptr %prof9, align 4
  %count71 = load i64, ptr getelementptr (i8, ptr @lljit.profile.fill, i64 240), align 4
  %count72 = add i64 %count71, %14
  store i64 %count72, ptr getelementptr (i8, ptr @lljit.profile.fill, i64 240), align 4
  %ret73 = load i64, ptr %ret, align 4
  ret i64 %ret73
}

declare void @lljit_rt_profile_target(ptr, i64)

; Function Attrs: nounwind null_pointer_is_valid
define i64 @lc.mix.t0(i64 %a, i32 %b, i16 %c, i8 %d) #0 {
entry:
  %a1 = alloca i64, align 8
  store i64 %a, ptr %a1, align 4
  %b2 = alloca i32, align 4
  store i32 %b, ptr %b2, align 4
  %c3 = alloca i16, align 2
  store i16 %c, ptr %c3, align 2
  %d4 = alloca i8, align 1
  store i8 %d, ptr %d4, align 1
  %h = alloca i64, align 8
  %calls = load i64, ptr @lljit.profile.mix, align 4
  %calls5 = add i64 %calls, 1
  store i64 %calls5, ptr @lljit.profile.mix, align 4
  %p = load i64, ptr %a1, align 4
  call void @lljit_rt_profile_value(ptr getelementptr (i8, ptr @lljit.profile.mix, i64 16), i64 %p)
  %p6 = load i32, ptr %b2, align 4
  %bits = zext i32 %p6 to i64
  call void @lljit_rt_profile_value(ptr getelementptr (i8, ptr @lljit.profile.mix, i64 72), i64 %bits)
  %p7 = load i16, ptr %c3, align 2
  %bits8 = sext i16 %p7 to i64
  call void @lljit_rt_profile_value(ptr getelementptr (i8, ptr @lljit.profile.mix, i64 128), i64 %bits8)
  %p9 = load i8, ptr %d4, align 1
  %bits10 = zext i8 %p9 to i64
  call void @lljit_rt_profile_value(ptr getelementptr (i8, ptr @lljit.profile.mix, i64 184), i64 %bits10)
  %ret = alloca i64, align 8
  %prof = alloca i64, align 8
  store i64 0, ptr %prof, align 4
  %prof11 = alloca i64, align 8
  store i64 0, ptr %prof11, align 4
  %prof12 = alloca i64, align 8
  store i64 0, ptr %prof12, align 4
  %prof13 = alloca i64, align 8
  store i64 0, ptr %prof13, align 4
  %hot = icmp eq i64 %calls5, 1000000
  %past = icmp ugt i64 %calls5, 1000000
  %low = and i64 %calls5, 1048575
  %round = icmp eq i64 %low, 0
  %again = and i1 %past, %round
  %hot14 = or i1 %hot, %again
  %0 = call i1 @llvm.expect.i1(i1 %hot14, i1 false)
  br i1 %0, label %tier_up, label %body

tier_up:                                          ; preds = %entry
  call void @lljit_jit_tier_up(ptr getelementptr (i8, ptr @lljit.targets, i64 32))
  br label %body

body:                                             ; preds = %tier_up, %entry
  %a15 = load i64, ptr %a1, align 4
  %b16 = load i32, ptr %b2, align 4
  %zext = zext i32 %b16 to i64
  %mul = mul i64 %zext, 31
  %c17 = load i16, ptr %c3, align 2
  %sext = sext i16 %c17 to i64
  %add = add i64 %mul, %sext
  %d18 = load i8, ptr %d4, align 1
  %zext19 = zext i8 %d18 to i64
  %sub = sub i64 %add, %zext19
  %xor = xor i64 %a15, %sub
  store i64 %xor, ptr %h, align 4
  %h20 = load i64, ptr %h, align 4
  %cmp = icmp slt i64 %h20, 0
  %taken = zext i1 %cmp to i64
  %1 = xor i1 %cmp, true
  %not = zext i1 %1 to i64
  %count = load i64, ptr %prof, align 4
  %count21 = add i64 %count, %taken
  store i64 %count21, ptr %prof, align 4
  %count22 = load i64, ptr %prof11, align 4
  %count23 = add i64 %count22, %not
  store i64 %count23, ptr %prof11, align 4
  br i1 %cmp, label %then, label %else

then:                                             ; preds = %body
  %h24 = load i64, ptr %h, align 4
  %neg = sub i64 0, %h24
  store i64 %neg, ptr %h, align 4
  br label %endif

else:                                             ; preds = %body
  %h25 = load i64, ptr %h, align 4
  %2 = call i1 @llvm.expect.i1(i1 false, i1 false)
  br i1 %2, label %trap, label %ok

trap:                                             ; preds = %else
  call void @lljit_rt_trap(i32 0, ptr @.pos.8, i64 0, i64 0)
  unreachable

ok:                                               ; preds = %else
  %3 = icmp eq i64 %h25, -9223372036854775808
  %divovf = and i1 %3, false
  %4 = call i1 @llvm.expect.i1(i1 %divovf, i1 false)
  br i1 %4, label %trap26, label %ok27

trap26:                                           ; preds = %ok
  call void @lljit_rt_trap(i32 1, ptr @.pos.8, i64 0, i64 0)
  unreachable

ok27:                                             ; preds = %ok
  %rem = srem i64 %h25, 3
  %cmp28 = icmp eq i64 %rem, 0
  %taken31 = zext i1 %cmp28 to i64
  %5 = xor i1 %cmp28, true
  %not32 = zext i1 %5 to i64
  %count33 = load i64, ptr %prof12, align 4
  %count34 = add i64 %count33, %taken31
  store i64 %count34, ptr %prof12, align 4
  %count35 = load i64, ptr %prof13, align 4
  %count36 = add i64 %count35, %not32
  store i64 %count36, ptr %prof13, align 4
  br i1 %cmp28, label %then29, label %endif30

then29:                                           ; preds = %ok27
  %h37 = load i64, ptr %h, align 4
  %6 = call i1 @llvm.expect.i1(i1 false, i1 false)
  br i1 %6, label %trap38, label %ok39

trap38:                                           ; preds = %then29
  call void @lljit_rt_trap(i32 0, ptr @.pos.1.9, i64 0, i64 0)
  unreachable

ok39:                                             ; preds = %then29
  %7 = icmp eq i64 %h37, -9223372036854775808
  %divovf40 = and i1 %7, false
  %8 = call i1 @llvm.expect.i1(i1 %divovf40, i1 false)
  br i1 %8, label %trap41, label %ok42

trap41:                                           ; preds = %ok39
  call void @lljit_rt_trap(i32 1, ptr @.pos.1.9, i64 0, i64 0)
  unreachable

ok42:                                             ; preds = %ok39
  %div = sdiv i64 %h37, 3
  store i64 %div, ptr %h, align 4
  br label %endif30

endif30:                                          ; preds = %ok42, %ok27
  br label %endif

endif:                                            ; preds = %endif30, %then
  %h43 = load i64, ptr %h, align 4
  %shl = shl i64 %h43, 3
  %h44 = load i64, ptr %h, align 4
  %shr = ashr i64 %h44, 5
  %and = and i64 %shr, 255
  %or = or i64 %shl, %and
  store i64 %or, ptr %ret, align 4
  br label %exit

exit:                                             ; preds = %endif
  %9 = load i64, ptr %prof, align 4
  %count45 = load i64, ptr getelementptr (i8, ptr @lljit.profile.mix, i64 240), align 4
  %count46 = add i64 %count45, %9
  store i64 %count46, ptr getelementptr (i8, ptr @lljit.profile.mix, i64 240), align 4
  %10 = load i64, ptr %prof11, align 4
  %count47 = load i64, ptr getelementptr (i8, ptr @lljit.profile.mix, i64 248), align 4
  %count48 = add i64 %count47, %10
  store i64 %count48, ptr getelementptr (i8, ptr @lljit.profile.mix, i64 248), align 4
  %11 = load i64, ptr %prof12, align 4
  %count49 = load i64, ptr getelementptr (i8, ptr @lljit.profile.mix, i64 256), align 4
  %count50 = add i64 %count49, %11
  store i64 %count50, ptr getelementptr (i8, ptr @lljit.profile.mix, i64 256), align 4
  %12 = load i64, ptr %prof13, align 4
  %count51 = load i64, ptr getelementptr (i8, ptr @lljit.profile.mix, i64 264), align 4
  %count52 = add i64 %count51, %12
  store i64 %count52, ptr getelementptr (i8, ptr @lljit.profile.mix, i64 264), align 4
  %ret53 = load i64, ptr %ret, align 4
  ret i64 %ret53
}

attributes #0 = { nounwind null_pointer_is_valid "disable-tail-calls"="true" "probe-stack"="inline-asm" "tune-cpu"="generic" }
attributes #1 = { nocallback nofree nosync nounwind willreturn memory(none) }
attributes #2 = { cold noreturn }
