; ModuleID = 'fn.main.osr1'
source_filename = "fn.main.osr1"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@lc.str.5543260588883e3802bf9f8bb910e854 = linkonce_odr constant [6 x i8] c"%lld\0A\00"

; Function Attrs: nounwind null_pointer_is_valid
define i32 @lc.main.osr1(ptr %frame) #0 {
entry:
  %osr.word = getelementptr inbounds i64, ptr %frame, i64 0
  %w = load i64, ptr %osr.word, align 4
  %n = alloca i64, align 8
  store i64 %w, ptr %n, align 4
  %osr.word1 = getelementptr inbounds i64, ptr %frame, i64 1
  %w2 = load i64, ptr %osr.word1, align 4
  %s = alloca i64, align 8
  store i64 %w2, ptr %s, align 4
  %osr.word3 = getelementptr inbounds i64, ptr %frame, i64 2
  %w4 = load i64, ptr %osr.word3, align 4
  %i = alloca i64, align 8
  store i64 %w4, ptr %i, align 4
  %osr.word5 = getelementptr inbounds i64, ptr %frame, i64 3
  %w6 = load i64, ptr %osr.word5, align 4
  %j = alloca i64, align 8
  store i64 %w6, ptr %j, align 4
  %n8 = load i64, ptr %n, align 4
  %osr.same = icmp eq i64 %n8, 6
  %osr.same9 = and i1 true, %osr.same
  br i1 %osr.same9, label %osr.special, label %osr.generic

osr.special:                                      ; preds = %entry
  store i64 6, ptr %n, align 4
  br label %loop.cond

loop.cond:                                        ; preds = %loop.step, %osr.special
  %j10 = load i64, ptr %j, align 4
  %n11 = load i64, ptr %n, align 4
  %cmp = icmp slt i64 %j10, %n11
  br i1 %cmp, label %loop.body, label %loop.end7, !prof !0

loop.body:                                        ; preds = %loop.cond
  %old = load i64, ptr %s, align 4
  %i12 = load i64, ptr %i, align 4
  %j13 = load i64, ptr %j, align 4
  %mul = mul i64 %i12, %j13
  %add = add i64 %old, %mul
  store i64 %add, ptr %s, align 4
  br label %loop.step

loop.step:                                        ; preds = %loop.body
  %old14 = load i64, ptr %j, align 4
  %add15 = add i64 %old14, 1
  store i64 %add15, ptr %j, align 4
  br label %loop.cond

osr.generic:                                      ; preds = %entry
  br label %loop.cond16

loop.cond16:                                      ; preds = %loop.step18, %osr.generic
  %j19 = load i64, ptr %j, align 4
  %n20 = load i64, ptr %n, align 4
  %cmp21 = icmp slt i64 %j19, %n20
  br i1 %cmp21, label %loop.body17, label %loop.end7, !prof !0

loop.body17:                                      ; preds = %loop.cond16
  %old22 = load i64, ptr %s, align 4
  %i23 = load i64, ptr %i, align 4
  %j24 = load i64, ptr %j, align 4
  %mul25 = mul i64 %i23, %j24
  %add26 = add i64 %old22, %mul25
  store i64 %add26, ptr %s, align 4
  br label %loop.step18

loop.step18:                                      ; preds = %loop.body17
  %old27 = load i64, ptr %j, align 4
  %add28 = add i64 %old27, 1
  store i64 %add28, ptr %j, align 4
  br label %loop.cond16

loop.end7:                                        ; preds = %loop.cond16, %loop.cond
  %old29 = load i64, ptr %s, align 4
  %add30 = add i64 %old29, 1
  store i64 %add30, ptr %s, align 4
  br label %osr.step

osr.step:                                         ; preds = %loop.end7
  %old31 = load i64, ptr %i, align 4
  %add32 = add i64 %old31, 1
  store i64 %add32, ptr %i, align 4
  %n33 = load i64, ptr %n, align 4
  %osr.same34 = icmp eq i64 %n33, 6
  %osr.same35 = and i1 true, %osr.same34
  br i1 %osr.same35, label %osr.special36, label %osr.generic37

osr.special36:                                    ; preds = %osr.step
  store i64 6, ptr %n, align 4
  br label %loop.cond38

loop.cond38:                                      ; preds = %loop.step40, %osr.special36
  %i41 = load i64, ptr %i, align 4
  %cmp42 = icmp slt i64 %i41, 3
  br i1 %cmp42, label %loop.body39, label %loop.end, !prof !1

loop.body39:                                      ; preds = %loop.cond38
  store i64 0, ptr %j, align 4
  br label %loop.cond44

loop.cond44:                                      ; preds = %loop.step46, %loop.body39
  %j47 = load i64, ptr %j, align 4
  %n48 = load i64, ptr %n, align 4
  %cmp49 = icmp slt i64 %j47, %n48
  br i1 %cmp49, label %loop.body45, label %loop.end43, !prof !0

loop.body45:                                      ; preds = %loop.cond44
  %old50 = load i64, ptr %s, align 4
  %i51 = load i64, ptr %i, align 4
  %j52 = load i64, ptr %j, align 4
  %mul53 = mul i64 %i51, %j52
  %add54 = add i64 %old50, %mul53
  store i64 %add54, ptr %s, align 4
  br label %loop.step46

loop.step46:                                      ; preds = %loop.body45
  %old55 = load i64, ptr %j, align 4
  %add56 = add i64 %old55, 1
  store i64 %add56, ptr %j, align 4
  br label %loop.cond44

loop.end43:                                       ; preds = %loop.cond44
  %old57 = load i64, ptr %s, align 4
  %add58 = add i64 %old57, 1
  store i64 %add58, ptr %s, align 4
  br label %loop.step40

loop.step40:                                      ; preds = %loop.end43
  %old59 = load i64, ptr %i, align 4
  %add60 = add i64 %old59, 1
  store i64 %add60, ptr %i, align 4
  br label %loop.cond38

osr.generic37:                                    ; preds = %osr.step
  br label %loop.cond61

loop.cond61:                                      ; preds = %loop.step63, %osr.generic37
  %i64 = load i64, ptr %i, align 4
  %cmp65 = icmp slt i64 %i64, 3
  br i1 %cmp65, label %loop.body62, label %loop.end, !prof !1

loop.body62:                                      ; preds = %loop.cond61
  store i64 0, ptr %j, align 4
  br label %loop.cond67

loop.cond67:                                      ; preds = %loop.step69, %loop.body62
  %j70 = load i64, ptr %j, align 4
  %n71 = load i64, ptr %n, align 4
  %cmp72 = icmp slt i64 %j70, %n71
  br i1 %cmp72, label %loop.body68, label %loop.end66, !prof !0

loop.body68:                                      ; preds = %loop.cond67
  %old73 = load i64, ptr %s, align 4
  %i74 = load i64, ptr %i, align 4
  %j75 = load i64, ptr %j, align 4
  %mul76 = mul i64 %i74, %j75
  %add77 = add i64 %old73, %mul76
  store i64 %add77, ptr %s, align 4
  br label %loop.step69

loop.step69:                                      ; preds = %loop.body68
  %old78 = load i64, ptr %j, align 4
  %add79 = add i64 %old78, 1
  store i64 %add79, ptr %j, align 4
  br label %loop.cond67

loop.end66:                                       ; preds = %loop.cond67
  %old80 = load i64, ptr %s, align 4
  %add81 = add i64 %old80, 1
  store i64 %add81, ptr %s, align 4
  br label %loop.step63

loop.step63:                                      ; preds = %loop.end66
  %old82 = load i64, ptr %i, align 4
  %add83 = add i64 %old82, 1
  store i64 %add83, ptr %i, align 4
  br label %loop.cond61

loop.end:                                         ; preds = %loop.cond61, %loop.cond38
  %s84 = load i64, ptr %s, align 4
  %0 = call i32 (ptr, ...) @printf(ptr @lc.str.5543260588883e3802bf9f8bb910e854, i64 %s84)
  ret i32 0
}

declare i32 @printf(ptr, ...)

attributes #0 = { nounwind null_pointer_is_valid "disable-tail-calls"="true" "probe-stack"="inline-asm" "tune-cpu"="generic" }

!0 = !{!"branch_weights", i32 4, i32 2}
!1 = !{!"branch_weights", i32 1, i32 2}
