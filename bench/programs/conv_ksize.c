/* conv_ksize.c — C twin of conv_ksize.lc. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t rng_state = 31337;

static uint32_t rand_u32(void) {
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng_state >> 32);
}

static void conv_row(const float *src, float *dst, int32_t w, const float *ker, int32_t k) {
    int32_t half = k / 2;
    const float *mid = src + half * w;
    for (int32_t x = 0; x < half; x += 1) dst[x] = mid[x];
    for (int32_t x = half; x < w - half; x += 1) {
        float acc = 0.0f;
        for (int32_t ky = 0; ky < k; ky += 1) {
            for (int32_t kx = 0; kx < k; kx += 1) acc += ker[ky * k + kx] * src[ky * w + x - half + kx];
        }
        dst[x] = acc;
    }
    for (int32_t x = w - half; x < w; x += 1) dst[x] = mid[x];
}

static void filter(const float *src, float *dst, int32_t w, int32_t h, const float *ker, int32_t k) {
    int32_t half = k / 2;
    for (int32_t y = 0; y < h; y += 1) {
        if (y < half || y >= h - half) {
            for (int32_t x = 0; x < w; x += 1) dst[y * w + x] = src[y * w + x];
        } else {
            conv_row(src + (y - half) * w, dst + y * w, w, ker, k);
        }
    }
}

int main(int argc, char **argv) {
    if (argc < 5) {
        printf("usage: conv_ksize W H K PASSES\n");
        return 1;
    }
    int32_t w = atoi(argv[1]), h = atoi(argv[2]), k = atoi(argv[3]), passes = atoi(argv[4]);
    if (k < 1 || k > w || k > h || k > 63) {
        printf("need 1 <= K <= min(W, H, 63)\n");
        return 1;
    }
    int32_t npix = w * h;
    float *a = malloc((uint64_t)npix * sizeof(float));
    float *b = malloc((uint64_t)npix * sizeof(float));
    float *ker = malloc((uint64_t)(k * k) * sizeof(float));
    for (int32_t i = 0; i < npix; i += 1) a[i] = (float)(rand_u32() % 256);
    float ksum = 0.0f;
    for (int32_t i = 0; i < k * k; i += 1) {
        ker[i] = (float)((rand_u32() % 8) + 1);
        ksum += ker[i];
    }
    for (int32_t i = 0; i < k * k; i += 1) ker[i] = ker[i] / ksum;
    double checksum = 0.0;
    for (int32_t p = 0; p < passes; p += 1) {
        filter(a, b, w, h, ker, k);
        double s = 0.0;
        for (int32_t i = 0; i < npix; i += 1) s += (double)b[i];
        checksum += s / (double)npix;
        for (int32_t i = p % 13; i < npix; i += 13) {
            float v = b[i] + (float)(rand_u32() % 64) - 31.5f;
            v = v > 0.0f ? v : 0.0f;
            b[i] = v < 255.0f ? v : 255.0f;
        }
        float *t = a;
        a = b;
        b = t;
    }
    printf("conv_ksize %dx%d k=%d passes=%d\n", w, h, k, passes);
    printf("checksum %.10e\n", checksum);
    printf("pixels %.6f %.6f %.6f\n", (double)a[0], (double)a[npix / 2 + w / 2], (double)a[npix - 1]);
    free(a);
    free(b);
    free(ker);
    return 0;
}
