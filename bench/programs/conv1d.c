/* conv1d.c — C twin of conv1d.lc. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t rng_state = 7;

static float rand_f32(void) {
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return ((float)(rng_state >> 40)) / 8388608.0f - 1.0f;
}

static void conv1d(const float *x, int64_t len, const float *w, int64_t ksize, float *y) {
    int64_t out_len = len - ksize + 1;
    for (int64_t i = 0; i < out_len; i += 1) {
        float acc = 0.0f;
        for (int64_t k = 0; k < ksize; k += 1) acc += x[i + k] * w[k];
        y[i] = acc;
    }
}

int main(int argc, char **argv) {
    if (argc < 4) {
        printf("usage: conv1d LEN KSIZE REPS\n");
        return 1;
    }
    int64_t len = atoi(argv[1]), ksize = atoi(argv[2]), reps = atoi(argv[3]);
    if (ksize < 1 || ksize > len) {
        printf("need 1 <= KSIZE <= LEN\n");
        return 1;
    }
    int64_t out_len = len - ksize + 1;
    float *x = malloc((uint64_t)len * sizeof(float));
    float *w = malloc((uint64_t)ksize * sizeof(float));
    float *y = malloc((uint64_t)out_len * sizeof(float));
    for (int64_t i = 0; i < len; i += 1) x[i] = rand_f32();
    for (int64_t k = 0; k < ksize; k += 1) w[k] = rand_f32() / (float)ksize;
    double checksum = 0.0;
    for (int64_t r = 0; r < reps; r += 1) {
        conv1d(x, len, w, ksize, y);
        double s = 0.0;
        for (int64_t i = 0; i < out_len; i += 1) s += (double)y[i];
        checksum += s;
        w[r % ksize] += 0.0009765625f;
        w[(r + 1) % ksize] -= 0.0009765625f;
    }
    printf("conv1d len=%lld ksize=%lld reps=%lld\n", (long long)len, (long long)ksize, (long long)reps);
    printf("checksum %.6f\n", checksum);
    printf("y[0] %.8f y[last] %.8f\n", (double)y[0], (double)y[out_len - 1]);
    free(x);
    free(w);
    free(y);
    return 0;
}
