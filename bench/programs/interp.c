/* interp.c — C twin of interp.lc. The dispatch is the same if/else-if chain as in the LC
 * version (LC has no switch); clang may turn either into a jump table. Arithmetic on
 * registers goes through uint64_t to mirror LC's wrapping semantics. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct Insn {
    int32_t op, a, b, c;
} Insn;

typedef struct Code {
    Insn *ins;
    int64_t len;
} Code;

enum {
    OP_HALT = 0,
    OP_LOADI = 1,
    OP_MOV = 2,
    OP_ADD = 3,
    OP_SUB = 4,
    OP_MUL = 5,
    OP_MOD = 6,
    OP_ADDI = 7,
    OP_SHRI = 8,
    OP_ANDI = 9,
    OP_JMP = 10,
    OP_JLT = 11,
    OP_JEQ = 12,
    OP_JNE = 13,
};

#define NREGS 16

static int64_t emit(Code *code, int32_t op, int32_t a, int32_t b, int32_t c) {
    Insn ins = {op, a, b, c};
    code->ins[code->len] = ins;
    code->len += 1;
    return code->len - 1;
}

static void patch(Code *code, int64_t at, int64_t target) {
    if (code->ins[at].op == OP_JMP) {
        code->ins[at].a = (int32_t)target;
    } else {
        code->ins[at].c = (int32_t)target;
    }
}

static int64_t run(const Insn *code, int64_t input, int64_t *out) {
    int64_t reg[16] = {0};
    reg[0] = input;
    int64_t pc = 0;
    int64_t steps = 0;
    for (;;) {
        Insn ins = code[pc];
        steps += 1;
        pc += 1;
        int32_t op = ins.op;
        if (op == OP_ADDI) {
            reg[ins.a] = (int64_t)((uint64_t)reg[ins.b] + (uint64_t)(int64_t)ins.c);
        } else if (op == OP_JEQ) {
            if (reg[ins.a] == reg[ins.b]) pc = (int64_t)ins.c;
        } else if (op == OP_JLT) {
            if (reg[ins.a] < reg[ins.b]) pc = (int64_t)ins.c;
        } else if (op == OP_JMP) {
            pc = (int64_t)ins.a;
        } else if (op == OP_MUL) {
            reg[ins.a] = (int64_t)((uint64_t)reg[ins.b] * (uint64_t)reg[ins.c]);
        } else if (op == OP_MOD) {
            reg[ins.a] = reg[ins.b] % reg[ins.c];
        } else if (op == OP_ANDI) {
            reg[ins.a] = reg[ins.b] & (int64_t)ins.c;
        } else if (op == OP_SHRI) {
            reg[ins.a] = reg[ins.b] >> ((int64_t)ins.c & 63);
        } else if (op == OP_ADD) {
            reg[ins.a] = (int64_t)((uint64_t)reg[ins.b] + (uint64_t)reg[ins.c]);
        } else if (op == OP_SUB) {
            reg[ins.a] = (int64_t)((uint64_t)reg[ins.b] - (uint64_t)reg[ins.c]);
        } else if (op == OP_JNE) {
            if (reg[ins.a] != reg[ins.b]) pc = (int64_t)ins.c;
        } else if (op == OP_MOV) {
            reg[ins.a] = reg[ins.b];
        } else if (op == OP_LOADI) {
            reg[ins.a] = (int64_t)ins.b;
        } else if (op == OP_HALT) {
            break;
        } else {
            printf("bad opcode %d at %lld\n", op, (long long)(pc - 1));
            break;
        }
    }
    for (int64_t i = 0; i < NREGS; i += 1) out[i] = reg[i];
    return steps;
}

static void build_primes(Code *code) {
    emit(code, OP_LOADI, 1, 0, 0);
    emit(code, OP_LOADI, 2, 0, 0);
    emit(code, OP_LOADI, 3, 2, 0);
    emit(code, OP_LOADI, 6, 0, 0);
    int64_t l_outer = emit(code, OP_JLT, 0, 3, -1);
    emit(code, OP_LOADI, 4, 2, 0);
    int64_t l_inner = emit(code, OP_MUL, 5, 4, 4);
    int64_t j_prime = emit(code, OP_JLT, 3, 5, -1);
    emit(code, OP_MOD, 5, 3, 4);
    int64_t j_composite = emit(code, OP_JEQ, 5, 6, -1);
    emit(code, OP_ADDI, 4, 4, 1);
    emit(code, OP_JMP, (int32_t)l_inner, 0, 0);
    int64_t l_prime = emit(code, OP_ADDI, 1, 1, 1);
    emit(code, OP_ADD, 2, 2, 3);
    int64_t l_composite = emit(code, OP_ADDI, 3, 3, 1);
    emit(code, OP_JMP, (int32_t)l_outer, 0, 0);
    int64_t l_end = emit(code, OP_HALT, 0, 0, 0);
    patch(code, l_outer, l_end);
    patch(code, j_prime, l_prime);
    patch(code, j_composite, l_composite);
}

static void build_collatz(Code *code) {
    emit(code, OP_LOADI, 1, 1, 0);
    emit(code, OP_LOADI, 10, 0, 0);
    emit(code, OP_LOADI, 11, 1, 0);
    emit(code, OP_LOADI, 12, 0, 0);
    emit(code, OP_LOADI, 13, 3, 0);
    emit(code, OP_LOADI, 7, 0, 0);
    emit(code, OP_LOADI, 8, 0, 0);
    int64_t l_outer = emit(code, OP_JLT, 0, 1, -1);
    emit(code, OP_MOV, 2, 1, 0);
    emit(code, OP_LOADI, 9, 0, 0);
    int64_t l_loop = emit(code, OP_JEQ, 2, 11, -1);
    emit(code, OP_ANDI, 3, 2, 1);
    int64_t j_even = emit(code, OP_JEQ, 3, 12, -1);
    emit(code, OP_MUL, 2, 2, 13);
    emit(code, OP_ADDI, 2, 2, 1);
    emit(code, OP_ADDI, 9, 9, 1);
    emit(code, OP_JMP, (int32_t)l_loop, 0, 0);
    int64_t l_even = emit(code, OP_SHRI, 2, 2, 1);
    emit(code, OP_ADDI, 9, 9, 1);
    emit(code, OP_JMP, (int32_t)l_loop, 0, 0);
    int64_t l_next = emit(code, OP_ADD, 10, 10, 9);
    int64_t j_notbest = emit(code, OP_JLT, 9, 7, -1);
    int64_t j_same = emit(code, OP_JEQ, 9, 7, -1);
    emit(code, OP_MOV, 7, 9, 0);
    emit(code, OP_MOV, 8, 1, 0);
    int64_t l_skip = emit(code, OP_ADDI, 1, 1, 1);
    emit(code, OP_JMP, (int32_t)l_outer, 0, 0);
    int64_t l_end = emit(code, OP_HALT, 0, 0, 0);
    patch(code, l_outer, l_end);
    patch(code, l_loop, l_next);
    patch(code, j_even, l_even);
    patch(code, j_notbest, l_skip);
    patch(code, j_same, l_skip);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        printf("usage: interp PRIME_LIMIT COLLATZ_LIMIT\n");
        return 1;
    }
    int64_t prime_limit = atoi(argv[1]);
    int64_t collatz_limit = atoi(argv[2]);
    int64_t regs[16] = {0};

    Code primes = {malloc(64 * sizeof(Insn)), 0};
    build_primes(&primes);
    int64_t n1 = run(primes.ins, prime_limit, &regs[0]);
    printf("primes <= %lld: count %lld, sum %lld (%lld instructions)\n", (long long)prime_limit,
           (long long)regs[1], (long long)regs[2], (long long)n1);

    Code collatz = {malloc(64 * sizeof(Insn)), 0};
    build_collatz(&collatz);
    int64_t n2 = run(collatz.ins, collatz_limit, &regs[0]);
    printf("collatz 1..%lld: total steps %lld, longest %lld (start %lld) (%lld instructions)\n",
           (long long)collatz_limit, (long long)regs[10], (long long)regs[7], (long long)regs[8], (long long)n2);

    free(primes.ins);
    free(collatz.ins);
    return 0;
}
