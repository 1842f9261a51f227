/* conv2d.c — C twin of conv2d.lc. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t rng_state = 2024;

static uint32_t rand_u32(void) {
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng_state >> 32);
}

static void conv2d(const uint8_t *img, uint8_t *out, int64_t w, int64_t h, const int32_t *ker,
                   int64_t ksize, int32_t shift) {
    int64_t half = ksize / 2;
    for (int64_t y = 0; y < h; y += 1) {
        for (int64_t x = 0; x < w; x += 1) {
            int64_t idx = y * w + x;
            if (y < half || y >= h - half || x < half || x >= w - half) {
                out[idx] = img[idx];
                continue;
            }
            int32_t acc = 0;
            for (int64_t ky = 0; ky < ksize; ky += 1) {
                const uint8_t *row = img + (y + ky - half) * w + (x - half);
                const int32_t *krow = ker + ky * ksize;
                for (int64_t kx = 0; kx < ksize; kx += 1) acc += (int32_t)row[kx] * krow[kx];
            }
            int32_t v = acc >> shift;
            v = v > 0 ? v : 0;
            v = v < 255 ? v : 255;
            out[idx] = (uint8_t)v;
        }
    }
}

int main(int argc, char **argv) {
    if (argc < 5) {
        printf("usage: conv2d W H KSIZE REPS\n");
        return 1;
    }
    int64_t w = atoi(argv[1]), h = atoi(argv[2]), ksize = atoi(argv[3]), reps = atoi(argv[4]);
    if (ksize < 1 || ksize > w || ksize > h || ksize > 63) {
        printf("need 1 <= KSIZE <= min(W, H, 63)\n");
        return 1;
    }
    int64_t npix = w * h;
    uint8_t *a = malloc((uint64_t)npix);
    uint8_t *b = malloc((uint64_t)npix);
    int32_t *ker = malloc((uint64_t)(ksize * ksize) * sizeof(int32_t));
    for (int64_t i = 0; i < npix; i += 1) a[i] = (uint8_t)(rand_u32() & 255);
    int32_t ksum = 0;
    for (int64_t i = 0; i < ksize * ksize; i += 1) {
        ker[i] = (int32_t)((rand_u32() % 8) + 1);
        ksum += ker[i];
    }
    ker[(ksize / 2) * ksize + ksize / 2] += ksum / 4;
    ksum += ksum / 4;
    int32_t shift = 0;
    while ((1 << shift) < ksum) shift += 1;
    uint64_t checksum = 0;
    for (int64_t r = 0; r < reps; r += 1) {
        conv2d(a, b, w, h, ker, ksize, shift);
        uint64_t s = 0;
        for (int64_t i = 0; i < npix; i += 1) s += (uint64_t)b[i];
        checksum = checksum * 1000003 + s;
        for (int64_t i = r % 7; i < npix; i += 7) b[i] ^= (uint8_t)(rand_u32() & 63);
        uint8_t *t = a;
        a = b;
        b = t;
    }
    printf("conv2d %lldx%lld ksize=%lld shift=%d reps=%lld\n", (long long)w, (long long)h,
           (long long)ksize, shift, (long long)reps);
    printf("checksum %llu\n", (unsigned long long)checksum);
    printf("pixels %d %d %d\n", (int)a[0], (int)a[npix / 2 + w / 2], (int)a[npix - 1]);
    free(a);
    free(b);
    free(ker);
    return 0;
}
