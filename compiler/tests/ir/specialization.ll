; ModuleID = 'fn.scale.v1'
source_filename = "fn.scale.v1"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@lljit.generic_slots = external global [0 x i8], code_model "large", !absolute_symbol !0
@lljit.guard.scale.v1 = external global [0 x i8], code_model "large", !absolute_symbol !0
@lljit.targets = external global [0 x i8], code_model "large", !absolute_symbol !0

; Function Attrs: nounwind
define i64 @lc.scale.v1(i64 %0, i64 %1) #0 {
entry:
  %count = load i64, ptr @lljit.guard.scale.v1, align 4
  %count1 = add i64 %count, 1
  store i64 %count1, ptr @lljit.guard.scale.v1, align 4
  %guard = icmp eq i64 %1, 3
  %guard2 = and i1 true, %guard
  br i1 %guard2, label %hit, label %miss

hit:                                              ; preds = %entry
  %2 = musttail call i64 @lc.scale.v1.special(i64 %0, i64 %1)
  ret i64 %2

miss:                                             ; preds = %entry
  %count3 = load i64, ptr getelementptr (i8, ptr @lljit.guard.scale.v1, i64 8), align 4
  %count4 = add i64 %count3, 1
  store i64 %count4, ptr getelementptr (i8, ptr @lljit.guard.scale.v1, i64 8), align 4
  call void @lljit_rt_profile_value(ptr getelementptr (i8, ptr @lljit.guard.scale.v1, i64 16), i64 %0)
  call void @lljit_rt_profile_value(ptr getelementptr (i8, ptr @lljit.guard.scale.v1, i64 72), i64 %1)
  call void @lljit_jit_guard_miss(ptr getelementptr (i8, ptr @lljit.targets, i64 16))
  %3 = musttail call i64 @lc.scale.v1.generic.slot(i64 %0, i64 %1)
  ret i64 %3
}

; Function Attrs: nounwind null_pointer_is_valid
define internal i64 @lc.scale.v1.special(i64 %x, i64 %k) #1 {
entry:
  %x1 = alloca i64, align 8
  store i64 %x, ptr %x1, align 4
  %k2 = alloca i64, align 8
  store i64 3, ptr %k2, align 4
  %x3 = load i64, ptr %x1, align 4
  %cmp = icmp sgt i64 %x3, 10
  br i1 %cmp, label %then, label %endif, !prof !1

then:                                             ; preds = %entry
  %x4 = load i64, ptr %x1, align 4
  %k5 = load i64, ptr %k2, align 4
  %mul = mul i64 %x4, %k5
  ret i64 %mul

endif:                                            ; preds = %entry
  %x6 = load i64, ptr %x1, align 4
  %k7 = load i64, ptr %k2, align 4
  %add = add i64 %x6, %k7
  ret i64 %add
}

; Function Attrs: nounwind
define internal i64 @lc.scale.v1.generic.slot(i64 %0, i64 %1) #0 {
entry:
  %code = load ptr, ptr getelementptr (i8, ptr @lljit.generic_slots, i64 8), align 8
  %2 = musttail call i64 %code(i64 %0, i64 %1)
  ret i64 %2
}

declare void @lljit_rt_profile_value(ptr, i64)

declare void @lljit_jit_guard_miss(ptr)

attributes #0 = { nounwind }
attributes #1 = { nounwind null_pointer_is_valid "disable-tail-calls"="true" "probe-stack"="inline-asm" "tune-cpu"="generic" }

!0 = !{i64 -1, i64 -1}
!1 = !{!"branch_weights", i32 1, i32 2}
