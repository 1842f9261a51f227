// bits.c — C twin of bits.lc
#include <stdio.h>
#include <string.h>
#include <stdbool.h>
#include <stdint.h>
#include <math.h>

typedef long long i64;
typedef unsigned long long u64;
typedef int i32;
typedef unsigned int u32;
typedef int16_t i16;
typedef uint16_t u16;
typedef int8_t i8;
typedef unsigned char u8;

#define CRC_POLY 0xEDB88320u
#define ADLER_MOD 65521u

static u32 crc_table[256];
static const char *b64_chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// LC float -> int casts saturate, NaN -> 0
static i32 f2i32(double x) { return x != x ? 0 : x >= 2147483647.0 ? 2147483647 : x <= -2147483648.0 ? (-2147483647 - 1) : (i32)x; }
static i64 f2i64(double x) {
    return x != x ? 0 : x >= 9223372036854775807.0 ? 9223372036854775807LL : x <= -9223372036854775808.0 ? (-9223372036854775807LL - 1) : (i64)x;
}
static u8 f2u8(double x) { return x != x ? 0 : x >= 255.0 ? 255 : x <= 0.0 ? 0 : (u8)x; }
static u32 f2u32(double x) { return x != x ? 0 : x >= 4294967295.0 ? 4294967295u : x <= 0.0 ? 0 : (u32)x; }
static u64 f2u64(double x) { return x != x ? 0 : x >= 18446744073709551615.0 ? 18446744073709551615ULL : x <= 0.0 ? 0 : (u64)x; }

static void crc_init(void) {
    for (u32 n = 0; n < 256; n += 1) {
        u32 c = n;
        for (i32 k = 0; k < 8; k += 1) c = (c & 1) != 0 ? CRC_POLY ^ (c >> 1) : c >> 1;
        crc_table[n] = c;
    }
}

static u32 crc32(const u8 *data, u64 len) {
    u32 c = 0xFFFFFFFFu;
    for (u64 i = 0; i < len; i += 1) c = crc_table[(c ^ (u32)data[i]) & 0xFF] ^ (c >> 8);
    return ~c;
}

static u32 adler32(const u8 *data, u64 len) {
    u32 a = 1, b = 0;
    for (u64 i = 0; i < len; i += 1) {
        a = (a + (u32)data[i]) % ADLER_MOD;
        b = (b + a) % ADLER_MOD;
    }
    return (b << 16) | a;
}

static u32 fnv1a32(const u8 *data, u64 len) {
    u32 h = 2166136261u;
    for (u64 i = 0; i < len; i += 1) {
        h ^= (u32)data[i];
        h *= 16777619u;
    }
    return h;
}

static i32 b64_index(u8 c) {
    for (i32 i = 0; i < 64; i += 1)
        if ((u8)b64_chars[i] == c) return i;
    return -1;
}

static u64 b64_encode(const u8 *src, u64 len, u8 *out) {
    u64 o = 0, i = 0;
    while (i < len) {
        u64 rem = len - i;
        u32 chunk = (u32)src[i] << 16;
        if (rem > 1) chunk |= (u32)src[i + 1] << 8;
        if (rem > 2) chunk |= (u32)src[i + 2];
        out[o] = (u8)b64_chars[(chunk >> 18) & 63];
        out[o + 1] = (u8)b64_chars[(chunk >> 12) & 63];
        out[o + 2] = rem > 1 ? (u8)b64_chars[(chunk >> 6) & 63] : '=';
        out[o + 3] = rem > 2 ? (u8)b64_chars[chunk & 63] : '=';
        o += 4;
        i += 3;
    }
    out[o] = 0;
    return o;
}

static u64 b64_decode(const u8 *src, u8 *out) {
    u64 o = 0;
    u32 acc = 0;
    i32 nbits = 0;
    u64 i = 0;
    while (src[i] != 0 && src[i] != '=') {
        i32 v = b64_index(src[i]);
        if (v >= 0) {
            acc = (acc << 6) | (u32)v;
            nbits += 6;
            if (nbits >= 8) {
                nbits -= 8;
                out[o] = (u8)(acc >> ((u32)nbits & 31));
                o += 1;
            }
        }
        i += 1;
    }
    out[o] = 0;
    return o;
}

static bool same_bytes(const u8 *a, const u8 *b, u64 n) {
    for (u64 i = 0; i < n; i += 1)
        if (a[i] != b[i]) return false;
    return true;
}

static bool parse_uint(const u8 *s, u64 *out) {
    u64 v = 0;
    i64 i = 0;
    if (s[0] == 0) return false;
    while (s[i] != 0) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (u64)(u8)(s[i] - '0');
        i += 1;
    }
    *out = v;
    return true;
}

static void show_number(u64 v) {
    printf("    number %llu: popcount=%llu clz=%llu ctz=%llu bswap=%016llx\n",
           v, (u64)__builtin_popcountll(v), (u64)__builtin_clzll(v | 1),
           (u64)__builtin_ctzll(v | 0x8000000000000000ULL), (u64)__builtin_bswap64(v));
    u32 low = (u32)v;
    printf("    low32 %u: bswap=%08x popcount=%u  low16 bswap=%04x\n",
           low, __builtin_bswap32(low), (u32)__builtin_popcount(low), (u32)__builtin_bswap16((u16)v));
    printf("    factors:");
    u64 n = v;
    u64 p = 2;
    while (p * p <= n) {
        while (n % p == 0) {
            printf(" %llu", p);
            n /= p;
        }
        if (p == 2) p = 3;
        else p += 2;
    }
    if (n > 1) printf(" %llu", n);
    printf("\n");
}

static void narrow_types(void) {
    i8 a = 127;
    a = (i8)(a + 1);
    i16 b = 300;
    b = (i16)(b * 300);
    u8 c = 10;
    c = (u8)(c - 20);
    u16 d = 65535;
    d = (u16)(d + 2);
    u16 e = (u16)(i8)-1;
    i16 f = (i16)0xFFFF;
    u8 g = (u8)(i16)-200;
    u8 h = (u8)300LL;
    i32 i = (i32)(i8)(u8)0x80;
    printf("narrow: i8 %d, i16 %d, u8 %d, u16 %d, %d %d %d %d %d\n",
           (i32)a, (i32)b, (i32)c, (i32)d, (i32)e, (i32)f, (i32)g, (i32)h, i);
    i8 neg = -128;
    printf("shifts: %d %d %u %u %lld %llu\n",
           (i32)(i8)(neg >> 1), (i32)(i8)(neg >> (9 & 7)), 1u << (35 & 31), 0x80000000u >> (33 & 31),
           -1LL >> (70 & 63), 1ULL << (64 & 63));
    printf("rot: %08x %08x\n", (0x12345678u << 8) | (0x12345678u >> 24), __builtin_bswap32(0x12345678u));
}

static void saturate(void) {
    volatile double zero = 0.0;
    double nan = zero / zero;
    double big = 1.0e20;
    const double vals[6] = { 300.7, -5.5, 4294967296.5, -2.9, 2.99, 9007199254740993.0 };
    printf("sat: %d %d %lld %lld %d %d %d %u %d\n",
           f2i32(big), f2i32(-big), f2i64(big), f2i64(-big), f2i32(nan),
           (i32)f2u8(vals[0]), (i32)f2u8(vals[1]), f2u32(vals[2]), f2i32(vals[3]));
    printf("trunc: %d %d %lld %llu %llu\n", f2i32(vals[4]), f2i32(-vals[4]), f2i64(vals[5]),
           f2u64(-vals[4]), f2u64(nan));
}

int main(int argc, char **argv) {
    crc_init();
    printf("crc table[1]=%08x [255]=%08x\n", crc_table[1], crc_table[255]);
    const u8 *check = (const u8 *)"123456789";
    printf("check: crc32=%08x adler32=%08x fnv1a=%08x\n", crc32(check, 9), adler32(check, 9), fnv1a32(check, 9));
    printf("%d arguments\n", argc - 1);
    u8 enc[512] = {0};
    u8 dec[512] = {0};
    for (i32 i = 1; i < argc; i += 1) {
        const u8 *s = (const u8 *)argv[i];
        u64 n = strlen(argv[i]);
        printf("arg %d \"%s\" (%llu bytes)\n", i, argv[i], n);
        printf("    crc32=%08x adler32=%08x fnv1a=%08x\n", crc32(s, n), adler32(s, n), fnv1a32(s, n));
        if (n < 300) {
            u64 elen = b64_encode(s, n, &enc[0]);
            u64 dlen = b64_decode(&enc[0], &dec[0]);
            printf("    base64=%s (%llu) roundtrip=%s\n", (char *)&enc[0], elen,
                   dlen == n && same_bytes(s, &dec[0], n) ? "ok" : "FAIL");
        }
        u64 v = 0;
        if (parse_uint(s, &v)) show_number(v);
    }
    narrow_types();
    saturate();
    return 0;
}
