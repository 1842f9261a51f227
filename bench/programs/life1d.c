/* life1d.c — C twin of life1d.lc. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc < 4) {
        printf("usage: life1d RULE WIDTH STEPS\n");
        return 1;
    }
    uint32_t rule = (uint32_t)atoi(argv[1]);
    int32_t width = atoi(argv[2]);
    int32_t steps = atoi(argv[3]);
    if (rule > 255u || width < 3) {
        printf("need RULE <= 255 and WIDTH >= 3\n");
        return 1;
    }
    uint8_t *cur = malloc((size_t)width), *next = malloc((size_t)width);
    uint32_t seed = 2463534242u;
    for (int32_t i = 0; i < width; i += 1) {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        cur[i] = (uint8_t)(seed & 1u);
    }
    uint64_t history = 0;
    for (int32_t s = 0; s < steps; s += 1) {
        int32_t live = 0;
        for (int32_t i = 0; i < width; i += 1) {
            uint32_t l = cur[(i + width - 1) % width];
            uint32_t c = cur[i];
            uint32_t r = cur[(i + 1) % width];
            uint8_t v = (uint8_t)((rule >> ((l << 2) | (c << 1) | r)) & 1u);
            next[i] = v;
            live += v;
        }
        history = history * 31u + (uint64_t)live;
        uint8_t *t = cur;
        cur = next;
        next = t;
    }
    int32_t tail = 0;
    for (int32_t i = 0; i < 64 && i < width; i += 1) {
        tail = tail * 2 + cur[i];
        tail &= 0xFFFFFF;
    }
    printf("life1d: rule %u, %d cells, %d steps: history %llu, tail %d\n", rule, width, steps, (unsigned long long)history, tail);
    return 0;
}
