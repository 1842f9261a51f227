; ModuleID = 'fn.walk.t0'
source_filename = "fn.walk.t0"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@lljit.profile.walk = external global [0 x i8], code_model "small"
@lljit.targets = external global [0 x i8], code_model "small"
@.pos = private unnamed_addr constant [15 x i8] c"tier0.lc:13:13\00"
@.pos.1 = private unnamed_addr constant [15 x i8] c"tier0.lc:16:25\00"

; Function Attrs: nounwind null_pointer_is_valid
define i64 @lc.walk.t0(i64 %n, ptr %f) #0 {
entry:
  %osr.frame = alloca [6 x i64], align 8
  %osr.count14 = alloca i64, align 8
  %osr.count = alloca i64, align 8
  %n1 = alloca i64, align 8
  store i64 %n, ptr %n1, align 4
  %f2 = alloca ptr, align 8
  store ptr %f, ptr %f2, align 8
  %s = alloca i64, align 8
  %i = alloca i64, align 8
  %k = alloca i64, align 8
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
  %prof9 = alloca i64, align 8
  store i64 0, ptr %prof9, align 4
  %prof10 = alloca i64, align 8
  store i64 0, ptr %prof10, align 4
  %hot = icmp eq i64 %calls3, 1000000
  %past = icmp ugt i64 %calls3, 1000000
  %low = and i64 %calls3, 1048575
  %round = icmp eq i64 %low, 0
  %again = and i1 %past, %round
  %hot11 = or i1 %hot, %again
  %back = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 8), align 4
  %loopy = icmp uge i64 %back, 64000000
  %called = icmp uge i64 %calls3, 4
  %loopy12 = and i1 %loopy, %called
  %hot13 = or i1 %hot11, %loopy12
  %0 = call i1 @llvm.expect.i1(i1 %hot13, i1 false)
  br i1 %0, label %tier_up, label %body

tier_up:                                          ; preds = %entry
  call void @lljit_jit_tier_up(ptr getelementptr (i8, ptr @lljit.targets, i64 32))
  br label %body

body:                                             ; preds = %tier_up, %entry
  store i64 0, ptr %osr.count, align 4
  store i64 0, ptr %osr.count14, align 4
  store i64 0, ptr %s, align 4
  store i64 0, ptr %i, align 4
  %count = load i64, ptr %prof, align 4
  %count15 = add i64 %count, 1
  store i64 %count15, ptr %prof, align 4
  br label %loop.cond

loop.cond:                                        ; preds = %osr.stay66, %loop.step, %body
  %i16 = load i64, ptr %i, align 4
  %n17 = load i64, ptr %n1, align 4
  %cmp = icmp slt i64 %i16, %n17
  br i1 %cmp, label %loop.body, label %loop.end

loop.body:                                        ; preds = %loop.cond
  %i18 = load i64, ptr %i, align 4
  %1 = call i1 @llvm.expect.i1(i1 false, i1 false)
  br i1 %1, label %trap, label %ok

trap:                                             ; preds = %loop.body
  call void @lljit_rt_trap(i32 0, ptr @.pos, i64 0, i64 0)
  unreachable

ok:                                               ; preds = %loop.body
  %2 = icmp eq i64 %i18, -9223372036854775808
  %divovf = and i1 %2, false
  %3 = call i1 @llvm.expect.i1(i1 %divovf, i1 false)
  br i1 %3, label %trap19, label %ok20

trap19:                                           ; preds = %ok
  call void @lljit_rt_trap(i32 1, ptr @.pos, i64 0, i64 0)
  unreachable

ok20:                                             ; preds = %ok
  %rem = srem i64 %i18, 3
  %cmp21 = icmp eq i64 %rem, 0
  br i1 %cmp21, label %then, label %else

then:                                             ; preds = %ok20
  %old = load i64, ptr %s, align 4
  %f22 = load ptr, ptr %f2, align 8
  %i23 = load i64, ptr %i, align 4
  %target = ptrtoint ptr %f22 to i64
  %first = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 168), align 4
  %same = icmp eq i64 %target, %first
  br i1 %same, label %target.first, label %target.other

else:                                             ; preds = %ok20
  %old26 = load i64, ptr %s, align 4
  %sub = sub i64 %old26, 1
  store i64 %sub, ptr %s, align 4
  br label %endif

endif:                                            ; preds = %else, %target.done
  br label %loop.step

loop.step:                                        ; preds = %endif
  %old27 = load i64, ptr %i, align 4
  %add28 = add i64 %old27, 1
  store i64 %add28, ptr %i, align 4
  %count29 = load i64, ptr %prof5, align 4
  %count30 = add i64 %count29, 1
  store i64 %count30, ptr %prof5, align 4
  %osr.n = load i64, ptr %osr.count, align 4
  %osr.n31 = add i64 %osr.n, 1
  store i64 %osr.n31, ptr %osr.count, align 4
  %osr.hot = icmp eq i64 %osr.n31, 1000000
  %4 = call i1 @llvm.expect.i1(i1 %osr.hot, i1 false)
  br i1 %4, label %osr.enter, label %loop.cond

target.first:                                     ; preds = %then
  %count24 = load i64, ptr %prof8, align 4
  %count25 = add i64 %count24, 1
  store i64 %count25, ptr %prof8, align 4
  br label %target.done

target.other:                                     ; preds = %then
  call void @lljit_rt_profile_target(ptr getelementptr (i8, ptr @lljit.profile.walk, i64 168), i64 %target)
  br label %target.done

target.done:                                      ; preds = %target.other, %target.first
  %5 = call i64 %f22(i64 %i23)
  %add = add i64 %old, %5
  store i64 %add, ptr %s, align 4
  br label %endif

osr.enter:                                        ; preds = %loop.step73, %loop.step
  %osr.site = phi i32 [ 0, %loop.step ], [ 3, %loop.step73 ]
  %6 = load i64, ptr %prof, align 4
  %count32 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 136), align 4
  %count33 = add i64 %count32, %6
  store i64 %count33, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 136), align 4
  %7 = load i64, ptr %prof5, align 4
  %count34 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 128), align 4
  %count35 = add i64 %count34, %7
  store i64 %count35, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 128), align 4
  %count36 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 144), align 4
  %count37 = add i64 %count36, %7
  store i64 %count37, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 144), align 4
  %count38 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 8), align 4
  %count39 = add i64 %count38, %7
  store i64 %count39, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 8), align 4
  %8 = load i64, ptr %prof6, align 4
  %count40 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 152), align 4
  %count41 = add i64 %count40, %8
  store i64 %count41, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 152), align 4
  %9 = load i64, ptr %prof7, align 4
  %count42 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 160), align 4
  %count43 = add i64 %count42, %9
  store i64 %count43, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 160), align 4
  %10 = load i64, ptr %prof8, align 4
  %count44 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 200), align 4
  %count45 = add i64 %count44, %10
  store i64 %count45, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 200), align 4
  %11 = load i64, ptr %prof9, align 4
  %count46 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 248), align 4
  %count47 = add i64 %count46, %11
  store i64 %count47, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 248), align 4
  %12 = load i64, ptr %prof10, align 4
  %count48 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 240), align 4
  %count49 = add i64 %count48, %12
  store i64 %count49, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 240), align 4
  %count50 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 256), align 4
  %count51 = add i64 %count50, %12
  store i64 %count51, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 256), align 4
  %count52 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 8), align 4
  %count53 = add i64 %count52, %12
  store i64 %count53, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 8), align 4
  store i64 0, ptr %prof, align 4
  store i64 0, ptr %prof5, align 4
  store i64 0, ptr %prof6, align 4
  store i64 0, ptr %prof7, align 4
  store i64 0, ptr %prof8, align 4
  store i64 0, ptr %prof9, align 4
  store i64 0, ptr %prof10, align 4
  %n54 = load i64, ptr %n1, align 4
  %osr.word = getelementptr inbounds i64, ptr %osr.frame, i64 0
  store i64 %n54, ptr %osr.word, align 4
  %f55 = load ptr, ptr %f2, align 8
  %bits56 = ptrtoint ptr %f55 to i64
  %osr.word57 = getelementptr inbounds i64, ptr %osr.frame, i64 1
  store i64 %bits56, ptr %osr.word57, align 4
  %s58 = load i64, ptr %s, align 4
  %osr.word59 = getelementptr inbounds i64, ptr %osr.frame, i64 2
  store i64 %s58, ptr %osr.word59, align 4
  %i60 = load i64, ptr %i, align 4
  %osr.word61 = getelementptr inbounds i64, ptr %osr.frame, i64 3
  store i64 %i60, ptr %osr.word61, align 4
  %k62 = load i64, ptr %k, align 4
  %osr.word63 = getelementptr inbounds i64, ptr %osr.frame, i64 4
  store i64 %k62, ptr %osr.word63, align 4
  %osr.word64 = getelementptr inbounds i64, ptr %osr.frame, i64 5
  store i64 0, ptr %osr.word64, align 4
  %osr.code = call i64 @lljit_jit_osr(ptr getelementptr (i8, ptr @lljit.targets, i64 32), i32 %osr.site, ptr %osr.frame)
  %osr.stay = icmp ule i64 %osr.code, 1
  br i1 %osr.stay, label %osr.back, label %osr.go

osr.go:                                           ; preds = %osr.enter
  %osr.cont = inttoptr i64 %osr.code to ptr
  %osr.ret = call i64 %osr.cont(ptr %osr.frame)
  ret i64 %osr.ret

osr.back:                                         ; preds = %osr.enter
  %osr.never = icmp eq i64 %osr.code, 0
  %osr.n65 = select i1 %osr.never, i64 1000000, i64 0
  switch i32 %osr.site, label %osr.stay87 [
    i32 0, label %osr.stay66
  ]

osr.stay66:                                       ; preds = %osr.back
  store i64 %osr.n65, ptr %osr.count, align 4
  br label %loop.cond

loop.end:                                         ; preds = %loop.cond
  %s67 = load i64, ptr %s, align 4
  store i64 %s67, ptr %k, align 4
  %count68 = load i64, ptr %prof9, align 4
  %count69 = add i64 %count68, 1
  store i64 %count69, ptr %prof9, align 4
  br label %loop.cond71

loop.cond71:                                      ; preds = %osr.stay87, %loop.step73, %loop.end
  %k74 = load i64, ptr %k, align 4
  %cmp75 = icmp sgt i64 %k74, 4
  br i1 %cmp75, label %loop.body72, label %loop.end70

loop.body72:                                      ; preds = %loop.cond71
  %k76 = load i64, ptr %k, align 4
  %13 = call i1 @llvm.expect.i1(i1 false, i1 false)
  br i1 %13, label %trap77, label %ok78

trap77:                                           ; preds = %loop.body72
  call void @lljit_rt_trap(i32 0, ptr @.pos.1, i64 0, i64 0)
  unreachable

ok78:                                             ; preds = %loop.body72
  %14 = icmp eq i64 %k76, -9223372036854775808
  %divovf79 = and i1 %14, false
  %15 = call i1 @llvm.expect.i1(i1 %divovf79, i1 false)
  br i1 %15, label %trap80, label %ok81

trap80:                                           ; preds = %ok78
  call void @lljit_rt_trap(i32 1, ptr @.pos.1, i64 0, i64 0)
  unreachable

ok81:                                             ; preds = %ok78
  %div = sdiv i64 %k76, 2
  store i64 %div, ptr %k, align 4
  br label %loop.step73

loop.step73:                                      ; preds = %ok81
  %count82 = load i64, ptr %prof10, align 4
  %count83 = add i64 %count82, 1
  store i64 %count83, ptr %prof10, align 4
  %osr.n84 = load i64, ptr %osr.count14, align 4
  %osr.n85 = add i64 %osr.n84, 1
  store i64 %osr.n85, ptr %osr.count14, align 4
  %osr.hot86 = icmp eq i64 %osr.n85, 1000000
  %16 = call i1 @llvm.expect.i1(i1 %osr.hot86, i1 false)
  br i1 %16, label %osr.enter, label %loop.cond71

osr.stay87:                                       ; preds = %osr.back
  store i64 %osr.n65, ptr %osr.count14, align 4
  br label %loop.cond71

loop.end70:                                       ; preds = %loop.cond71
  %s88 = load i64, ptr %s, align 4
  %k89 = load i64, ptr %k, align 4
  %add90 = add i64 %s88, %k89
  store i64 %add90, ptr %ret, align 4
  br label %exit

exit:                                             ; preds = %loop.end70
  %17 = load i64, ptr %prof, align 4
  %count91 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 136), align 4
  %count92 = add i64 %count91, %17
  store i64 %count92, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 136), align 4
  %18 = load i64, ptr %prof5, align 4
  %count93 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 128), align 4
  %count94 = add i64 %count93, %18
  store i64 %count94, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 128), align 4
  %count95 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 144), align 4
  %count96 = add i64 %count95, %18
  store i64 %count96, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 144), align 4
  %count97 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 8), align 4
  %count98 = add i64 %count97, %18
  store i64 %count98, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 8), align 4
  %19 = load i64, ptr %prof6, align 4
  %count99 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 152), align 4
  %count100 = add i64 %count99, %19
  store i64 %count100, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 152), align 4
  %20 = load i64, ptr %prof7, align 4
  %count101 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 160), align 4
  %count102 = add i64 %count101, %20
  store i64 %count102, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 160), align 4
  %21 = load i64, ptr %prof8, align 4
  %count103 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 200), align 4
  %count104 = add i64 %count103, %21
  store i64 %count104, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 200), align 4
  %22 = load i64, ptr %prof9, align 4
  %count105 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 248), align 4
  %count106 = add i64 %count105, %22
  store i64 %count106, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 248), align 4
  %23 = load i64, ptr %prof10, align 4
  %count107 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 240), align 4
  %count108 = add i64 %count107, %23
  store i64 %count108, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 240), align 4
  %count109 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 256), align 4
  %count110 = add i64 %count109, %23
  store i64 %count110, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 256), align 4
  %count111 = load i64, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 8), align 4
  %count112 = add i64 %count111, %23
  store i64 %count112, ptr getelementptr (i8, ptr @lljit.profile.walk, i64 8), align 4
  %ret113 = load i64, ptr %ret, align 4
  ret i64 %ret113
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
