// tokenizer.c — C twin of tokenizer.lc
#include <stdio.h>
#include <stdbool.h>
#include <string.h>

typedef long long i64;
typedef unsigned long long u64;
typedef int i32;
typedef unsigned char u8;

#define T_NUM 1
#define T_IDENT 2
#define T_OP 3
#define T_LPAREN 4
#define T_RPAREN 5
#define T_END 6
#define T_ERR 7
#define MAX_TOKENS 64

#define E_OK 0
#define E_SYNTAX 1
#define E_DIVZERO 2
#define E_UNKNOWN 3
#define E_OVERFLOW 4
#define E_LEX 5

#define I64_MIN (-9223372036854775807LL - 1)

typedef struct Token {
    i32 kind;
    i32 start;
    i32 len;
    u8 op;
    i64 value;
} Token;

typedef struct Lexer {
    const char *src;
    Token toks[64];
    i32 ntok;
} Lexer;

typedef struct Var {
    u8 name[8];
    i64 value;
} Var;

typedef struct Parser {
    Lexer *lx;
    i32 i;
    i32 err;
} Parser;

static Var vars[8];
static i32 nvars = 0;
static i64 kind_counts[8];

static bool is_digit(u8 c) { return c >= '0' && c <= '9'; }
static bool is_alpha(u8 c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static bool is_space(u8 c) { return c == ' ' || c == '\t' || c == '\n'; }

static i64 hex_val(u8 c) {
    if (is_digit(c)) return (i64)(u8)(c - '0');
    if (c >= 'a' && c <= 'f') return (i64)(u8)(c - 'a') + 10;
    if (c >= 'A' && c <= 'F') return (i64)(u8)(c - 'A') + 10;
    return -1;
}

static const char *kind_name(i32 k) {
    return k == T_NUM ? "NUM" : k == T_IDENT ? "IDENT" : k == T_OP ? "OP"
        : k == T_LPAREN ? "LPAREN" : k == T_RPAREN ? "RPAREN" : k == T_END ? "END" : "ERR";
}

static void push_tok(Lexer *lx, i32 kind, i32 start, i32 len, u8 op, i64 value) {
    if (lx->ntok < MAX_TOKENS - 1 || kind == T_END) {
        Token t = { kind, start, len, op, value };
        lx->toks[lx->ntok] = t;
        lx->ntok += 1;
        kind_counts[kind] += 1;
    }
}

static bool lex(Lexer *lx, const char *srcc) {
    const u8 *src = (const u8 *)srcc;
    lx->src = srcc;
    lx->ntok = 0;
    i32 pos = 0;
    bool ok = true;
    while (src[pos] != 0) {
        u8 c = src[pos];
        i32 start = pos;
        if (is_space(c)) {
            pos += 1;
            continue;
        }
        if (is_digit(c)) {
            i64 v = 0;
            if (c == '0' && (src[pos + 1] == 'x' || src[pos + 1] == 'X')) {
                pos += 2;
                while (hex_val(src[pos]) >= 0) {
                    v = (i64)(((u64)v << 4) | (u64)hex_val(src[pos]));
                    pos += 1;
                }
            } else {
                while (is_digit(src[pos])) {
                    v = (i64)((u64)v * 10 + (u64)(i64)(u8)(src[pos] - '0'));
                    pos += 1;
                }
            }
            push_tok(lx, T_NUM, start, pos - start, 0, v);
        } else if (is_alpha(c)) {
            while (is_alpha(src[pos]) || is_digit(src[pos])) pos += 1;
            push_tok(lx, T_IDENT, start, pos - start, 0, 0);
        } else if (c == '(') {
            pos += 1;
            push_tok(lx, T_LPAREN, start, 1, c, 0);
        } else if (c == ')') {
            pos += 1;
            push_tok(lx, T_RPAREN, start, 1, c, 0);
        } else if ((c == '<' || c == '>') && src[pos + 1] == c) {
            pos += 2;
            push_tok(lx, T_OP, start, 2, c == '<' ? 'L' : 'R', 0);
        } else if (c == '+' || c == '-' || c == '*' || c == '/' || c == '%'
                   || c == '^' || c == '&' || c == '|') {
            pos += 1;
            push_tok(lx, T_OP, start, 1, c, 0);
        } else {
            pos += 1;
            push_tok(lx, T_ERR, start, 1, c, 0);
            ok = false;
        }
    }
    push_tok(lx, T_END, pos, 0, 0, 0);
    return ok;
}

static void set_var(const char *name, i64 value) {
    Var v;
    memset(&v, 0, sizeof v);
    i64 i = 0;
    while (name[i] != 0 && i < 7) {
        v.name[i] = (u8)name[i];
        i += 1;
    }
    v.value = value;
    vars[nvars] = v;
    nvars += 1;
}

static bool lookup_var(const char *srcc, i32 len, i64 *out) {
    const u8 *src = (const u8 *)srcc;
    for (i32 k = 0; k < nvars; k += 1) {
        Var *v = &vars[k];
        bool same = true;
        for (i32 j = 0; j < len; j += 1) {
            if (j >= 7 || v->name[j] != src[j]) {
                same = false;
                break;
            }
        }
        if (same && (len == 7 || v->name[len] == 0)) {
            *out = v->value;
            return true;
        }
    }
    return false;
}

static Token *peek(Parser *p) { return &p->lx->toks[p->i]; }

static bool is_op(Parser *p, u8 op) {
    Token *t = peek(p);
    return t->kind == T_OP && t->op == op;
}

static i64 fail(Parser *p, i32 code) {
    if (p->err == E_OK) p->err = code;
    return 0;
}

static i64 ipow(i64 base, i64 exp) {
    if (exp < 0) return base == 1 ? 1 : 0;
    u64 result = 1;
    u64 b = (u64)base;
    i64 e = exp;
    while (e > 0) {
        if ((e & 1) == 1) result *= b;
        b *= b;
        e >>= 1;
    }
    return (i64)result;
}

static i64 parse_binary(Parser *p, i32 min_prec);

static i64 parse_primary(Parser *p) {
    Token *t = peek(p);
    if (t->kind == T_NUM) {
        p->i += 1;
        return t->value;
    }
    if (t->kind == T_IDENT) {
        p->i += 1;
        i64 v = 0;
        if (!lookup_var(p->lx->src + t->start, t->len, &v)) return fail(p, E_UNKNOWN);
        return v;
    }
    if (t->kind == T_LPAREN) {
        p->i += 1;
        i64 v = parse_binary(p, 0);
        if (peek(p)->kind != T_RPAREN) return fail(p, E_SYNTAX);
        p->i += 1;
        return v;
    }
    return fail(p, E_SYNTAX);
}

static i64 parse_unary(Parser *p) {
    if (is_op(p, '-')) {
        p->i += 1;
        return (i64)(0ULL - (u64)parse_unary(p));
    }
    i64 base = parse_primary(p);
    if (is_op(p, '^')) {
        p->i += 1;
        i64 exp = parse_unary(p);
        return ipow(base, exp);
    }
    return base;
}

static i32 precedence(u8 op) {
    if (op == '|') return 1;
    if (op == '&') return 2;
    if (op == 'L' || op == 'R') return 3;
    if (op == '+' || op == '-') return 4;
    if (op == '*' || op == '/' || op == '%') return 5;
    return -1;
}

static i64 apply(Parser *p, u8 op, i64 a, i64 b) {
    if (op == '+') return (i64)((u64)a + (u64)b);
    if (op == '-') return (i64)((u64)a - (u64)b);
    if (op == '*') return (i64)((u64)a * (u64)b);
    if (op == '/' || op == '%') {
        if (b == 0) return fail(p, E_DIVZERO);
        if (a == I64_MIN && b == -1) return fail(p, E_OVERFLOW);
        return op == '/' ? a / b : a % b;
    }
    if (op == '&') return a & b;
    if (op == '|') return a | b;
    if (op == 'L') return (i64)((u64)a << (b & 63));
    if (op == 'R') return a >> (b & 63);
    return fail(p, E_SYNTAX);
}

static i64 parse_binary(Parser *p, i32 min_prec) {
    i64 lhs = parse_unary(p);
    while (p->err == E_OK) {
        Token *t = peek(p);
        if (t->kind != T_OP) break;
        i32 prec = precedence(t->op);
        if (prec <= min_prec) break;
        u8 op = t->op;
        p->i += 1;
        i64 rhs = parse_binary(p, prec);
        lhs = apply(p, op, lhs, rhs);
    }
    return lhs;
}

static const char *error_text(i32 code) {
    if (code == E_SYNTAX) return "syntax error";
    if (code == E_DIVZERO) return "division by zero";
    if (code == E_UNKNOWN) return "unknown variable";
    if (code == E_OVERFLOW) return "overflow";
    if (code == E_LEX) return "bad character";
    return "ok";
}

static void run(Lexer *lx, const char *src, bool show_tokens) {
    printf("expr: %s\n", src);
    bool lex_ok = lex(lx, src);
    if (show_tokens) {
        for (i32 i = 0; i < lx->ntok; i += 1) {
            Token t = lx->toks[i];
            printf("  %-6s '%.*s'", kind_name(t.kind), t.len, src + t.start);
            if (t.kind == T_NUM) printf(" = %lld", t.value);
            printf(" @%d\n", t.start);
        }
    }
    if (!lex_ok) {
        printf("  -> error: %s\n", error_text(E_LEX));
        return;
    }
    Parser p = { lx, 0, E_OK };
    i64 v = parse_binary(&p, 0);
    if (p.err == E_OK && peek(&p)->kind != T_END) p.err = E_SYNTAX;
    if (p.err != E_OK) {
        printf("  -> error: %s (at token %d)\n", error_text(p.err), p.i);
    } else {
        printf("  -> %lld (0x%llx)\n", v, (u64)v);
    }
}

int main(void) {
    set_var("x", 6);
    set_var("y", -4);
    set_var("zeta", 1000000007);
    set_var("big", 0x7fffffffffffffffLL);

    static Lexer lx;
    run(&lx, "1 + 2 * 3", true);
    run(&lx, "(1 + 2) * 3", true);
    run(&lx, "x * (y + 3) - zeta % 97", true);
    run(&lx, "0xff & 0x0F | 0x30", true);
    run(&lx, "4 $ 4", true);
    const char *exprs[18] = {
        "2 ^ 10 - 1",
        "2 ^ 3 ^ 2",
        "-2 ^ 2",
        "-7 / 2 + -7 % 2",
        "1 << 62 << 2",
        "1 << 65",
        "-1 >> 3",
        "big + 1",
        "3037000500 * 3037000500",
        "12345678901234567890",
        "(big + 1) / -1",
        "10 / (5 - 5)",
        "abc + 1",
        "(1 + 2",
        "1 + 2)",
        "x ^ x ^ 0 - (y * y * y) / x",
        "((((((((((1))))))))))+zeta*zeta*zeta",
        "0x10 >> 2 << 3 | 1 & 7 * 3",
    };
    for (i64 i = 0; i < 18; i += 1) run(&lx, exprs[i], false);
    printf("token kinds:");
    for (i32 k = 1; k < 8; k += 1) printf(" %s=%lld", kind_name(k), kind_counts[k]);
    printf("\n");
    return 0;
}
