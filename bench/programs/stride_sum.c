/* stride_sum.c — C twin of stride_sum.lc. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t rng_state = 12345;

static uint64_t rand_u64(void) {
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return rng_state >> 16;
}

static int64_t strided(const int64_t *p, int32_t count, int32_t stride) {
    int64_t s = 0;
    for (int32_t i = 0; i < count; i += 1) s += p[i * stride];
    return s;
}

static uint64_t round_(int64_t *data, int32_t len, int32_t count, int32_t stride, int32_t r) {
    int32_t span = (count - 1) * stride + 1;
    uint64_t h = 0;
    for (int32_t base = 0; base + span <= len; base += 1)
        h = h * 31 + (uint64_t)strided(data + base, count, stride);
    data[(r * 7919) % len] += (int64_t)(r % 1000);
    return h;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        printf("usage: stride_sum LEN COUNT STRIDE ROUNDS\n");
        return 1;
    }
    int32_t len = atoi(argv[1]), count = atoi(argv[2]), stride = atoi(argv[3]), rounds = atoi(argv[4]);
    if (count < 1 || stride < 1 || (count - 1) * stride >= len) {
        printf("need COUNT >= 1, STRIDE >= 1 and (COUNT - 1) * STRIDE < LEN\n");
        return 1;
    }
    int64_t *data = malloc((uint64_t)len * sizeof(int64_t));
    for (int32_t i = 0; i < len; i += 1) data[i] = (int64_t)(rand_u64() % 1000000);
    uint64_t checksum = 0;
    for (int32_t r = 0; r < rounds; r += 1)
        checksum = ((checksum << 7) | (checksum >> 57)) ^ round_(data, len, count, stride, r);
    int64_t total = 0;
    for (int32_t i = 0; i < len; i += 1) total += data[i];
    printf("stride_sum len=%d count=%d stride=%d rounds=%d\n", len, count, stride, rounds);
    printf("checksum %llu\n", (unsigned long long)checksum);
    printf("data total %lld, first view %lld\n", (long long)total, (long long)strided(data, count, stride));
    free(data);
    return 0;
}
