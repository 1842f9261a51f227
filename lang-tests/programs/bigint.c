// bigint.c — C twin of bigint.lc
#include <stdio.h>
#include <string.h>

typedef long long i64;
typedef unsigned long long u64;
typedef int i32;
typedef unsigned int u32;
typedef unsigned char u8;

#define BASE 1000000000ULL

typedef struct Big {
    u32 limbs[160];
    i32 n;
} Big;

static Big big_zero(void) {
    Big r;
    memset(&r, 0, sizeof r);
    return r;
}

static Big big_from(u64 v) {
    Big r = big_zero();
    u64 x = v;
    while (x != 0) {
        r.limbs[r.n] = (u32)(x % BASE);
        r.n += 1;
        x /= BASE;
    }
    return r;
}

static void big_trim(Big *a) {
    while (a->n > 0 && a->limbs[a->n - 1] == 0) a->n -= 1;
}

static Big big_add(Big a, Big b) {
    Big r = big_zero();
    i32 n = a.n > b.n ? a.n : b.n;
    u64 carry = 0;
    for (i32 i = 0; i < n; i += 1) {
        u64 s = carry;
        if (i < a.n) s += (u64)a.limbs[i];
        if (i < b.n) s += (u64)b.limbs[i];
        r.limbs[i] = (u32)(s % BASE);
        carry = s / BASE;
    }
    r.n = n;
    if (carry != 0) {
        r.limbs[n] = (u32)carry;
        r.n = n + 1;
    }
    return r;
}

static void big_mul_small(Big *a, u32 m) {
    u64 carry = 0;
    for (i32 i = 0; i < a->n; i += 1) {
        u64 t = (u64)a->limbs[i] * (u64)m + carry;
        a->limbs[i] = (u32)(t % BASE);
        carry = t / BASE;
    }
    while (carry != 0) {
        a->limbs[a->n] = (u32)(carry % BASE);
        a->n += 1;
        carry /= BASE;
    }
    big_trim(a);
}

static Big big_mul(Big *a, Big *b) {
    Big r = big_zero();
    if (a->n == 0 || b->n == 0) return r;
    for (i32 i = 0; i < a->n; i += 1) {
        u64 carry = 0;
        u64 ai = (u64)a->limbs[i];
        for (i32 j = 0; j < b->n; j += 1) {
            u64 t = ai * (u64)b->limbs[j] + (u64)r.limbs[i + j] + carry;
            r.limbs[i + j] = (u32)(t % BASE);
            carry = t / BASE;
        }
        i32 k = i + b->n;
        while (carry != 0) {
            u64 t = (u64)r.limbs[k] + carry;
            r.limbs[k] = (u32)(t % BASE);
            carry = t / BASE;
            k += 1;
        }
    }
    r.n = a->n + b->n;
    big_trim(&r);
    return r;
}

static i32 big_cmp(Big *a, Big *b) {
    if (a->n != b->n) return a->n < b->n ? -1 : 1;
    i32 i = a->n - 1;
    while (i >= 0) {
        if (a->limbs[i] != b->limbs[i]) return a->limbs[i] < b->limbs[i] ? -1 : 1;
        i -= 1;
    }
    return 0;
}

static Big big_parse(const char *s) {
    Big r = big_zero();
    i64 len = (i64)strlen(s);
    i64 end = len;
    while (end > 0) {
        i64 start = end - 9 > 0 ? end - 9 : 0;
        u32 chunk = 0;
        for (i64 i = start; i < end; i += 1) chunk = chunk * 10 + (u32)(u8)(s[i] - '0');
        r.limbs[r.n] = chunk;
        r.n += 1;
        end = start;
    }
    big_trim(&r);
    return r;
}

static i32 big_digits(Big *a) {
    if (a->n == 0) return 1;
    i32 d = (a->n - 1) * 9;
    u32 top = a->limbs[a->n - 1];
    while (top != 0) {
        d += 1;
        top /= 10;
    }
    return d;
}

static i64 big_digit_sum(Big *a) {
    i64 s = 0;
    for (i32 i = 0; i < a->n; i += 1) {
        u32 x = a->limbs[i];
        while (x != 0) {
            s += (i64)(x % 10);
            x /= 10;
        }
    }
    return s;
}

static void big_print(const char *label, Big *a) {
    printf("%s = ", label);
    if (a->n == 0) {
        printf("0\n");
        return;
    }
    printf("%u", a->limbs[a->n - 1]);
    i32 i = a->n - 2;
    i32 col = 0;
    while (i >= 0) {
        printf("%09u", a->limbs[i]);
        col += 1;
        if (col % 8 == 0 && i > 0) printf("\\\n    ");
        i -= 1;
    }
    printf("\n");
}

static void summary(const char *label, Big *a) {
    printf("%s: %d digits, digit sum %lld, low limb %09u\n",
           label, big_digits(a), big_digit_sum(a), a->n > 0 ? a->limbs[0] : 0u);
}

int main(void) {
    Big f = big_from(1);
    for (u32 k = 2; k <= 100; k += 1) big_mul_small(&f, k);
    big_print("100!", &f);
    summary("100!", &f);

    Big p = big_from(1);
    for (i32 k = 0; k < 1000; k += 1) p = big_add(p, p);
    summary("2^1000", &p);

    Big base = big_from(3);
    Big result = big_from(1);
    u32 e = 300;
    while (e > 0) {
        if ((e & 1) != 0) result = big_mul(&result, &base);
        base = big_mul(&base, &base);
        e >>= 1;
    }
    summary("3^300", &result);

    Big a = big_from(0);
    Big b = big_from(1);
    for (i32 k = 0; k < 1000; k += 1) {
        Big t = big_add(a, b);
        a = b;
        b = t;
    }
    big_print("fib(1000)", &a);

    Big x = big_parse("123456789012345678901234567890123456789");
    Big y = big_parse("987654321098765432109876543210");
    Big xv = x;
    Big yv = y;
    Big xy = big_mul(&xv, &yv);
    Big yx = big_mul(&yv, &xv);
    Big xy1 = big_add(xy, big_from(1));
    Big xyv = xy;
    Big yxv = yx;
    big_print("x*y", &xyv);
    printf("cmp(x*y, y*x) = %d, cmp(x*y, x*y+1) = %d, cmp(x*y+1, x*y) = %d\n",
           big_cmp(&xyv, &yxv), big_cmp(&xyv, &xy1), big_cmp(&xy1, &xyv));

    Big f50 = big_from(1);
    for (u32 k = 2; k <= 50; k += 1) big_mul_small(&f50, k);
    Big sq = big_mul(&f50, &f50);
    summary("50!^2", &sq);
    printf("cmp(50!^2, 100!) = %d\n", big_cmp(&sq, &f));

    Big acc = big_from(0);
    Big fk = big_from(1);
    for (u32 k = 1; k <= 60; k += 1) {
        big_mul_small(&fk, k);
        acc = big_add(acc, fk);
    }
    big_print("sum k! (k<=60)", &acc);
    Big zero = big_parse("000000000000");
    summary("zero", &zero);
    return 0;
}
