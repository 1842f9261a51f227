// strings.c — C twin of strings.lc
#include <stdio.h>
#include <string.h>
#include <stdbool.h>

typedef long long i64;
typedef unsigned long long u64;
typedef int i32;
typedef unsigned char u8;

#define MAX_WORDS 256
#define WORD_CAP 24
#define NLINES 8

typedef struct WordCount {
    u8 text[24];
    i32 len;
    i32 count;
    i32 first_line;
} WordCount;

typedef struct Stats {
    i64 letters;
    i64 digits;
    i64 spaces;
    i64 punct;
    i64 vowels[5];
} Stats;

static WordCount words[256];
static i32 nwords = 0;

static bool is_alpha(u8 c) { return (u8)(c | 0x20) >= 'a' && (u8)(c | 0x20) <= 'z'; }
static bool is_digit(u8 c) { return c >= '0' && c <= '9'; }
static u8 to_lower(u8 c) { return c >= 'A' && c <= 'Z' ? (u8)(c + 32) : c; }

static i32 word_cmp(WordCount *a, WordCount *b) {
    i32 n = a->len < b->len ? a->len : b->len;
    for (i32 i = 0; i < n; i += 1)
        if (a->text[i] != b->text[i]) return (i32)a->text[i] - (i32)b->text[i];
    return a->len - b->len;
}

static void add_word(const u8 *w, i32 len, i32 line) {
    i32 n = len < WORD_CAP - 1 ? len : WORD_CAP - 1;
    for (i32 k = 0; k < nwords; k += 1) {
        WordCount *e = &words[k];
        if (e->len != n) continue;
        bool same = true;
        for (i32 i = 0; i < n; i += 1) {
            if (e->text[i] != to_lower(w[i])) {
                same = false;
                break;
            }
        }
        if (same) {
            e->count += 1;
            return;
        }
    }
    if (nwords == MAX_WORDS) return;
    WordCount e;
    memset(&e, 0, sizeof e);
    for (i32 i = 0; i < n; i += 1) e.text[i] = to_lower(w[i]);
    e.len = n;
    e.count = 1;
    e.first_line = line;
    words[nwords] = e;
    nwords += 1;
}

static bool before(WordCount *a, WordCount *b) {
    if (a->count != b->count) return a->count > b->count;
    return word_cmp(a, b) < 0;
}

static void sort_words(void) {
    for (i32 i = 1; i < nwords; i += 1) {
        WordCount key = words[i];
        i32 j = i - 1;
        while (j >= 0 && before(&key, &words[j])) {
            words[j + 1] = words[j];
            j -= 1;
        }
        words[j + 1] = key;
    }
}

static bool is_palindrome(const u8 *s, i64 n) {
    i64 i = 0, j = n - 1;
    while (i < j) {
        if (to_lower(s[i]) != to_lower(s[j])) return false;
        i += 1;
        j -= 1;
    }
    return true;
}

static bool is_sentence_palindrome(const char *ss) {
    const u8 *s = (const u8 *)ss;
    i64 i = 0;
    i64 j = (i64)strlen(ss) - 1;
    while (true) {
        while (i < j && !is_alpha(s[i]) && !is_digit(s[i])) i += 1;
        while (i < j && !is_alpha(s[j]) && !is_digit(s[j])) j -= 1;
        if (i >= j) break;
        if (to_lower(s[i]) != to_lower(s[j])) return false;
        i += 1;
        j -= 1;
    }
    return true;
}

static void print_reversed_words(const char *s) {
    i32 starts[32] = {0};
    i32 lens[32] = {0};
    i32 n = 0;
    i32 i = 0;
    while (s[i] != 0) {
        if (s[i] == ' ') {
            i += 1;
            continue;
        }
        i32 st = i;
        while (s[i] != 0 && s[i] != ' ') i += 1;
        if (n < 32) {
            starts[n] = st;
            lens[n] = i - st;
            n += 1;
        }
    }
    printf("  ");
    for (i32 k = n - 1; k >= 0; k -= 1) printf("%.*s%s", lens[k], s + starts[k], k > 0 ? " " : "");
    printf("\n");
}

static u8 rot13(u8 c) {
    if (c >= 'a' && c <= 'z') return (u8)('a' + (u8)(c - 'a' + 13) % 26);
    if (c >= 'A' && c <= 'Z') return (u8)('A' + (u8)(c - 'A' + 13) % 26);
    return c;
}

static void rle(const char *s) {
    printf("  rle(%s) = ", s);
    i64 i = 0;
    while (s[i] != 0) {
        char c = s[i];
        i64 run = 1;
        while (s[i + run] == c) run += 1;
        if (run > 1) printf("%lld", run);
        putchar((u8)c);
        i += run;
    }
    printf("\n");
}

static void reverse_in_place(u8 *buf, i64 n) {
    i64 i = 0, j = n - 1;
    while (i < j) {
        u8 t = buf[i];
        buf[i] = buf[j];
        buf[j] = t;
        i += 1;
        j -= 1;
    }
}

int main(void) {
    const char *text[8] = {
        "Anna and Otto saw a level racecar at noon near the civic center",
        "The radar operator said the kayak would refer the madam to Anna",
        "A quick brown fox jumps over the lazy dog while the dog sleeps",
        "In 2024 the fox ran 42 laps, and the dog ran 7 laps (slowly!)",
        "Was it a car or a cat I saw near the civic center at noon?",
        "Stats: 3 foxes, 12 dogs, 101 cats; the cats did not care at all",
        "Never odd or even, said Otto, and the racecar driver agreed",
        "the end of the text is near, the end is here, the END",
    };

    Stats st;
    memset(&st, 0, sizeof st);
    i32 longest = 0;
    const u8 *longest_at = NULL;
    for (i32 ln = 0; ln < NLINES; ln += 1) {
        const u8 *s = (const u8 *)text[ln];
        i32 i = 0;
        while (s[i] != 0) {
            u8 c = s[i];
            if (is_alpha(c)) {
                st.letters += 1;
                u8 lc = to_lower(c);
                const char *vow = "aeiou";
                for (i32 v = 0; v < 5; v += 1)
                    if (lc == (u8)vow[v]) st.vowels[v] += 1;
            } else if (is_digit(c)) {
                st.digits += 1;
            } else if (c == ' ') {
                st.spaces += 1;
            } else {
                st.punct += 1;
            }
            if (is_alpha(c)) {
                i32 start = i;
                while (is_alpha(s[i])) i += 1;
                i32 len = i - start;
                for (i32 k = start + 1; k < i; k += 1) {
                    st.letters += 1;
                    u8 lc = to_lower(s[k]);
                    if (lc == 'a') st.vowels[0] += 1;
                    if (lc == 'e') st.vowels[1] += 1;
                    if (lc == 'i') st.vowels[2] += 1;
                    if (lc == 'o') st.vowels[3] += 1;
                    if (lc == 'u') st.vowels[4] += 1;
                }
                add_word(s + start, len, ln);
                if (len > longest) {
                    longest = len;
                    longest_at = s + start;
                }
                continue;
            }
            i += 1;
        }
    }
    printf("letters=%lld digits=%lld spaces=%lld punct=%lld\n", st.letters, st.digits, st.spaces, st.punct);
    printf("vowels a=%lld e=%lld i=%lld o=%lld u=%lld\n",
           st.vowels[0], st.vowels[1], st.vowels[2], st.vowels[3], st.vowels[4]);
    printf("longest word: %.*s (%d)\n", longest, (const char *)longest_at, longest);
    printf("distinct words: %d\n", nwords);

    sort_words();
    printf("top words:\n");
    for (i32 k = 0; k < 12 && k < nwords; k += 1) {
        WordCount *w = &words[k];
        printf("  %2d. %-10.*s %3d  (first on line %d)\n", k + 1, w->len, (char *)&w->text[0], w->count, w->first_line + 1);
    }
    i32 singles = 0;
    for (i32 k = 0; k < nwords; k += 1)
        if (words[k].count == 1) singles += 1;
    printf("words seen once: %d\n", singles);

    printf("palindromic words:");
    for (i32 k = 0; k < nwords; k += 1) {
        WordCount *w = &words[k];
        if (w->len >= 3 && is_palindrome(&w->text[0], (i64)w->len)) printf(" %.*s", w->len, (char *)&w->text[0]);
    }
    printf("\n");

    printf("reversed lines:\n");
    for (i32 ln = 0; ln < 3; ln += 1) print_reversed_words(text[ln]);

    const char *sentences[5] = {
        "A man, a plan, a canal: Panama",
        "Was it a car or a cat I saw?",
        "Never odd or even",
        "Not a palindrome, sadly",
        "12321 -- 1 2 3 2 1",
    };
    for (i32 k = 0; k < 5; k += 1)
        printf("  \"%s\" -> %s\n", sentences[k], is_sentence_palindrome(sentences[k]) ? "palindrome" : "no");

    u8 buf[80] = {0};
    const u8 *src = (const u8 *)text[2];
    i64 n = (i64)strlen(text[2]);
    for (i64 i = 0; i < n; i += 1) buf[i] = rot13(src[i]);
    buf[n] = 0;
    printf("rot13: %s\n", (char *)&buf[0]);
    for (i64 i = 0; i < n; i += 1) buf[i] = rot13(buf[i]);
    reverse_in_place(&buf[0], n);
    printf("reversed: %s\n", (char *)&buf[0]);

    rle("aaabccddddde");
    rle("abc");
    rle("zzzzzzzzzzzzzzzzzzzzzzzzzz!!");
    return 0;
}
