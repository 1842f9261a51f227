// primes.c — C twin of primes.lc
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>

typedef long long i64;
typedef unsigned long long u64;
typedef int i32;

#define LIMIT 2000000ULL
#define NBITS (LIMIT / 2)
#define NWORDS ((NBITS + 63) / 64)
#define SMALL 100000LL

static bool composite[100001];

static bool get_bit(u64 *bits, u64 i) { return ((bits[i >> 6] >> (i & 63)) & 1) == 1; }
static void set_bit(u64 *bits, u64 i) { bits[i >> 6] |= 1ULL << (i & 63); }

static u64 *bit_sieve(void) {
    u64 *bits = calloc(NWORDS, sizeof(u64));
    set_bit(bits, 0);
    u64 i = 1;
    while ((2 * i + 1) * (2 * i + 1) < LIMIT) {
        if (!get_bit(bits, i)) {
            u64 p = 2 * i + 1;
            u64 j = p * p / 2;
            while (j < NBITS) {
                set_bit(bits, j);
                j += p;
            }
        }
        i += 1;
    }
    for (u64 k = NBITS; k < NWORDS * 64; k += 1) set_bit(bits, k);
    return bits;
}

static u64 bit_count(u64 *bits) {
    u64 total = 1;
    for (u64 w = 0; w < NWORDS; w += 1) total += (u64)__builtin_popcountll(~bits[w]);
    return total;
}

static void small_sieve(void) {
    composite[0] = true;
    composite[1] = true;
    i64 i = 2;
    while (i * i <= SMALL) {
        if (!composite[i])
            for (i64 j = i * i; j <= SMALL; j += i) composite[j] = true;
        i += 1;
    }
}

static bool is_prime_small(i64 n) { return n >= 0 && n <= SMALL && !composite[n]; }

typedef struct Stats {
    u64 count;
    u64 sum;
    u64 max_gap;
    u64 gap_after;
    u64 by_last_digit[10];
    u64 below_pow10[7];
} Stats;

static Stats walk(u64 *bits) {
    Stats st;
    memset(&st, 0, sizeof st);
    u64 prev = 2;
    st.count = 1;
    st.sum = 2;
    st.by_last_digit[2] = 1;
    for (u64 w = 0; w < NWORDS; w += 1) {
        u64 word = ~bits[w];
        while (word != 0) {
            u64 b = (u64)__builtin_ctzll(word);
            word &= word - 1;
            u64 p = 2 * (w * 64 + b) + 1;
            st.count += 1;
            st.sum += p;
            st.by_last_digit[p % 10] += 1;
            if (p - prev > st.max_gap) {
                st.max_gap = p - prev;
                st.gap_after = prev;
            }
            prev = p;
        }
    }
    u64 bound = 10;
    for (i32 k = 1; k < 7; k += 1) {
        u64 c = 1;
        u64 n = 3;
        while (n < bound) {
            if (!get_bit(bits, n / 2)) c += 1;
            n += 2;
        }
        st.below_pow10[k] = c;
        bound *= 10;
    }
    return st;
}

static i32 goldbach_count(i64 n) {
    i32 c = 0;
    for (i64 p = 2; p <= n / 2; p += 1)
        if (is_prime_small(p) && is_prime_small(n - p)) c += 1;
    return c;
}

int main(void) {
    u64 *bits = bit_sieve();
    small_sieve();

    printf("first primes:");
    i32 shown = 0;
    for (i64 n = 2; shown < 25; n += 1) {
        if (is_prime_small(n)) {
            printf(" %lld", n);
            shown += 1;
        }
    }
    printf("\n");

    u64 total = bit_count(bits);
    Stats st = walk(bits);
    printf("primes below %llu: popcount=%llu walk=%llu\n", LIMIT, total, st.count);
    printf("sum of primes below %llu: %llu\n", LIMIT, st.sum);
    printf("largest gap: %llu after %llu\n", st.max_gap, st.gap_after);
    u64 pw = 10;
    for (i32 k = 1; k < 7; k += 1) {
        printf("  pi(%llu) = %llu\n", pw, st.below_pow10[k]);
        pw *= 10;
    }
    printf("last digits:");
    for (i32 d = 0; d < 10; d += 1)
        if (st.by_last_digit[d] != 0) printf(" %d:%llu", d, st.by_last_digit[d]);
    printf("\n");

    i64 mismatches = 0, small_count = 0, twins = 0;
    for (i64 n = 2; n <= SMALL; n += 1) {
        bool a = is_prime_small(n);
        bool b = n == 2 || ((n & 1) == 1 && !get_bit(bits, (u64)(n / 2)));
        if (a != b) mismatches += 1;
        if (a) {
            small_count += 1;
            if (is_prime_small(n + 2)) twins += 1;
        }
    }
    printf("below %lld: %lld primes, %lld twin pairs, %lld mismatches\n", SMALL, small_count, twins, mismatches);

    const i64 evens[6] = { 4, 28, 100, 1000, 10000, 99998 };
    for (i32 k = 0; k < 6; k += 1) printf("  goldbach(%lld) = %d\n", evens[k], goldbach_count(evens[k]));

    printf("mersenne primes:");
    for (u64 p = 2; p < 21; p += 1) {
        u64 m = (1ULL << p) - 1;
        bool prime = m < LIMIT && (m == 2 || ((m & 1) == 1 && !get_bit(bits, m / 2)));
        if (prime) printf(" 2^%llu-1=%llu", p, m);
    }
    printf("\n");
    free(bits);
    return 0;
}
