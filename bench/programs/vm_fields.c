/* vm_fields.c — C twin of vm_fields.lc. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum { OP_HALT, OP_LOADI, OP_ADD, OP_XOR, OP_MUL, OP_SHRI, OP_SHLI, OP_ADDI, OP_AND, OP_JLT, OP_JNZ, OP_SUB };

static uint32_t encode(uint32_t op, uint32_t a, uint32_t b, uint32_t c, uint32_t opbits, uint32_t regbits) {
    return op | (a << opbits) | (b << (opbits + regbits)) | (c << (opbits + 2u * regbits));
}

int main(int argc, char **argv) {
    if (argc < 5) {
        printf("usage: vm_fields WIDTH OPBITS REGBITS ITERATIONS\n");
        return 1;
    }
    int32_t width = atoi(argv[1]);
    uint32_t opbits = (uint32_t)atoi(argv[2]);
    uint32_t regbits = (uint32_t)atoi(argv[3]);
    int64_t iterations = atoi(argv[4]);
    if (opbits < 4 || opbits > 8 || regbits < 4 || regbits > 6 || width < 1 || width > 4
        || (int32_t)(opbits + 2u * regbits + 6u) > 8 * width) {
        printf("need 4 <= OPBITS <= 8, 4 <= REGBITS <= 6, WIDTH <= 4 bytes to hold them\n");
        return 1;
    }
    uint32_t code[32];
    int64_t n = 0;
    code[n++] = encode(OP_LOADI, 1, 0, 0, opbits, regbits);
    code[n++] = encode(OP_LOADI, 3, 0, 0, opbits, regbits);
    code[n++] = encode(OP_LOADI, 4, 5, 3, opbits, regbits);
    code[n++] = encode(OP_LOADI, 6, 1, 0, opbits, regbits);
    uint32_t top = (uint32_t)n;
    code[n++] = encode(OP_ADD, 5, 1, 4, opbits, regbits);
    code[n++] = encode(OP_SHLI, 7, 5, 13, opbits, regbits);
    code[n++] = encode(OP_XOR, 5, 5, 7, opbits, regbits);
    code[n++] = encode(OP_SHRI, 7, 5, 7, opbits, regbits);
    code[n++] = encode(OP_XOR, 5, 5, 7, opbits, regbits);
    code[n++] = encode(OP_MUL, 5, 5, 4, opbits, regbits);
    code[n++] = encode(OP_SHRI, 8, 5, 11, opbits, regbits);
    code[n++] = encode(OP_LOADI, 9, 15, 0, opbits, regbits);
    code[n++] = encode(OP_AND, 8, 8, 9, opbits, regbits);
    uint32_t inner = (uint32_t)n;
    code[n++] = encode(OP_JNZ, 8, inner + 2u, 0, opbits, regbits);
    code[n++] = encode(OP_JLT, 0, 6, inner + 6u, opbits, regbits);
    code[n++] = encode(OP_SUB, 10, 8, 6, opbits, regbits);
    code[n++] = encode(OP_AND, 8, 8, 10, opbits, regbits);
    code[n++] = encode(OP_ADDI, 3, 3, 1, opbits, regbits);
    code[n++] = encode(OP_JLT, 0, 6, inner, opbits, regbits);
    code[n++] = encode(OP_ADD, 3, 3, 5, opbits, regbits);
    code[n++] = encode(OP_ADDI, 1, 1, 1, opbits, regbits);
    code[n++] = encode(OP_JLT, 1, 2, top, opbits, regbits);
    code[n++] = encode(OP_HALT, 0, 0, 0, opbits, regbits);

    uint8_t bytes[128] = {0};
    for (int32_t i = 0; i < (int32_t)n; i += 1)
        for (int32_t j = 0; j < width; j += 1)
            bytes[i * width + j] = (uint8_t)((code[i] >> (uint32_t)(8 * j)) & 255u);
    uint64_t regs[16] = {0};
    regs[2] = (uint64_t)iterations;
    uint32_t opmask = (1u << opbits) - 1u;
    uint32_t regmask = (1u << regbits) - 1u;
    uint32_t sa = opbits, sb = opbits + regbits, sc = opbits + 2u * regbits;
    uint32_t pc = 0;
    int64_t steps = 0;
    for (;;) {
        uint32_t ins = 0;
        int32_t at = (int32_t)pc * width;
        for (int32_t j = 0; j < width; j += 1) ins |= (uint32_t)bytes[at + j] << (uint32_t)(8 * j);
        uint32_t op = ins & opmask;
        uint32_t a = (ins >> sa) & regmask;
        uint32_t b = (ins >> sb) & regmask;
        uint32_t c = ins >> sc;
        pc += 1u;
        steps += 1;
        if (op == OP_ADD) regs[a] = regs[b] + regs[c & regmask];
        else if (op == OP_XOR) regs[a] = regs[b] ^ regs[c & regmask];
        else if (op == OP_SHRI) regs[a] = regs[b] >> c;
        else if (op == OP_SHLI) regs[a] = regs[b] << c;
        else if (op == OP_AND) regs[a] = regs[b] & regs[c & regmask];
        else if (op == OP_JLT) { if ((int64_t)regs[a] < (int64_t)regs[b]) pc = c; }
        else if (op == OP_JNZ) { if (regs[a] != 0) pc = b; }
        else if (op == OP_ADDI) regs[a] = regs[b] + (uint64_t)c;
        else if (op == OP_SUB) regs[a] = regs[b] - regs[c & regmask];
        else if (op == OP_MUL) regs[a] = regs[b] * regs[c & regmask];
        else if (op == OP_LOADI) regs[a] = (uint64_t)(b | (c << regbits));
        else break;
    }
    printf("vm_fields: %lld instructions, acc %lld\n", (long long)steps, (long long)(int64_t)regs[3]);
    return 0;
}
