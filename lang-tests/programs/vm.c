// vm.c — C twin of vm.lc
#include <stdio.h>
#include <stdbool.h>
#include <string.h>

typedef long long i64;
typedef unsigned long long u64;
typedef int i32;
typedef unsigned char u8;

enum {
    OP_HALT, OP_PUSH, OP_POP, OP_DUP, OP_SWAP, OP_OVER, OP_ADD, OP_SUB, OP_MUL, OP_DIV,
    OP_MOD, OP_LT, OP_EQ, OP_JMP, OP_JZ, OP_JNZ, OP_LOAD, OP_STORE, OP_CALL, OP_RET,
    OP_PRINT, OP_NOT, NUM_OPS
};

#define STACK_SIZE 256
#define RSTACK_SIZE 64
#define STEP_LIMIT 50000000ULL

typedef struct Instr {
    u8 op;
    i64 arg;
} Instr;

typedef struct VM {
    Instr *code;
    i64 ncode;
    i64 stack[256];
    i64 sp;
    i64 rstack[64];
    i64 rsp;
    i64 globals[16];
    i64 pc;
    i64 cur;
    bool running;
    bool failed;
    u64 steps;
    i64 max_depth;
    i64 max_calls;
    u64 out_hash;
} VM;

typedef struct Asm {
    Instr code[256];
    i64 n;
    i64 labels[32];
    i64 fix_at[64];
    i32 fix_label[64];
    i64 nfix;
} Asm;

typedef void (*Handler)(VM *, i64);
static Handler handlers[22];
static const char *op_names[22];
static bool op_has_arg[22];

static i64 max64(i64 a, i64 b) { return a > b ? a : b; }

static void vm_error(VM *vm, const char *msg) {
    if (vm->running) printf("  vm error at pc %lld: %s\n", vm->cur, msg);
    vm->running = false;
    vm->failed = true;
}

static void push(VM *vm, i64 v) {
    if (vm->sp >= STACK_SIZE) {
        vm_error(vm, "stack overflow");
        return;
    }
    vm->stack[vm->sp] = v;
    vm->sp += 1;
    vm->max_depth = max64(vm->max_depth, vm->sp);
}

static i64 pop(VM *vm) {
    if (vm->sp <= 0) {
        vm_error(vm, "stack underflow");
        return 0;
    }
    vm->sp -= 1;
    return vm->stack[vm->sp];
}

static i64 wneg(i64 a) { return (i64)(0ULL - (u64)a); }

static void op_halt(VM *vm, i64 arg) { (void)arg; vm->running = false; }
static void op_push(VM *vm, i64 arg) { push(vm, arg); }
static void op_pop(VM *vm, i64 arg) { (void)arg; pop(vm); }
static void op_dup(VM *vm, i64 arg) { (void)arg; i64 v = pop(vm); push(vm, v); push(vm, v); }
static void op_swap(VM *vm, i64 arg) { (void)arg; i64 b = pop(vm); i64 a = pop(vm); push(vm, b); push(vm, a); }
static void op_over(VM *vm, i64 arg) {
    (void)arg;
    i64 b = pop(vm);
    i64 a = pop(vm);
    push(vm, a);
    push(vm, b);
    push(vm, a);
}
static void op_add(VM *vm, i64 arg) { (void)arg; i64 b = pop(vm); i64 a = pop(vm); push(vm, (i64)((u64)a + (u64)b)); }
static void op_sub(VM *vm, i64 arg) { (void)arg; i64 b = pop(vm); i64 a = pop(vm); push(vm, (i64)((u64)a - (u64)b)); }
static void op_mul(VM *vm, i64 arg) { (void)arg; i64 b = pop(vm); i64 a = pop(vm); push(vm, (i64)((u64)a * (u64)b)); }
static void op_div(VM *vm, i64 arg) {
    (void)arg;
    i64 b = pop(vm);
    i64 a = pop(vm);
    if (b == 0) {
        vm_error(vm, "division by zero");
        return;
    }
    push(vm, b == -1 ? wneg(a) : a / b);
}
static void op_mod(VM *vm, i64 arg) {
    (void)arg;
    i64 b = pop(vm);
    i64 a = pop(vm);
    if (b == 0) {
        vm_error(vm, "division by zero");
        return;
    }
    push(vm, b == -1 ? 0 : a % b);
}
static void op_lt(VM *vm, i64 arg) { (void)arg; i64 b = pop(vm); i64 a = pop(vm); push(vm, (i64)(a < b)); }
static void op_eq(VM *vm, i64 arg) { (void)arg; i64 b = pop(vm); i64 a = pop(vm); push(vm, (i64)(a == b)); }
static void op_not(VM *vm, i64 arg) { (void)arg; push(vm, (i64)(pop(vm) == 0)); }
static void op_jmp(VM *vm, i64 arg) { vm->pc = arg; }
static void op_jz(VM *vm, i64 arg) { if (pop(vm) == 0) vm->pc = arg; }
static void op_jnz(VM *vm, i64 arg) { if (pop(vm) != 0) vm->pc = arg; }
static void op_load(VM *vm, i64 arg) { push(vm, vm->globals[arg]); }
static void op_store(VM *vm, i64 arg) { i64 v = pop(vm); vm->globals[arg] = v; }
static void op_call(VM *vm, i64 arg) {
    if (vm->rsp >= RSTACK_SIZE) {
        vm_error(vm, "call stack overflow");
        return;
    }
    vm->rstack[vm->rsp] = vm->pc;
    vm->rsp += 1;
    vm->max_calls = max64(vm->max_calls, vm->rsp);
    vm->pc = arg;
}
static void op_ret(VM *vm, i64 arg) {
    (void)arg;
    if (vm->rsp == 0) {
        vm_error(vm, "return with empty call stack");
        return;
    }
    vm->rsp -= 1;
    vm->pc = vm->rstack[vm->rsp];
}
static void op_print(VM *vm, i64 arg) {
    (void)arg;
    i64 v = pop(vm);
    if (vm->running) {
        printf("  out: %lld\n", v);
        vm->out_hash = vm->out_hash * 1000003 + (u64)v;
    }
}

static void def(u8 op, const char *name, Handler f, bool has_arg) {
    handlers[op] = f;
    op_names[op] = name;
    op_has_arg[op] = has_arg;
}

static void init_tables(void) {
    def(OP_HALT, "halt", op_halt, false);
    def(OP_PUSH, "push", op_push, true);
    def(OP_POP, "pop", op_pop, false);
    def(OP_DUP, "dup", op_dup, false);
    def(OP_SWAP, "swap", op_swap, false);
    def(OP_OVER, "over", op_over, false);
    def(OP_ADD, "add", op_add, false);
    def(OP_SUB, "sub", op_sub, false);
    def(OP_MUL, "mul", op_mul, false);
    def(OP_DIV, "div", op_div, false);
    def(OP_MOD, "mod", op_mod, false);
    def(OP_LT, "lt", op_lt, false);
    def(OP_EQ, "eq", op_eq, false);
    def(OP_JMP, "jmp", op_jmp, true);
    def(OP_JZ, "jz", op_jz, true);
    def(OP_JNZ, "jnz", op_jnz, true);
    def(OP_LOAD, "load", op_load, true);
    def(OP_STORE, "store", op_store, true);
    def(OP_CALL, "call", op_call, true);
    def(OP_RET, "ret", op_ret, false);
    def(OP_PRINT, "print", op_print, false);
    def(OP_NOT, "not", op_not, false);
}

static void vm_run(VM *vm) {
    vm->running = true;
    while (vm->running) {
        if (vm->pc < 0 || vm->pc >= vm->ncode) {
            vm->cur = vm->pc;
            vm_error(vm, "pc out of range");
            break;
        }
        if (vm->steps >= STEP_LIMIT) {
            vm_error(vm, "step limit reached");
            break;
        }
        Instr ins = vm->code[vm->pc];
        vm->cur = vm->pc;
        vm->pc += 1;
        vm->steps += 1;
        handlers[ins.op](vm, ins.arg);
    }
}

static void asm_reset(Asm *a) {
    a->n = 0;
    a->nfix = 0;
    for (i32 i = 0; i < 32; i += 1) a->labels[i] = -1;
}

static void emit(Asm *a, u8 op, i64 arg) {
    Instr ins = { op, arg };
    a->code[a->n] = ins;
    a->n += 1;
}

static void op0(Asm *a, u8 op) { emit(a, op, 0); }

static void jump(Asm *a, u8 op, i32 label) {
    a->fix_at[a->nfix] = a->n;
    a->fix_label[a->nfix] = label;
    a->nfix += 1;
    emit(a, op, -1);
}

static void label(Asm *a, i32 id) { a->labels[id] = a->n; }

static bool asm_finish(Asm *a) {
    for (i64 i = 0; i < a->nfix; i += 1) {
        i64 target = a->labels[a->fix_label[i]];
        if (target < 0) {
            printf("  undefined label %d\n", a->fix_label[i]);
            return false;
        }
        a->code[a->fix_at[i]].arg = target;
    }
    return true;
}

static void disassemble(Asm *a) {
    for (i64 i = 0; i < a->n; i += 1) {
        Instr *ins = &a->code[i];
        if (op_has_arg[ins->op]) printf("  %3lld  %-6s %lld\n", i, op_names[ins->op], ins->arg);
        else printf("  %3lld  %s\n", i, op_names[ins->op]);
    }
}

static void run_program(const char *name, Asm *a, bool show) {
    printf("== %s (%lld instructions)\n", name, a->n);
    if (!asm_finish(a)) return;
    if (show) disassemble(a);
    VM vm;
    memset(&vm, 0, sizeof vm);
    vm.code = &a->code[0];
    vm.ncode = a->n;
    vm_run(&vm);
    printf("  steps=%llu max_stack=%lld max_calls=%lld final_sp=%lld %s hash=%llu\n",
           vm.steps, vm.max_depth, vm.max_calls, vm.sp, vm.failed ? "FAILED" : "ok", vm.out_hash);
}

static void build_fib(Asm *a, i64 n) {
    asm_reset(a);
    emit(a, OP_PUSH, n);
    jump(a, OP_CALL, 1);
    op0(a, OP_PRINT);
    op0(a, OP_HALT);
    label(a, 1);
    op0(a, OP_DUP);
    emit(a, OP_PUSH, 2);
    op0(a, OP_LT);
    jump(a, OP_JNZ, 2);
    op0(a, OP_DUP);
    emit(a, OP_PUSH, 1);
    op0(a, OP_SUB);
    jump(a, OP_CALL, 1);
    op0(a, OP_SWAP);
    emit(a, OP_PUSH, 2);
    op0(a, OP_SUB);
    jump(a, OP_CALL, 1);
    op0(a, OP_ADD);
    label(a, 2);
    op0(a, OP_RET);
}

static void build_factorials(Asm *a) {
    asm_reset(a);
    emit(a, OP_PUSH, 1);
    emit(a, OP_STORE, 0);
    emit(a, OP_PUSH, 1);
    emit(a, OP_STORE, 1);
    label(a, 0);
    emit(a, OP_LOAD, 0);
    emit(a, OP_PUSH, 21);
    op0(a, OP_LT);
    jump(a, OP_JZ, 1);
    emit(a, OP_LOAD, 1);
    emit(a, OP_LOAD, 0);
    op0(a, OP_MUL);
    op0(a, OP_DUP);
    emit(a, OP_STORE, 1);
    op0(a, OP_PRINT);
    emit(a, OP_LOAD, 0);
    emit(a, OP_PUSH, 1);
    op0(a, OP_ADD);
    emit(a, OP_STORE, 0);
    jump(a, OP_JMP, 0);
    label(a, 1);
    op0(a, OP_HALT);
}

static void build_collatz(Asm *a, i64 limit) {
    asm_reset(a);
    emit(a, OP_PUSH, 1);
    emit(a, OP_STORE, 0);
    label(a, 0);
    emit(a, OP_LOAD, 0);
    emit(a, OP_PUSH, limit);
    op0(a, OP_LT);
    jump(a, OP_JZ, 6);
    emit(a, OP_LOAD, 0);
    emit(a, OP_STORE, 3);
    emit(a, OP_PUSH, 1);
    emit(a, OP_STORE, 4);
    label(a, 1);
    emit(a, OP_LOAD, 3);
    emit(a, OP_PUSH, 1);
    op0(a, OP_EQ);
    jump(a, OP_JNZ, 4);
    emit(a, OP_LOAD, 3);
    emit(a, OP_PUSH, 2);
    op0(a, OP_MOD);
    jump(a, OP_JZ, 2);
    emit(a, OP_LOAD, 3);
    emit(a, OP_PUSH, 3);
    op0(a, OP_MUL);
    emit(a, OP_PUSH, 1);
    op0(a, OP_ADD);
    emit(a, OP_STORE, 3);
    jump(a, OP_JMP, 3);
    label(a, 2);
    emit(a, OP_LOAD, 3);
    emit(a, OP_PUSH, 2);
    op0(a, OP_DIV);
    emit(a, OP_STORE, 3);
    label(a, 3);
    emit(a, OP_LOAD, 4);
    emit(a, OP_PUSH, 1);
    op0(a, OP_ADD);
    emit(a, OP_STORE, 4);
    jump(a, OP_JMP, 1);
    label(a, 4);
    emit(a, OP_LOAD, 2);
    emit(a, OP_LOAD, 4);
    op0(a, OP_LT);
    jump(a, OP_JZ, 5);
    emit(a, OP_LOAD, 4);
    emit(a, OP_STORE, 2);
    emit(a, OP_LOAD, 0);
    emit(a, OP_STORE, 1);
    label(a, 5);
    emit(a, OP_LOAD, 0);
    emit(a, OP_PUSH, 1);
    op0(a, OP_ADD);
    emit(a, OP_STORE, 0);
    jump(a, OP_JMP, 0);
    label(a, 6);
    emit(a, OP_LOAD, 1);
    op0(a, OP_PRINT);
    emit(a, OP_LOAD, 2);
    op0(a, OP_PRINT);
    op0(a, OP_HALT);
}

static void build_gcd(Asm *a) {
    asm_reset(a);
    const i64 pairs[3][2] = { { 1071, 462 }, { 832040, 514229 }, { -48, 18 } };
    for (i32 i = 0; i < 3; i += 1) {
        emit(a, OP_PUSH, pairs[i][0]);
        emit(a, OP_PUSH, pairs[i][1]);
        jump(a, OP_CALL, 0);
        op0(a, OP_PRINT);
    }
    op0(a, OP_HALT);
    label(a, 0);
    op0(a, OP_DUP);
    jump(a, OP_JZ, 1);
    op0(a, OP_SWAP);
    op0(a, OP_OVER);
    op0(a, OP_MOD);
    jump(a, OP_CALL, 0);
    op0(a, OP_RET);
    label(a, 1);
    op0(a, OP_POP);
    op0(a, OP_RET);
}

int main(void) {
    init_tables();
    static Asm a;

    build_gcd(&a);
    run_program("gcd", &a, true);

    build_fib(&a, 20);
    run_program("fib(20)", &a, false);

    build_factorials(&a);
    run_program("factorials", &a, false);

    build_collatz(&a, 3000);
    run_program("collatz < 3000", &a, false);

    asm_reset(&a);
    emit(&a, OP_PUSH, 7);
    emit(&a, OP_PUSH, 0);
    op0(&a, OP_DIV);
    op0(&a, OP_PRINT);
    op0(&a, OP_HALT);
    run_program("divide by zero", &a, false);

    asm_reset(&a);
    emit(&a, OP_PUSH, 1);
    op0(&a, OP_ADD);
    op0(&a, OP_HALT);
    run_program("underflow", &a, false);

    asm_reset(&a);
    label(&a, 0);
    emit(&a, OP_PUSH, 9);
    jump(&a, OP_CALL, 0);
    run_program("runaway recursion", &a, false);

    asm_reset(&a);
    emit(&a, OP_PUSH, 1);
    jump(&a, OP_JMP, 3);
    run_program("bad label", &a, false);

    asm_reset(&a);
    emit(&a, OP_PUSH, -9223372036854775807LL);
    emit(&a, OP_PUSH, 1);
    op0(&a, OP_SUB);
    op0(&a, OP_DUP);
    emit(&a, OP_PUSH, -1);
    op0(&a, OP_DIV);
    op0(&a, OP_PRINT);
    emit(&a, OP_PUSH, 1);
    op0(&a, OP_SUB);
    op0(&a, OP_PRINT);
    op0(&a, OP_HALT);
    run_program("wraparound", &a, false);
    return 0;
}
