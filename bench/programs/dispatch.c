/* dispatch.c — C twin of dispatch.lc. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define MISSING ((int64_t)-1)

typedef int64_t (*map_fn)(int64_t);

static uint64_t rng_state = 8675309;

static uint64_t rand_u64(void) {
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return rng_state >> 16;
}

static int64_t square(int64_t x) { return x * x; }

static int64_t triangle(int64_t x) { return x * (x + 1) / 2; }

static int64_t collatz(int64_t x) { return (x & 1) == 0 ? x / 2 : 3 * x + 1; }

static int64_t digit_sum(int64_t x) {
    int64_t v = x, s = 0;
    while (v > 0) {
        s += v % 10;
        v /= 10;
    }
    return s;
}

static const map_fn FUNCS[4] = {square, triangle, collatz, digit_sum};
static const char *const NAMES[4] = {"square", "triangle", "collatz", "digit_sum"};

static int64_t repair(const int64_t *xs, int32_t i, int32_t n) {
    int32_t l = i - 1;
    while (l >= 0 && xs[l] == MISSING) l -= 1;
    int32_t r = i + 1;
    while (r < n && xs[r] == MISSING) r += 1;
    if (l < 0 && r >= n) return 0;
    if (l < 0) return xs[r];
    if (r >= n) return xs[l];
    return (xs[l] + xs[r]) / 2;
}

static int64_t apply(map_fn f, const int64_t *xs, int32_t n) {
    int64_t acc = 0;
    for (int32_t i = 0; i < n; i += 1) {
        int64_t x = xs[i];
        if (x == MISSING) x = repair(xs, i, n);
        acc += f(x);
    }
    return acc;
}

static uint64_t trial(map_fn f, int64_t *xs, int32_t len, int32_t slice, int32_t t) {
    uint64_t h = 0;
    for (int32_t off = t % slice; off + slice <= len; off += slice)
        h = h * 1000003 + (uint64_t)apply(f, xs + off, slice);
    int32_t j = (t * 7919) % len;
    if (xs[j] != MISSING) xs[j] = (xs[j] + (int64_t)t) % 1000000;
    return h;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        printf("usage: dispatch FUNC LEN SLICE TRIALS\n");
        return 1;
    }
    int32_t which = atoi(argv[1]), len = atoi(argv[2]), slice = atoi(argv[3]), trials = atoi(argv[4]);
    if (which < 0 || which > 3 || slice < 1 || slice > len) {
        printf("need 0 <= FUNC <= 3 and 1 <= SLICE <= LEN\n");
        return 1;
    }
    map_fn f = FUNCS[which];
    int64_t *xs = malloc((uint64_t)len * sizeof(int64_t));
    int32_t missing = 0;
    for (int32_t i = 0; i < len; i += 1) {
        uint64_t r = rand_u64();
        if (r % 100 == 0) {
            xs[i] = MISSING;
            missing += 1;
        } else {
            xs[i] = (int64_t)((r >> 8) % 1000000);
        }
    }
    uint64_t checksum = 0;
    for (int32_t t = 0; t < trials; t += 1)
        checksum = ((checksum << 5) | (checksum >> 59)) ^ trial(f, xs, len, slice, t);
    printf("dispatch f=%s len=%d slice=%d trials=%d missing=%d\n", NAMES[which], len, slice, trials,
           missing);
    printf("checksum %llu\n", (unsigned long long)checksum);
    printf("whole series %lld\n", (long long)apply(f, xs, len));
    free(xs);
    return 0;
}
