/* bits.c — C twin of bits.lc: @popcount/@clz/@ctz/@bswap map to the __builtin_ equivalents. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t rotl(uint64_t x, uint64_t k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rev64(uint64_t v) {
    uint64_t x = v;
    x = ((x >> 1) & 0x5555555555555555ULL) | ((x & 0x5555555555555555ULL) << 1);
    x = ((x >> 2) & 0x3333333333333333ULL) | ((x & 0x3333333333333333ULL) << 2);
    x = ((x >> 4) & 0x0F0F0F0F0F0F0F0FULL) | ((x & 0x0F0F0F0F0F0F0F0FULL) << 4);
    return __builtin_bswap64(x);
}

static uint64_t next_pow2(uint64_t x) { return 1ULL << (64ULL - (uint64_t)__builtin_clzll(x - 1)); }

static uint64_t select_bit(uint64_t v, uint64_t k) {
    uint64_t x = v;
    for (uint64_t i = 0; i < k; i += 1) x &= x - 1;
    return (uint64_t)__builtin_ctzll(x);
}

static uint64_t next_same_popcount(uint64_t x) {
    uint64_t c = x & (0ULL - x);
    uint64_t r = x + c;
    return (((r ^ x) >> 2) / c) | r;
}

#define POP64(x) ((uint64_t)__builtin_popcountll(x))
#define CLZ64(x) ((uint64_t)__builtin_clzll(x))
#define CTZ64(x) ((uint64_t)__builtin_ctzll(x))
#define POP32(x) ((uint32_t)__builtin_popcount(x))
#define CLZ32(x) ((uint32_t)__builtin_clz(x))
#define CTZ32(x) ((uint32_t)__builtin_ctz(x))

int main(int argc, char **argv) {
    int64_t iters = 1000;
    if (argc > 1) iters = (int64_t)atoi(argv[1]);
    uint64_t s = 0x9E3779B97F4A7C15ULL;
    uint64_t acc = 0, pop_total = 0;
    uint32_t acc32 = 0;
    uint16_t acc16 = 0;
    uint8_t acc8 = 0;
    for (int64_t i = 0; i < iters; i += 1) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        uint64_t y = s ^ (s >> 29);

        pop_total += POP64(y);
        acc += CLZ64(y | 1) * 3;
        acc ^= CTZ64(y | 0x8000000000000000ULL) << 7;
        acc += __builtin_bswap64(y) >> 40;
        acc ^= rev64(y) & 0xFFFF;
        acc += next_pow2((y >> 2) | 2) >> 50;
        acc = rotl(acc, (POP64(y) & 63) | 1);
        uint64_t parity = POP64(y ^ acc) & 1;
        acc += parity;
        if (POP64(y) > 8) acc ^= select_bit(y, 8);
        uint64_t g = next_same_popcount((y >> 4) | 1);
        acc += POP64(g) ^ CTZ64(g);

        uint32_t lo = (uint32_t)y;
        uint32_t hi = (uint32_t)(y >> 32);
        acc32 += POP32(lo) + CLZ32(hi | 1) * 5u + CTZ32(lo | 0x80000000u);
        acc32 ^= __builtin_bswap32(lo ^ acc32);
        acc32 = (acc32 << 3) | (acc32 >> 29);

        uint16_t h = (uint16_t)(y >> 17);
        acc16 ^= __builtin_bswap16(h);
        acc16 = (uint16_t)((uint16_t)(acc16 << 1) | (uint16_t)(acc16 >> 15));
        uint8_t b = (uint8_t)(y >> 51);
        acc8 = (uint8_t)(acc8 + (uint8_t)__builtin_popcount(b) + (uint8_t)(__builtin_clz((uint32_t)(b | 1)) - 24) +
                         (uint8_t)__builtin_ctz((uint32_t)(b | 0x80)));
    }
    printf("bits: %lld iterations\n", (long long)iters);
    printf("acc %llu pop %llu\n", (unsigned long long)acc, (unsigned long long)pop_total);
    printf("acc32 %u acc16 %u acc8 %u\n", acc32, (uint32_t)acc16, (uint32_t)acc8);
    return 0;
}
