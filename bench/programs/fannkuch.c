/* fannkuch.c — C twin of fannkuch.lc. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct Result {
    int32_t checksum;
    int32_t max_flips;
} Result;

static Result fannkuch(int32_t n, int32_t rep) {
    int32_t perm[16] = {0}, perm1[16] = {0}, count[16] = {0};
    int32_t max_flips = 0, perm_count = 0, checksum = 0;
    for (int32_t i = 0; i < n; i += 1) perm1[i] = (i + rep) % n;
    int32_t r = n;
    for (;;) {
        while (r != 1) {
            count[r - 1] = r;
            r -= 1;
        }
        for (int32_t i = 0; i < n; i += 1) perm[i] = perm1[i];
        int32_t flips = 0;
        int32_t k = perm[0];
        while (k != 0) {
            int32_t k2 = (k + 1) >> 1;
            for (int32_t i = 0; i < k2; i += 1) {
                int32_t t = perm[i];
                perm[i] = perm[k - i];
                perm[k - i] = t;
            }
            flips += 1;
            k = perm[0];
        }
        max_flips = max_flips > flips ? max_flips : flips;
        checksum += perm_count % 2 == 0 ? flips : -flips;
        for (;;) {
            if (r == n) {
                Result res = {checksum, max_flips};
                return res;
            }
            int32_t perm0 = perm1[0];
            int32_t i = 0;
            while (i < r) {
                int32_t j = i + 1;
                perm1[i] = perm1[j];
                i = j;
            }
            perm1[r] = perm0;
            count[r] -= 1;
            if (count[r] > 0) break;
            r += 1;
        }
        perm_count += 1;
    }
}

int main(int argc, char **argv) {
    int32_t n = 7;
    if (argc > 1) n = atoi(argv[1]);
    if (n < 3 || n > 16) {
        printf("n must be in 3..16\n");
        return 1;
    }
    int32_t reps = 1;
    if (argc > 2) reps = atoi(argv[2]);
    for (int32_t rep = 0; rep < reps; rep += 1) {
        Result res = fannkuch(n, rep);
        printf("%d\nPfannkuchen(%d) = %d\n", res.checksum, n, res.max_flips);
    }
    return 0;
}
