; ModuleID = 'fn.walk.t0'
source_filename = "fn.walk.t0"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@lljit.profile.walk = external global [0 x i8], code_model "small"
@lljit.targets = external global [0 x i8], code_model "small"
@.pos = private unnamed_addr constant [15 x i8] c"tier0.lc:12:13\00"

; Function Attrs: nounwind null_pointer_is_valid
define i64 @lc.walk.t0(i64 %n, ptr %f) #0 {
entry:
  %n1 = alloca i64, align 8
  store i64 %n, ptr %n1, align 4
  %f2 = alloca ptr, align 8
  store ptr %f, ptr %f2, align 8
  %s = alloca i64, align 8
  %i = alloca i64, align 8
  %calls = load i64, ptr @lljit.profile.walk, align 4
  %calls3 = add i64 %calls, 1
  store i64 %calls3, ptr @lljit.profile.walk, align 4
  %p = load i64, ptr %n1, align 4
  call void @lljit_rt_profile_value(ptr getelementptr (i8, ptr @lljit.profile.walk, i64 16), i64 %p)
  %p4 = load ptr, ptr %f2, align 8
  %bits = ptrtoint ptr %p4 to i64
  call void @lljit_rt_profile_value(ptr getelementptr (i8, ptr @lljit.profile.walk, i64 72), i64 %bits)
  %ret = alloca i64, align 8
  %prof = alloca i64, align 8
  store i64 0, ptr %prof, align 4
  %prof5 = alloca i64, align 8
  store i64 0, ptr %prof5, align 4
  %prof6 = alloca i64, align 8
  store i64 0, ptr %prof6, align 4
  %prof7 = alloca i64, align 8
  store i64 0, ptr %prof7, align 4
  %prof8 = alloca i64, align 8
  store i64 0, ptr %prof8, align 4
  %hot = icmp eq i64 %calls3, 1000000
  %past = icmp ugt i64 %calls3, 1000000
  %low = and i64 %calls3, 1048575
  %round = icmp eq i64 %low, 0
  %again = and i1 %past, %round
  %hot9 = or i1 %hot, %again
  %back = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 8), align 4
  %loopy = icmp uge i64 %back, 64000000
  %called = icmp uge i64 %calls3, 4
  %loopy10 = and i1 %loopy, %called
  %hot11 = or i1 %hot9, %loopy10
  %0 = call i1 @llvm.expect.i1(i1 %hot11, i1 false)
  br i1 %0, label %tier_up, label %body

tier_up:                                          ; preds = %entry
  call void @lljit_jit_tier_up(ptr getelementptr (i8, ptr @lljit.targets, i64 32))
  br label %body

body:                                             ; preds = %tier_up, %entry
  %osr.count = alloca i64, align 8
  store i64 0, ptr %osr.count, align 4
  %osr.frame = alloca [5 x i64], align 8
  store i64 0, ptr %s, align 4
  store i64 0, ptr %i, align 4
  %count = load i64, ptr %prof, align 4
  %count12 = add i64 %count, 1
  store i64 %count12, ptr %prof, align 4
  br label %loop.cond

loop.cond:                                        ; preds = %osr.stay52, %loop.step, %body
  %i13 = load i64, ptr %i, align 4
  %n14 = load i64, ptr %n1, align 4
  %cmp = icmp slt i64 %i13, %n14
  br i1 %cmp, label %loop.body, label %loop.end

loop.body:                                        ; preds = %loop.cond
  %i15 = load i64, ptr %i, align 4
  %1 = call i1 @llvm.expect.i1(i1 false, i1 false)
  br i1 %1, label %trap, label %ok

trap:                                             ; preds = %loop.body
  call void @lljit_rt_trap(i32 0, ptr @.pos, i64 0, i64 0)
  unreachable

ok:                                               ; preds = %loop.body
  %2 = icmp eq i64 %i15, -9223372036854775808
  %divovf = and i1 %2, false
  %3 = call i1 @llvm.expect.i1(i1 %divovf, i1 false)
  br i1 %3, label %trap16, label %ok17

trap16:                                           ; preds = %ok
  call void @lljit_rt_trap(i32 1, ptr @.pos, i64 0, i64 0)
  unreachable

ok17:                                             ; preds = %ok
  %rem = srem i64 %i15, 3
  %cmp18 = icmp eq i64 %rem, 0
  br i1 %cmp18, label %then, label %else

then:                                             ; preds = %ok17
  %old = load i64, ptr %s, align 4
  %f19 = load ptr, ptr %f2, align 8
  %i20 = load i64, ptr %i, align 4
  %target = ptrtoint ptr %f19 to i64
  %first = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 168), align 4
  %same = icmp eq i64 %target, %first
  br i1 %same, label %target.first, label %target.other

else:                                             ; preds = %ok17
  %old23 = load i64, ptr %s, align 4
  %sub = sub i64 %old23, 1
  store i64 %sub, ptr %s, align 4
  br label %endif

endif:                                            ; preds = %else, %target.done
  br label %loop.step

loop.step:                                        ; preds = %endif
  %old24 = load i64, ptr %i, align 4
  %add25 = add i64 %old24, 1
  store i64 %add25, ptr %i, align 4
  %count26 = load i64, ptr %prof5, align 4
  %count27 = add i64 %count26, 1
  store i64 %count27, ptr %prof5, align 4
  %osr.n = load i64, ptr %osr.count, align 4
  %osr.n28 = add i64 %osr.n, 1
  store i64 %osr.n28, ptr %osr.count, align 4
  %osr.hot = icmp eq i64 %osr.n28, 1000000
  %4 = call i1 @llvm.expect.i1(i1 %osr.hot, i1 false)
  br i1 %4, label %osr.enter, label %loop.cond

target.first:                                     ; preds = %then
  %count21 = load i64, ptr %prof8, align 4
  %count22 = add i64 %count21, 1
  store i64 %count22, ptr %prof8, align 4
  br label %target.done

target.other:                                     ; preds = %then
  call void @lljit_rt_profile_target(ptr getelementptr (i8, ptr @lljit.profile.walk, i64 168), i64 %target)
  br label %target.done

target.done:                                      ; preds = %target.other, %target.first
  %5 = call i64 %f19(i64 %i20)
  %add = add i64 %old, %5
  store i64 %add, ptr %s, align 4
  br label %endif

osr.enter:                                        ; preds = %loop.step
  %6 = load i64, ptr %prof, align 4
  %count29 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 136), align 4
  %count30 = add i64 %count29, %6
  store i64 %count30, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 136), align 4
  %7 = load i64, ptr %prof5, align 4
  %count31 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 128), align 4
  %count32 = add i64 %count31, %7
  store i64 %count32, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 128), align 4
  %count33 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 144), align 4
  %count34 = add i64 %count33, %7
  store i64 %count34, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 144), align 4
  %count35 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 8), align 4
  %count36 = add i64 %count35, %7
  store i64 %count36, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 8), align 4
  %8 = load i64, ptr %prof6, align 4
  %count37 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 152), align 4
  %count38 = add i64 %count37, %8
  store i64 %count38, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 152), align 4
  %9 = load i64, ptr %prof7, align 4
  %count39 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 160), align 4
  %count40 = add i64 %count39, %9
  store i64 %count40, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 160), align 4
  %10 = load i64, ptr %prof8, align 4
  %count41 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 200), align 4
  %count42 = add i64 %count41, %10
  store i64 %count42, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 200), align 4
  store i64 0, ptr %prof, align 4
  store i64 0, ptr %prof5, align 4
  store i64 0, ptr %prof6, align 4
  store i64 0, ptr %prof7, align 4
  store i64 0, ptr %prof8, align 4
  %n43 = load i64, ptr %n1, align 4
  %osr.word = getelementptr inbounds i64, ptr %osr.frame, i64 0
  store i64 %n43, ptr %osr.word, align 4
  %f44 = load ptr, ptr %f2, align 8
  %bits45 = ptrtoint ptr %f44 to i64
  %osr.word46 = getelementptr inbounds i64, ptr %osr.frame, i64 1
  store i64 %bits45, ptr %osr.word46, align 4
  %s47 = load i64, ptr %s, align 4
  %osr.word48 = getelementptr inbounds i64, ptr %osr.frame, i64 2
  store i64 %s47, ptr %osr.word48, align 4
  %i49 = load i64, ptr %i, align 4
  %osr.word50 = getelementptr inbounds i64, ptr %osr.frame, i64 3
  store i64 %i49, ptr %osr.word50, align 4
  %osr.word51 = getelementptr inbounds i64, ptr %osr.frame, i64 4
  store i64 0, ptr %osr.word51, align 4
  %osr.code = call i64 @lljit_jit_osr(ptr getelementptr (i8, ptr @lljit.targets, i64 32), i32 0, ptr %osr.frame)
  %osr.stay = icmp ule i64 %osr.code, 1
  br i1 %osr.stay, label %osr.stay52, label %osr.go

osr.go:                                           ; preds = %osr.enter
  %osr.cont = inttoptr i64 %osr.code to ptr
  %osr.ret = call i64 %osr.cont(ptr %osr.frame)
  ret i64 %osr.ret

loop.end:                                         ; preds = %loop.cond
  %s54 = load i64, ptr %s, align 4
  store i64 %s54, ptr %ret, align 4
  br label %exit

osr.stay52:                                       ; preds = %osr.enter
  %osr.never = icmp eq i64 %osr.code, 0
  %osr.n53 = select i1 %osr.never, i64 %osr.n28, i64 0
  store i64 %osr.n53, ptr %osr.count, align 4
  br label %loop.cond

exit:                                             ; preds = %loop.end
  %11 = load i64, ptr %prof, align 4
  %count55 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 136), align 4
  %count56 = add i64 %count55, %11
  store i64 %count56, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 136), align 4
  %12 = load i64, ptr %prof5, align 4
  %count57 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 128), align 4
  %count58 = add i64 %count57, %12
  store i64 %count58, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 128), align 4
  %count59 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 144), align 4
  %count60 = add i64 %count59, %12
  store i64 %count60, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 144), align 4
  %count61 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 8), align 4
  %count62 = add i64 %count61, %12
  store i64 %count62, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 8), align 4
  %13 = load i64, ptr %prof6, align 4
  %count63 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 152), align 4
  %count64 = add i64 %count63, %13
  store i64 %count64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 152), align 4
  %14 = load i64, ptr %prof7, align 4
  %count65 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 160), align 4
  %count66 = add i64 %count65, %14
  store i64 %count66, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 160), align 4
  %15 = load i64, ptr %prof8, align 4
  %count67 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 200), align 4
  %count68 = add i64 %count67, %15
  store i64 %count68, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 200), align 4
  %ret69 = load i64, ptr %ret, align 4
  ret i64 %ret69
}

declare void @lljit_rt_profile_value(ptr, i64)

; Function Attrs: nocallback nofree nosync nounwind willreturn memory(none)
declare i1 @llvm.expect.i1(i1, i1) #1

declare void @lljit_jit_tier_up(ptr)

; Function Attrs: cold noreturn
declare void @lljit_rt_trap(i32, ptr, i64, i64) #2

declare void @lljit_rt_profile_target(ptr, i64)

declare i64 @lljit_jit_osr(ptr, i32, ptr)

attributes #0 = { nounwind null_pointer_is_valid "disable-tail-calls"="true" "probe-stack"="inline-asm" "tune-cpu"="generic" }
attributes #1 = { nocallback nofree nosync nounwind willreturn memory(none) }
attributes #2 = { cold noreturn }
