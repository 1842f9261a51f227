/* bitpack.c — C twin of bitpack.lc. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc < 6) {
        printf("usage: bitpack BITS_A BITS_B BITS_C RECORDS ROUNDS\n");
        return 1;
    }
    uint64_t wa = (uint64_t)atoi(argv[1]), wb = (uint64_t)atoi(argv[2]), wc = (uint64_t)atoi(argv[3]);
    int64_t records = atoi(argv[4]);
    int32_t rounds = atoi(argv[5]);
    if (wa < 1 || wa > 32 || wb < 1 || wb > 32 || wc < 1 || wc > 32 || records < 1) {
        printf("need 1 <= BITS <= 32 and RECORDS >= 1\n");
        return 1;
    }
    uint64_t ma = (1ull << wa) - 1, mb = (1ull << wb) - 1, mc = (1ull << wc) - 1;
    uint64_t rec = wa + wb + wc;
    uint64_t words = ((uint64_t)records * rec + 63) / 64 + 1;
    uint64_t *stream = malloc(words * 8);
    uint64_t state = 0x243F6A8885A308D3ull, check = 0;
    for (int32_t round = 0; round < rounds; round += 1) {
        for (uint64_t w = 0; w < words; w += 1) stream[w] = 0;
        uint64_t bit = 0;
        for (int64_t i = 0; i < records; i += 1) {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            uint64_t v = ((state >> 11) & ma) | (((state >> 29) & mb) << wa) | (((state >> 43) & mc) << (wa + wb));
            uint64_t at = bit >> 6, off = bit & 63;
            stream[at] |= v << off;
            if (off + rec > 64) stream[at + 1] |= v >> (64 - off);
            bit += rec;
        }
        bit = 0;
        uint64_t sum = 0;
        for (int64_t i = 0; i < records; i += 1) {
            uint64_t at = bit >> 6, off = bit & 63;
            uint64_t v = stream[at] >> off;
            if (off + rec > 64) v |= stream[at + 1] << (64 - off);
            uint64_t a = v & ma, b = (v >> wa) & mb, c = (v >> (wa + wb)) & mc;
            sum = sum * 1099511628211ull + (a ^ (b << 1) ^ (c << 2));
            bit += rec;
        }
        check ^= sum + (uint64_t)round;
    }
    printf("bitpack: %lld records of %llu bits, %d rounds: %llu\n", (long long)records, (unsigned long long)rec, rounds, (unsigned long long)check);
    return 0;
}
